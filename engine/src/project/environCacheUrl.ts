import { pythonLiteralOrText } from './pythonLiteral';
import { pythonParseQs, pythonUrlSplit } from './pythonUrlParse';
import { type SettingValue, unknown } from './settingValue';

const DJANGO_REDIS = 'django_redis.cache.RedisCache';
const DJANGO_REDIS_CACHE = 'django.core.cache.backends.redis.RedisCache';

/**
 * django-environ's `CACHE_SCHEMES` as its current releases have them. `pymemcache` is
 * `PyMemcacheCache`, which it picks with Django ≥ 3.2 and pymemcache installed (else
 * `PyLibMCCache`); the Redis schemes are django-redis unless the old django-redis-cache is
 * installed. django-environ 0.4 differs: no `rediss`, and `pymemcache` is `PyLibMCCache`.
 */
const CACHE_SCHEMES = new Map([
  ['dbcache', 'django.core.cache.backends.db.DatabaseCache'],
  ['dummycache', 'django.core.cache.backends.dummy.DummyCache'],
  ['filecache', 'django.core.cache.backends.filebased.FileBasedCache'],
  ['locmemcache', 'django.core.cache.backends.locmem.LocMemCache'],
  ['memcache', 'django.core.cache.backends.memcached.MemcachedCache'],
  ['pymemcache', 'django.core.cache.backends.memcached.PyMemcacheCache'],
  ['pylibmc', 'django.core.cache.backends.memcached.PyLibMCCache'],
  ['rediscache', DJANGO_REDIS],
  ['redis', DJANGO_REDIS],
  ['rediss', DJANGO_REDIS],
]);

/** Query parameters that become keys of the cache entry itself; the others go to `OPTIONS`. */
const BASE_OPTIONS = new Set(['TIMEOUT', 'KEY_PREFIX', 'VERSION', 'KEY_FUNCTION', 'BINARY']);

function str(value: string): SettingValue {
  return { kind: 'str', value };
}

function oneOrList(values: string[]): SettingValue {
  return values.length === 1 ? str(values[0]!) : { kind: 'list', items: values.map(str) };
}

/**
 * A `CACHES` entry from a cache URL, as django-environ's `env.cache()` (`cache_url_config`)
 * builds it: comma-separated servers become a `LOCATION` list, each Redis server keeping the
 * URL's path (its database); query parameters such as `key_prefix` and `timeout` become
 * `KEY_PREFIX` and `TIMEOUT`, the rest `OPTIONS`, their values read as Python literals.
 * `backend` is the call's `backend=`, which replaces the scheme's.
 */
export function environCacheConfig(url: string, backend?: string): SettingValue {
  if (url === '') {
    return { kind: 'dict', entries: new Map() };
  }
  const parts = pythonUrlSplit(url);
  const schemeBackend = CACHE_SCHEMES.get(parts.scheme);
  if (!schemeBackend) {
    return unknown(`unsupported cache URL scheme '${parts.scheme}'`);
  }
  const servers = parts.netloc.split(',');
  let location = oneOrList(servers);
  const query = pythonParseQs(parts.query);
  if (parts.scheme === 'filecache') {
    location = str(parts.netloc + parts.path);
  }
  if (!parts.netloc && (parts.scheme === 'memcache' || parts.scheme === 'pymemcache')) {
    location = str(`unix:${parts.path}`);
  } else if (parts.scheme.startsWith('redis')) {
    const scheme = parts.hostname ? parts.scheme.replace('cache', '') : 'unix';
    // A socket has no path for its database: django-environ moves ?db= from the options onto each location.
    const db = parts.hostname ? undefined : takeDb(query);
    location = oneOrList(servers.map((server) => `${scheme}://${server}${parts.path}${db === undefined ? '' : `?db=${db}`}`));
  }
  const entries = new Map<string, SettingValue>([
    ['BACKEND', str(backend ?? schemeBackend)],
    ['LOCATION', location],
  ]);
  if (query.size > 0) {
    // Django's own RedisCache takes its options in lower case, django-redis and the others in upper
    // case; django-environ lower-cases KEY_PREFIX and the like for it too, so Django ignores them.
    const lowerCase = backend === DJANGO_REDIS_CACHE;
    const options = new Map<string, SettingValue>();
    for (const [name, value] of query) {
      (BASE_OPTIONS.has(name.toUpperCase()) ? entries : options).set(lowerCase ? name.toLowerCase() : name.toUpperCase(), pythonLiteralOrText(value));
    }
    entries.set('OPTIONS', { kind: 'dict', entries: options });
  }
  return { kind: 'dict', entries };
}

/** Removes the `db` parameter (in any case) from the query, returning its value. */
function takeDb(query: Map<string, string>): string | undefined {
  const name = [...query.keys()].find((key) => key.toLowerCase() === 'db');
  const value = name === undefined ? undefined : query.get(name);
  if (name !== undefined) {
    query.delete(name);
  }
  return value;
}
