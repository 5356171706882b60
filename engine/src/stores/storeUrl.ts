import * as path from 'node:path';
import { DEFAULT_SESSION_SALT } from '../codec';
import { parseCacheUrl } from './cache/cacheUrl';
import { checkCookieName } from './cookieName';
import { isKnownTimeZone } from './djangoDatetime';
import type { CacheTarget, DatabaseTarget, StoreDescriptor } from './storeDescriptor';
import { StoreError } from './storeError';

/** What a URL cannot say about a store and settings (or the caller) must supply. */
export interface StoreUrlDefaults {
  secretKeys: string[];
  useTz: boolean;
  timeZone: string;
  cookieAgeSeconds: number;
  /** True when `useTz` and `timeZone` are Django's global defaults, not a project's settings. */
  timeSettingsAssumed?: boolean;
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
    ...(settingsStore ? {} : { timeSettingsAssumed: true }),
  };
}

/**
 * Parses a store URL from the design's contract (`sqlite:///abs`, `sqlite:relative`,
 * `postgres://…`, `mysql://…`, `file:///dir`, …) into a descriptor. Relative SQLite paths are
 * resolved against `baseDir`. Passwords in URLs are refused here: they belong in the environment
 * or VS Code's secret storage.
 */
export function parseStoreUrl(url: string, baseDir: string, defaults: StoreUrlDefaults): StoreDescriptor {
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
    serializer: 'json' as const,
    secretKeys: { values: defaults.secretKeys },
    cookieAgeSeconds: defaults.cookieAgeSeconds,
    expireAtBrowserClose: false,
    useTz: defaults.useTz,
    timeZone: defaults.timeZone,
  };
  const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  const withQuery = (d: StoreDescriptor): StoreDescriptor => {
    checkParameters(query, d.engine, scheme);
    const database = databaseTimeZone(d.database, query.get('db_time_zone'));
    const named = {
      ...d,
      ...timeSettings(query, defaults),
      table: query.get('table') ?? d.table,
      salt: query.get('salt') ?? d.salt,
      cookieName: checkCookieName(query.get('cookie_name') ?? d.cookieName),
      ...(database ? { database } : {}),
    };
    const cacheUrl = query.get('cache');
    // A db URL with ?cache=<cache URL> names a cached_db store: the table plus the cache in front of it.
    return cacheUrl && d.engine === 'db'
      ? { ...named, engine: 'cached_db', enginePath: 'django.contrib.sessions.backends.cached_db', cache: cacheTarget(cacheUrl) }
      : named;
  };
  const bare = url.split('?')[0] ?? url;
  switch (scheme) {
    case 'sqlite': {
      const rest = bare.slice('sqlite:'.length);
      const file = rest.startsWith('//') ? decodeURIComponent(rest.replace(/^\/\//, '')) : decodeURIComponent(rest);
      if (!file) {
        throw new StoreError('bad-url', 'A sqlite URL needs a path, e.g. sqlite:db.sqlite3 or sqlite:///abs/path/db.sqlite3.');
      }
      const database: DatabaseTarget = { vendor: 'sqlite', path: path.resolve(baseDir, file) };
      return withQuery({ ...base, engine: 'db', database });
    }
    case 'postgres':
    case 'postgresql':
    case 'mysql': {
      let parsed: URL;
      try {
        parsed = new URL(bare);
      } catch {
        throw new StoreError('bad-url', `"${bare.replace(/\/\/[^@/]*@/, '//…@')}" is not a valid ${scheme} URL; write it as ${scheme}://user@host:port/database.`);
      }
      if (parsed.password) {
        throw new StoreError('bad-url', 'Keep passwords out of store URLs: set them in the environment (PGPASSWORD / MYSQL_PWD) or let VS Code keep them in its secret storage.');
      }
      const database: DatabaseTarget = {
        vendor: scheme === 'mysql' ? 'mysql' : 'postgresql',
        host: parsed.hostname || '127.0.0.1',
        port: parsed.port ? Number(parsed.port) : undefined,
        name: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
        user: parsed.username ? decodeURIComponent(parsed.username) : undefined,
      };
      if (!database.name) {
        throw new StoreError('bad-url', `The ${scheme} URL names no database; write it as ${scheme}://user@host:port/database.`);
      }
      return withQuery({ ...base, engine: 'db', database });
    }
    case 'file': {
      const dir = decodeURIComponent(bare.replace(/^file:(\/\/)?/, ''));
      return withQuery({ ...base, engine: 'file', enginePath: 'django.contrib.sessions.backends.file', fileDir: path.resolve(baseDir, dir) });
    }
    case 'redis':
    case 'rediss':
    case 'redis+cluster':
    case 'memcached':
      return withQuery({ ...base, engine: 'cache', enginePath: 'django.contrib.sessions.backends.cache', cache: cacheTarget(url) });
    default:
      throw new StoreError('bad-url', `Unknown store URL scheme "${scheme}:". Supported: sqlite, postgres, mysql, redis, rediss, redis+cluster, memcached, file.`);
  }
}

/** Text that may hold `user:password@` (a URL with a typo in its scheme), with the password left out, for messages and logs. */
function withoutPassword(text: string): string {
  return text.replace(/([^\s/@:]+):[^\s/@]*@/g, '$1:…@');
}

/**
 * For a database named by a URL without the project's settings, what its dates assume and how to
 * say otherwise; undefined when the settings or the URL say (or dates do not depend on them).
 */
export function assumedTimeSettings(descriptor: StoreDescriptor): string | undefined {
  if (!descriptor.timeSettingsAssumed || !descriptor.database) {
    return undefined;
  }
  return `expiry dates assume Django's defaults USE_TZ = ${descriptor.useTz ? 'True' : 'False'} and TIME_ZONE = '${descriptor.timeZone}', as no settings were read for this URL; if the project sets them otherwise, say so in the URL (e.g. ?use_tz=true, or ?use_tz=false&time_zone=Europe/Paris)`;
}

/** The query parameters each kind of store URL takes; any other is refused, so a misspelt one is not ignored. */
const PARAMETERS: Record<'db' | 'file' | 'cache', readonly string[]> = {
  db: ['table', 'db_time_zone', 'cache'],
  file: ['cookie_name'],
  cache: ['key_prefix', 'version', 'key_pattern', 'client', 'compressor', 'pickle_version', 'ssl_cert_reqs', 'ssl_ca_certs'],
};
const COMMON_PARAMETERS = ['salt', 'use_tz', 'time_zone'];

function checkParameters(query: URLSearchParams, engine: StoreDescriptor['engine'], scheme: string): void {
  const own = engine === 'file' ? PARAMETERS.file : engine === 'cache' ? PARAMETERS.cache : PARAMETERS.db;
  for (const name of new Set(query.keys())) {
    if (!own.includes(name) && !COMMON_PARAMETERS.includes(name)) {
      throw new StoreError('bad-url', `${scheme} URLs take no ${name}= parameter; they take ${[...own, ...COMMON_PARAMETERS].map((p) => `${p}=`).join(', ')}.`);
    }
  }
}

/**
 * `use_tz=` and `time_zone=`: the project's USE_TZ and TIME_ZONE, which decide how expiry dates
 * are stored, for a URL used without the project's settings.
 */
function timeSettings(query: URLSearchParams, defaults: StoreUrlDefaults): Pick<StoreDescriptor, 'useTz' | 'timeZone' | 'timeSettingsAssumed'> {
  const useTzText = query.get('use_tz');
  const zone = query.get('time_zone');
  let useTz = defaults.useTz;
  if (useTzText !== null) {
    const known: Record<string, boolean> = { true: true, false: false, '1': true, '0': false };
    if (!(useTzText.toLowerCase() in known)) {
      throw new StoreError('bad-url', `use_tz=${useTzText} is not true or false; write it as USE_TZ is set, e.g. use_tz=true.`);
    }
    useTz = known[useTzText.toLowerCase()]!;
  }
  if (zone !== null && !isKnownTimeZone(zone)) {
    throw new StoreError('bad-url', `time_zone=${zone} is not a time zone name; write it as TIME_ZONE is set, e.g. time_zone=UTC.`);
  }
  // With USE_TZ on, TIME_ZONE does not change what is stored; off, both must be known.
  const assumed = defaults.timeSettingsAssumed === true && (useTzText === null || (!useTz && zone === null));
  return { useTz, timeZone: zone ?? defaults.timeZone, ...(assumed ? { timeSettingsAssumed: true } : {}) };
}

/** The database with `db_time_zone=` (its `DATABASES[alias]['TIME_ZONE']`) applied. */
function databaseTimeZone(database: DatabaseTarget | undefined, zone: string | null): DatabaseTarget | undefined {
  if (zone === null) {
    return database;
  }
  if (!database) {
    throw new StoreError('bad-url', 'db_time_zone= is the TIME_ZONE of a database; use it on sqlite, postgres or mysql URLs only.');
  }
  if (!isKnownTimeZone(zone)) {
    throw new StoreError('bad-url', `db_time_zone=${zone} is not a time zone name; write it as in DATABASES, e.g. db_time_zone=Europe/Paris.`);
  }
  return { ...database, timeZone: zone };
}

/** The cache a URL names; a password in it is refused, as for databases. */
function cacheTarget(url: string): CacheTarget {
  const { target, password } = parseCacheUrl(url);
  if (password !== undefined) {
    throw new StoreError('bad-url', 'Keep passwords out of store URLs: set REDISCLI_AUTH in the environment or let VS Code keep the password in its secret storage.');
  }
  return target;
}
