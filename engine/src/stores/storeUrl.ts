import * as path from 'node:path';
import type { DatabaseTarget, StoreDescriptor } from './storeDescriptor';
import { StoreError } from './storeError';

/** Django's defaults, used when a store is named by URL rather than found in settings. */
export const DEFAULT_SESSION_SALT = 'django.contrib.sessions.SessionStore';

/** What a URL cannot say about a store and settings (or the caller) must supply. */
export interface StoreUrlDefaults {
  secretKeys: string[];
  useTz: boolean;
  timeZone: string;
  cookieAgeSeconds: number;
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
    throw new StoreError('bad-url', `"${url}" is not a store URL. Use e.g. sqlite:db.sqlite3 or postgres://user@host/db.`);
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
  const withQuery = (d: StoreDescriptor): StoreDescriptor => ({
    ...d,
    table: query.get('table') ?? d.table,
    salt: query.get('salt') ?? d.salt,
    cookieName: query.get('cookie_name') ?? d.cookieName,
  });
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
      const parsed = new URL(bare);
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
      return withQuery({ ...base, engine: 'cache', enginePath: 'django.contrib.sessions.backends.cache' });
    default:
      throw new StoreError('bad-url', `Unknown store URL scheme "${scheme}:". Supported: sqlite, postgres, mysql, redis, rediss, redis+cluster, memcached, file.`);
  }
}
