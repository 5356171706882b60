import type { MysqlOptionSource } from './mysql/mysqlOptionFile';
import type { DatabaseTls } from './sql/databaseTls';

/** A place in a project file, 1-based line, 0-based UTF-16 column. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** The built-in Django session engines, plus any other dotted path. */
export type SessionEngineName = 'db' | 'cache' | 'cached_db' | 'file' | 'signed_cookies' | 'custom';

/**
 * A database a db or cached_db store lives in. `timeZone` is its `DATABASES[alias]['TIME_ZONE']`:
 * with `USE_TZ = True`, SQLite and MySQL keep naive datetimes in that zone instead of UTC.
 */
export type DatabaseTarget = { vendor: 'sqlite'; path: string; timeZone?: string } | ({ vendor: 'postgresql' | 'mysql'; timeZone?: string } & ServerDatabase);

/** Where a PostgreSQL or MySQL server keeps the database and how to sign in to it: what its driver connects to. */
export interface ServerDatabase {
  /**
   * For PostgreSQL, '' is libpq's default (PGHOST, else the Unix socket) and a path a socket
   * directory; for MySQL, '' (none given) and `localhost` mean a Unix socket (see mysqlEndpoint).
   */
  host: string;
  /** MySQL only: the Unix socket used when the host is '' or `localhost`; unset means libmariadb's default. */
  socket?: string;
  /** MySQL only: TCP even to `localhost` (an option file's `protocol = 1`, a URL's `protocol=tcp`). */
  protocol?: 'tcp';
  port?: number;
  name: string;
  user?: string;
  /** The name of the environment variable or secret that holds the password. */
  passwordRef?: string;
  /**
   * A password the settings give as a value (a literal, or the default of an unset variable),
   * which Django connects with and so does the store, or one a typed store URL gives; held in
   * memory only, as SECRET_KEY is, and never printed.
   */
  password?: string;
  /** `sslmode` and certificate files, from the URL or `OPTIONS`; unset means the client's default. */
  tls?: DatabaseTls;
  /** PostgreSQL only: libpq's `options` (e.g. `-c search_path=appx`), which can decide the session table's schema; else PGOPTIONS. */
  options?: string;
  /**
   * MySQL only: the option file (`OPTIONS['read_default_file']` / `['read_default_group']`)
   * the rest of the target was read from, read again on connecting for a password it may hold.
   */
  optionSource?: MysqlOptionSource;
  /** How long a statement's reply may take before the connection is taken for dead; `DEFAULT_REPLY_TIMEOUT_MS` unless set. */
  replyTimeoutMs?: number;
}

/** A cache a cache or cached_db store lives in. */
export interface CacheTarget {
  alias: string;
  backend: string;
  locations: string[];
  keyPrefix: string;
  version: number;
  /**
   * The environment variable the settings read the Redis password from, not set where they were
   * read (`OPTIONS['PASSWORD'] = os.environ['REDIS_PASSWORD']`): the password is taken from it,
   * else from `REDISCLI_AUTH`, when connecting.
   */
  passwordRef?: string;
}

/** Where the signing keys come from; the values themselves are never persisted. */
export interface SecretKeys {
  /** `SECRET_KEY` first, then `SECRET_KEY_FALLBACKS`, when known statically. */
  values: string[];
  /** Why a key is missing, e.g. "needs environment variable DJANGO_SECRET_KEY". */
  missing?: string;
  /** Where `SECRET_KEY` is assigned in the settings, when the keys came from there. */
  source?: SourceLocation;
  /** The environment variable the keys were read from instead, e.g. `DJANGO_SECRET_KEY`. */
  variable?: string;
  /** The variable the settings read `SECRET_KEY` from, when only a `.env` they do not load gave it (see StoreDescriptor.unloadedEnv). */
  unloadedEnvVariable?: string;
  /** The variable `SECRET_KEY` is the settings' default for, that variable not being set here (`env('DJANGO_SECRET_KEY', default='…')`). */
  defaultFor?: string;
}

/**
 * Why the store has no SECRET_KEY, ending with the fix: the reason given where the key was looked
 * for (which may name its own fix), else `fallback`; the environment variable otherwise.
 */
export function missingSecretKey(keys: { missing?: string }, fallback: string): string {
  const why = keys.missing ?? fallback;
  return /DJANGO_SECRET_KEY/.test(why) ? why : `${why}; set DJANGO_SECRET_KEY`;
}

/** Everything needed to open one session store, whether found in settings or given as a URL. */
export interface StoreDescriptor {
  /**
   * The environment variables the settings read from a project `.env` that nothing in them
   * loads (docker-compose, direnv, pipenv or an editor may load it; Django run without it
   * would use other values), and those files; absent when none.
   */
  unloadedEnv?: { names: string[]; files: string[] };
  /** Stable within a project, e.g. `db:default`. */
  id: string;
  engine: SessionEngineName;
  /** `SESSION_ENGINE` as written, for `custom` and for display. */
  enginePath: string;
  database?: DatabaseTarget;
  /**
   * Set when the settings' DATABASE_ROUTERS may send the sessions to another database than
   * `database` (routers are never run): shown with the store, and every change to it is confirmed.
   */
  routersCaveat?: string;
  /** The session table, `django_session` unless a custom model says otherwise. */
  table: string;
  cache?: CacheTarget;
  /**
   * cached_db whose cache cannot be opened (a URL naming the settings' cached_db database, whose
   * cache the settings do not give statically): its table is read, and changes are refused with this.
   */
  tableOnlyRefusal?: string;
  fileDir?: string;
  cookieName: string;
  /** The signing salt of the store class: `django.contrib.sessions.<ClassQualname>`. */
  salt: string;
  /** `unknown` where SESSION_SERIALIZER cannot be read statically: data is read as what it looks like, and not written. */
  serializer: 'json' | 'pickle' | 'custom' | 'unknown';
  secretKeys: SecretKeys;
  cookieAgeSeconds: number;
  /** Why the settings' `SESSION_COOKIE_AGE` cannot be read statically, when it cannot: writes that need it are refused. */
  cookieAgeUnknown?: string;
  /** Set for a URL read without settings or `cookie_age=`: `cookieAgeSeconds` is Django's default two weeks, only assumed (see assumedCookieAgeNote). */
  cookieAgeAssumed?: true;
  expireAtBrowserClose: boolean;
  useTz: boolean;
  timeZone: string;
  /**
   * The time settings taken as Django's global defaults, for a URL given without settings and
   * without `use_tz=` (or `time_zone=`, which matters with USE_TZ off): expiry dates may then be
   * read and written off by the project's offset. See assumedTimeSettingsNote.
   */
  assumedTimeSettings?: ('USE_TZ' | 'TIME_ZONE')[];
  /**
   * Set, with assumedTimeSettings, where the project's settings do set those but not in a way
   * static reading can tell (a variable not set here): why, for the messages that refuse.
   */
  assumedTimeReason?: string;
  /** db and cached_db: the settings' INSTALLED_APPS lacks django.contrib.sessions, so no migration makes the session table. */
  sessionsAppMissing?: true;
  /**
   * The Django that reads these sessions (`X.Y`), when requirements or lock files tell it: it
   * decides which signatures Django accepts and how an absolute expiry is written.
   */
  djangoVersion?: string;
  /** `DEFAULT_HASHING_ALGORITHM = 'sha1'` on Django 3.1/3.2: sessions are then written in the pre-3.1 format and cookies signed with sha1. */
  hashingAlgorithm?: 'sha1';
  /** Where `SESSION_ENGINE` (or the settings module) was read, when from settings. */
  source?: SourceLocation;
}
