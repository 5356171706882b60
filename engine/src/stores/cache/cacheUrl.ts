import { pythonUnquote } from '../../pythonUnquote';
import { StoreError } from '../storeError';
import type { CacheClientKind, CacheCompressor, ExtendedCacheTarget } from './cacheSettings';

/** A cache named by URL, and the password it carried (kept apart, unless asked to keep it in the locations). */
interface ParsedCacheUrl {
  target: ExtendedCacheTarget;
  password?: string;
}

const BACKENDS: Record<CacheClientKind, string> = {
  django: 'django.core.cache.backends.redis.RedisCache',
  'django-redis': 'django_redis.cache.RedisCache',
  pymemcache: 'django.core.cache.backends.memcached.PyMemcacheCache',
};

function clientParam(value: string | null): CacheClientKind | undefined {
  if (value === null) {
    return undefined;
  }
  if (value === 'django' || value === 'django-redis') {
    return value;
  }
  throw new StoreError('bad-url', `client=${value} is not known; use client=django (Django ≥ 4 RedisCache) or client=django-redis.`);
}

function compressorParam(value: string | null): CacheCompressor | undefined {
  if (value === null) {
    return undefined;
  }
  if (value === 'zlib' || value === 'gzip') {
    return value;
  }
  throw new StoreError('bad-url', `compressor=${value} cannot be written here; zlib and gzip are supported (lzma, lz4 and zstd are not).`);
}

function intParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null) {
    return undefined;
  }
  if (!/^-?\d+$/.test(value)) {
    throw new StoreError('bad-url', `${name}=${value} must be an integer.`);
  }
  return Number(value);
}

/**
 * Parses a cache store URL: `redis://[user@]host:port/db`, `rediss://…` (TLS),
 * `unix://[user@]/path/redis.sock?db=N` (redis-py's socket form), `redis+cluster://host:port,host:port`
 * or `memcached://host:port[,host:port]`, with the query `db=` (Redis; as in redis-py, it wins
 * over the path), `key_prefix=`, `version=`, `key_pattern=` (a custom KEY_FUNCTION over {prefix},
 * {version}, {key}), `client=django|django-redis`, `compressor=zlib|gzip`, `pickle_version=`, and
 * for rediss:// redis-py's `ssl_ca_certs=` and `ssl_cert_reqs=none`. With `keepPassword`, a Redis
 * password stays in the locations, where the settings' CACHES keep one, and connecting uses it.
 */
export function parseCacheUrl(url: string, options: { keepPassword?: boolean } = {}): ParsedCacheUrl {
  const m = /^(redis|rediss|redis\+cluster|memcached|unix):\/\/([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/i.exec(url.trim());
  if (!m) {
    throw new StoreError('bad-url', 'A cache URL looks like redis://host:6379/0, rediss://host:6380/0, unix:///path/redis.sock?db=0, redis+cluster://host:7000,host:7001 or memcached://host:11211.');
  }
  const scheme = (m[1] ?? '').toLowerCase();
  const authority = m[2] ?? '';
  const path = m[3] ?? '';
  const query = new URLSearchParams(m[4] ?? '');
  const at = authority.lastIndexOf('@');
  const userInfo = at >= 0 ? authority.slice(0, at) : '';
  const hosts = (at >= 0 ? authority.slice(at + 1) : authority).split(',').filter((h) => h !== '');
  const socket = scheme === 'unix';
  if (socket && (hosts.length > 0 || path.length < 2)) {
    throw new StoreError('bad-url', 'A Redis socket URL names its file, not a host: unix:///path/redis.sock?db=N (unix://user@/path/redis.sock?db=N for an ACL user).');
  }
  if (!socket && hosts.length === 0) {
    // redis-py reads redis:///path as localhost:6379, database 0, never as the socket.
    const socketHint = /^rediss?$/.test(scheme) && /[^/\d]/.test(path) ? `; a Redis on a Unix socket is written unix://${path}?db=N, as redis-py takes it` : '';
    throw new StoreError('bad-url', `The ${scheme} URL names no server; add host:port${socketHint}.`);
  }
  const colon = userInfo.indexOf(':');
  const user = colon >= 0 ? userInfo.slice(0, colon) : userInfo;
  const password = colon >= 0 ? pythonUnquote(userInfo.slice(colon + 1)) : undefined;
  const common = {
    alias: 'default',
    keyPrefix: query.get('key_prefix') ?? '',
    version: intParam(query, 'version') ?? 1,
    keyPattern: query.get('key_pattern') ?? undefined,
  };
  if (scheme === 'memcached') {
    if (userInfo) {
      throw new StoreError('bad-url', 'memcached has no users or passwords; remove the user@ part of the URL.');
    }
    if (query.has('db')) {
      throw new StoreError('bad-url', 'memcached has no databases; remove db= from the URL.');
    }
    return { target: { ...common, backend: BACKENDS.pymemcache, locations: hosts, client: 'pymemcache' } };
  }
  const client = clientParam(query.get('client')) ?? 'django';
  const kept = options.keepPassword && colon >= 0 ? `:${userInfo.slice(colon + 1)}` : '';
  const userPart = user || kept ? `${user}${kept}@` : '';
  const db = query.get('db') ?? (socket ? '' : path.replace(/^\//, ''));
  if (db && !/^\d+$/.test(db)) {
    throw new StoreError('bad-url', `The Redis database index "${db}" is not a number; use e.g. redis://127.0.0.1:6379/1.`);
  }
  const base = scheme === 'rediss' ? 'rediss' : 'redis';
  const tlsQuery = new URLSearchParams([...query].filter(([name]) => name === 'ssl_cert_reqs' || name === 'ssl_ca_certs')).toString();
  if (socket && tlsQuery) {
    throw new StoreError('bad-url', 'A Unix socket takes no TLS; remove ssl_ca_certs= and ssl_cert_reqs= from the unix:// URL.');
  }
  const suffix = tlsQuery ? `?${tlsQuery}` : '';
  // A cluster has database 0 only; another index is kept so that opening it refuses the URL.
  const clusterDb = db && db !== '0' ? `/${db}` : '';
  const locations = socket
    ? [`unix://${userPart}${path}?db=${db || '0'}`]
    : scheme === 'redis+cluster'
      ? hosts.map((h) => `redis+cluster://${userPart}${h}${clusterDb}`)
      : hosts.map((h) => `${base}://${userPart}${h}/${db || '0'}${suffix}`);
  const backend = scheme === 'redis+cluster' ? `${BACKENDS[client]} (cluster)` : BACKENDS[client];
  return {
    target: { ...common, backend, locations, client, compressor: compressorParam(query.get('compressor')), pickleProtocol: intParam(query, 'pickle_version') },
    password,
  };
}
