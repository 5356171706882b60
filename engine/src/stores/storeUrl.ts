import { pythonUnquote } from '../pythonUnquote';
import * as path from 'node:path';
import { DEFAULT_SESSION_SALT } from '../codec';
import { parseCacheUrl } from './cache/cacheUrl';
import { checkCookieName } from './cookieName';
import { certificatePath, type DatabaseTls, isTlsMode, SYSTEM_ROOTS, TLS_MODES } from './sql/databaseTls';
import { isKnownTimeZone } from './djangoDatetime';
import type { CacheTarget, DatabaseTarget, StoreDescriptor } from './storeDescriptor';
import { StoreError } from './storeError';
import { type ServerUrlParts, serverUrlParts } from './serverUrlParts';
import { withoutPassword } from './urlCredentials';
import { checkUrlParameters } from './urlParameters';
import { urlTimeSettings } from './urlTimeSettings';

/** What a URL cannot say about a store and settings (or the caller) must supply. */
export interface StoreUrlDefaults {
  secretKeys: string[];
  useTz: boolean;
  timeZone: string;
  cookieAgeSeconds: number;
  /** Why the project's SESSION_COOKIE_AGE cannot be read statically, when it cannot. */
  cookieAgeUnknown?: string;
  /** Set without settings: `cookieAgeSeconds` is Django's default, standing in for the project's. */
  cookieAgeAssumed?: true;
  /** The settings' SESSION_SERIALIZER, which signed session data is written with; JSON (Django's default) without settings. */
  serializer?: StoreDescriptor['serializer'];
  /** Which of `useTz` and `timeZone` are Django's global defaults standing in for a project's settings: both without settings. */
  assumedTimeSettings?: readonly ('USE_TZ' | 'TIME_ZONE')[];
  /** Why, when the project's settings set them but not statically (see StoreDescriptor.assumedTimeReason). */
  timeSettingsReason?: string;
  /** The settings' session database: a URL naming the same one takes its `TIME_ZONE`, which a URL cannot carry but with db_time_zone=. */
  database?: DatabaseTarget;
  /** The settings' cached_db cache, when their engine is cached_db: `null` where they do not give it statically, with why. */
  cachedDbCache?: { cache: CacheTarget | null; id: string };
}

/**
 * What a URL-named store takes from the project's own settings when there are any (keys, time
 * zone, cookie age), else Django's global defaults (`USE_TZ = False` and `America/Chicago` up to 4.2).
 */
export function storeUrlDefaults(settingsStore: StoreDescriptor | undefined): StoreUrlDefaults {
  return {
    secretKeys: settingsStore?.secretKeys.values ?? [],
    useTz: settingsStore?.useTz ?? false,
    timeZone: settingsStore?.timeZone ?? 'America/Chicago',
    cookieAgeSeconds: settingsStore?.cookieAgeSeconds ?? 1209600,
    ...(settingsStore?.cookieAgeUnknown !== undefined ? { cookieAgeUnknown: settingsStore.cookieAgeUnknown } : {}),
    ...(settingsStore ? { serializer: settingsStore.serializer } : { assumedTimeSettings: ['USE_TZ', 'TIME_ZONE'], cookieAgeAssumed: true }),
    ...(settingsStore?.assumedTimeSettings !== undefined ? { assumedTimeSettings: settingsStore.assumedTimeSettings, timeSettingsReason: settingsStore.assumedTimeReason } : {}),
    ...(settingsStore?.database ? { database: settingsStore.database } : {}),
    ...(settingsStore?.engine === 'cached_db' ? { cachedDbCache: { cache: settingsStore.cache ?? null, id: settingsStore.id } } : {}),
  };
}

/** How a URL's password is taken. */
export interface StoreUrlOptions {
  /**
   * `accept` where the URL is typed or comes from the environment (the CLI's `--store
   * "$DATABASE_URL"`): the password is kept in memory, as one the settings give, and never
   * printed. By default it is refused: a URL in an editor's settings file would keep a password
   * in plain text, which belongs in the environment or the editor's secret storage instead.
   */
  passwords?: 'accept' | 'refuse';
}

/**
 * Parses a store URL from the design's contract (`sqlite:///abs`, `sqlite:relative`,
 * `postgres://…`, `mysql://…`, `file:///dir`, …) into a descriptor. Relative SQLite paths are
 * resolved against `baseDir`. A password in the URL is taken only as `options.passwords` says.
 */
export function parseStoreUrl(url: string, baseDir: string, defaults: StoreUrlDefaults, options: StoreUrlOptions = {}): StoreDescriptor {
  const acceptPasswords = options.passwords === 'accept';
  const scheme = /^([a-z][a-z0-9+]*):/i.exec(url)?.[1]?.toLowerCase();
  if (!scheme) {
    throw new StoreError('bad-url', `"${withoutPassword(url)}" is not a store URL. Use e.g. sqlite:db.sqlite3 or postgres://user@host/db.`);
  }
  const base = {
    id: `url:${scheme}`,
    enginePath: 'django.contrib.sessions.backends.db',
    table: 'django_session',
    cookieName: 'sessionid',
    salt: DEFAULT_SESSION_SALT,
    serializer: defaults.serializer ?? ('json' as const),
    secretKeys: { values: defaults.secretKeys },
    cookieAgeSeconds: defaults.cookieAgeSeconds,
    ...(defaults.cookieAgeUnknown !== undefined ? { cookieAgeUnknown: defaults.cookieAgeUnknown } : {}),
    ...(defaults.cookieAgeAssumed ? { cookieAgeAssumed: true as const } : {}),
    expireAtBrowserClose: false,
    useTz: defaults.useTz,
    timeZone: defaults.timeZone,
  };
  const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  const withQuery = (d: StoreDescriptor): StoreDescriptor => {
    checkUrlParameters(query, d.engine === 'file' ? 'file' : d.engine === 'cache' ? 'cache' : d.database?.vendor === 'sqlite' ? 'db' : 'serverDb', scheme);
    const database = databaseTimeZone(d.database, query.get('db_time_zone'), defaults.database);
    const named: StoreDescriptor = {
      ...d,
      ...urlTimeSettings(query, { useTz: defaults.useTz, timeZone: defaults.timeZone, assumed: defaults.assumedTimeSettings ?? [], reason: defaults.timeSettingsReason }),
      table: query.get('table') ?? d.table,
      salt: query.get('salt') ?? d.salt,
      cookieName: checkCookieName(query.get('cookie_name') ?? d.cookieName),
      serializer: urlSerializer(query.get('serializer')) ?? d.serializer,
      ...(database ? { database } : {}),
    };
    const cookieAge = urlCookieAge(query.get('cookie_age'));
    if (cookieAge !== undefined) {
      named.cookieAgeSeconds = cookieAge;
      delete named.cookieAgeUnknown;
      delete named.cookieAgeAssumed;
    }
    const cacheUrl = query.get('cache');
    if (cacheUrl !== null) {
      checkUrlParameters(new URLSearchParams(cacheUrl.includes('?') ? cacheUrl.slice(cacheUrl.indexOf('?') + 1) : ''), 'cache', 'cache=', false);
    }
    // A db URL with ?cache=<cache URL> names a cached_db store: the table plus the cache in front of it.
    if (cacheUrl && d.engine === 'db') {
      return { ...named, engine: 'cached_db', enginePath: CACHED_DB, cache: cacheTarget(cacheUrl, acceptPasswords) };
    }
    return d.engine === 'db' && cacheUrl === null ? withSettingsCache(named, defaults) : named;
  };
  const bare = url.split('?')[0] ?? url;
  switch (scheme) {
    case 'sqlite': {
      const rest = bare.slice('sqlite:'.length);
      const file = rest.startsWith('//') ? pythonUnquote(rest.replace(/^\/\//, '')) : pythonUnquote(rest);
      if (!file) {
        throw new StoreError('bad-url', 'A sqlite URL needs a path, e.g. sqlite:db.sqlite3 or sqlite:///abs/path/db.sqlite3.');
      }
      const database: DatabaseTarget = { vendor: 'sqlite', path: path.resolve(baseDir, file) };
      return withQuery({ ...base, engine: 'db', database });
    }
    case 'postgres':
    case 'postgresql':
    case 'mysql': {
      let parsed: ServerUrlParts | undefined;
      try {
        // Without `//`, `postgres:app:secret@db/shop` would name a database called all of that.
        parsed = bare.startsWith(`${scheme}://`) ? serverUrlParts(bare) : undefined;
      } catch {
        parsed = undefined;
      }
      if (!parsed) {
        throw new StoreError('bad-url', `"${withoutPassword(bare)}" is not a valid ${scheme} URL; write it as ${scheme}://user@host:port/database.`);
      }
      if (parsed.password && !acceptPasswords) {
        throw new StoreError('bad-url', 'Keep passwords out of store URLs in settings: set them in the environment (PGPASSWORD / MYSQL_PWD) or let VS Code keep them in its secret storage.');
      }
      const vendor = scheme === 'mysql' ? 'mysql' : 'postgresql';
      const database: DatabaseTarget = {
        vendor,
        ...serverPlace(vendor, pythonUnquote(parsed.hostname), query),
        port: parsed.port ? Number(parsed.port) : undefined,
        name: pythonUnquote(parsed.pathname.replace(/^\//, '')),
        user: parsed.username ? pythonUnquote(parsed.username) : undefined,
        ...(parsed.password ? { password: pythonUnquote(parsed.password) } : {}),
      };
      if (!database.name) {
        throw new StoreError('bad-url', `The ${scheme} URL names no database; write it as ${scheme}://user@host:port/database.`);
      }
      const tls = urlTls(query, baseDir);
      if (tls) {
        database.tls = tls;
      }
      const options = query.get('options');
      if (options !== null) {
        if (database.vendor === 'mysql') {
          throw new StoreError('bad-url', 'options= is libpq\'s connection options (e.g. -c search_path=appx), for postgres URLs only.');
        }
        database.options = options;
      }
      return withQuery({ ...base, engine: 'db', database });
    }
    case 'file': {
      const dir = pythonUnquote(bare.replace(/^file:(\/\/)?/, ''));
      return withQuery({ ...base, engine: 'file', enginePath: 'django.contrib.sessions.backends.file', fileDir: path.resolve(baseDir, dir) });
    }
    case 'redis':
    case 'rediss':
    case 'redis+cluster':
    case 'unix':
    case 'memcached':
      return withQuery({ ...base, engine: 'cache', enginePath: 'django.contrib.sessions.backends.cache', cache: cacheTarget(url, acceptPasswords) });
    default:
      throw new StoreError('bad-url', `Unknown store URL scheme "${scheme}:". Supported: sqlite, postgres, mysql, redis, rediss, unix (a Redis socket: unix:///path/redis.sock?db=N), redis+cluster, memcached, file.`);
  }
}

/**
 * The host, or socket, of a postgres or mysql URL, as its client library takes it: no host is
 * libpq's default (PGHOST, else the Unix socket) or libmariadb's socket; a path (percent-encoded
 * in the host, `%2Fvar%2Frun%2Fpostgresql`) is a socket, its directory for libpq; libpq's
 * `host=` and mysqlclient's `unix_socket=`, as dj-database-url passes them on, name one too;
 * `protocol=tcp` (mysql) is libmariadb's option for TCP even to `localhost`.
 */
function serverPlace(vendor: 'postgresql' | 'mysql', host: string, query: URLSearchParams): { host: string; socket?: string; protocol?: 'tcp' } {
  const [own, other] = vendor === 'mysql' ? ['unix_socket', 'host'] : ['host', 'unix_socket'];
  if (query.has(other)) {
    throw new StoreError('bad-url', `${other}= names the socket of ${vendor === 'mysql' ? 'postgres' : 'mysql'} URLs; ${vendor === 'mysql' ? 'mysql' : 'postgres'} URLs take ${own}=.`);
  }
  const protocol = query.get('protocol');
  if (protocol !== null && (vendor !== 'mysql' || protocol !== 'tcp')) {
    throw new StoreError('bad-url', `protocol=${protocol} is not taken; mysql URLs take protocol=tcp, for TCP even to localhost.`);
  }
  const socket = query.get(own) ?? (host.startsWith('/') ? host : undefined);
  if (vendor === 'postgresql') {
    return { host: socket ?? host };
  }
  return { host: host.startsWith('/') ? '' : host, ...(socket === undefined ? {} : { socket }), ...(protocol ? { protocol: 'tcp' as const } : {}) };
}

/** `cookie_age=`: the project's SESSION_COOKIE_AGE in seconds, which decides the expiry of sessions saved without their own. */
function urlCookieAge(text: string | null): number | undefined {
  if (text !== null && !/^[1-9]\d{0,9}$/.test(text)) {
    throw new StoreError('bad-url', `cookie_age=${text} is not a whole number of seconds; write it as SESSION_COOKIE_AGE is set, e.g. cookie_age=3600.`);
  }
  return text === null ? undefined : Number(text);
}

/** `sslmode=` and the certificate files of a postgres or mysql URL, relative paths against `baseDir`. */
function urlTls(query: URLSearchParams, baseDir: string): DatabaseTls | undefined {
  const mode = query.get('sslmode');
  const files = { rootCert: query.get('sslrootcert'), cert: query.get('sslcert'), key: query.get('sslkey') };
  if (mode === null) {
    // A URL's files are given to be checked against: without a mode, prefer would check nothing (libpq 16's system roots imply verify-full).
    if (files.rootCert === SYSTEM_ROOTS && files.cert === null && files.key === null) {
      return { rootCert: SYSTEM_ROOTS };
    }
    if (Object.values(files).some((f) => f !== null)) {
      throw new StoreError('bad-url', 'Certificate files need sslmode= with them, e.g. sslmode=verify-full&sslrootcert=ca.pem.');
    }
    return undefined;
  }
  if (!isTlsMode(mode)) {
    throw new StoreError('bad-url', `sslmode=${mode} is not an sslmode; use ${TLS_MODES.join(', ')}.`);
  }
  const tls: DatabaseTls = { mode };
  for (const [name, file] of Object.entries(files)) {
    if (file !== null) {
      tls[name as keyof typeof files] = certificatePath(file, baseDir, name === 'rootCert');
    }
  }
  return tls;
}

/**
 * The database with its `DATABASES[alias]['TIME_ZONE']` applied: `db_time_zone=`'s, else that of
 * the settings' own database when the URL names it (`--project` with `--store`): Django writes
 * expire_date there in that zone, and reading it in another would move every expiry.
 */
function databaseTimeZone(database: DatabaseTarget | undefined, zone: string | null, settings: DatabaseTarget | undefined): DatabaseTarget | undefined {
  if (zone === null && database && settings?.timeZone !== undefined && database.timeZone === undefined && sameDatabase(database, settings)) {
    return { ...database, timeZone: settings.timeZone };
  }
  // Only db URLs take db_time_zone= (see urlParameters), and they all name a database.
  if (zone === null || !database) {
    return database;
  }
  if (!isKnownTimeZone(zone)) {
    throw new StoreError('bad-url', `db_time_zone=${zone} is not a time zone name; write it as in DATABASES, e.g. db_time_zone=Europe/Paris.`);
  }
  return { ...database, timeZone: zone };
}

const CACHED_DB = 'django.contrib.sessions.backends.cached_db';

/** `serializer=json|pickle`: the project's SESSION_SERIALIZER, for session data a URL's store signs. */
function urlSerializer(text: string | null): 'json' | 'pickle' | undefined {
  if (text === null) {
    return undefined;
  }
  if (text !== 'json' && text !== 'pickle') {
    throw new StoreError('bad-url', `serializer=${text} is neither json nor pickle; write json for JSONSerializer (Django's default) or pickle for PickleSerializer.`);
  }
  return text;
}

/**
 * A db URL naming the table of the settings' cached_db store is that store: Django serves its
 * sessions from the cache first, so the table alone would show what Django no longer serves,
 * and changes to it would be undone by the cached copies. It takes the settings' cache, or
 * where they do not give it statically, is read from the table with changes refused.
 */
function withSettingsCache(named: StoreDescriptor, defaults: StoreUrlDefaults): StoreDescriptor {
  const settings = defaults.cachedDbCache;
  if (!settings || !named.database || !defaults.database || !sameDatabase(named.database, defaults.database)) {
    return named;
  }
  if (settings.cache) {
    return { ...named, engine: 'cached_db', enginePath: CACHED_DB, cache: settings.cache };
  }
  return {
    ...named,
    engine: 'cached_db',
    enginePath: CACHED_DB,
    tableOnlyRefusal: `The settings keep these sessions with cached_db (${settings.id}), whose cache they do not name statically: Django serves each session from that cache before this table, so a change made to the table alone would not be what Django serves, and could be undone. Nothing was changed; name the cache too, e.g. ${named.database.vendor === 'sqlite' ? 'sqlite:db.sqlite3' : `${named.database.vendor === 'mysql' ? 'mysql' : 'postgres'}://user@host/db`}?cache=${encodeURIComponent('redis://host:6379/1')}.`,
  };
}

const DEFAULT_PORTS = { postgresql: 5432, mysql: 3306 } as const;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '']);

/** Whether two targets name one database: the same file, or the same server (any loopback name for this machine) and name. */
function sameDatabase(a: DatabaseTarget, b: DatabaseTarget): boolean {
  if (a.vendor === 'sqlite' || b.vendor === 'sqlite') {
    return a.vendor === 'sqlite' && b.vendor === 'sqlite' && path.resolve(a.path) === path.resolve(b.path);
  }
  const host = (h: string) => (LOOPBACK.has(h.toLowerCase()) ? 'loopback' : h.toLowerCase());
  const port = (t: typeof a) => t.port ?? DEFAULT_PORTS[t.vendor];
  return a.vendor === b.vendor && a.name === b.name && host(a.host) === host(b.host) && port(a) === port(b);
}

/** The cache a URL names; a password in it is kept in its locations, as the settings' CACHES keep one, or refused. */
function cacheTarget(url: string, acceptPassword: boolean): CacheTarget {
  const { target, password } = parseCacheUrl(url, { keepPassword: acceptPassword });
  if (password !== undefined && !acceptPassword) {
    throw new StoreError('bad-url', 'Keep passwords out of store URLs in settings: set REDISCLI_AUTH in the environment or let VS Code keep the password in its secret storage.');
  }
  return target;
}
