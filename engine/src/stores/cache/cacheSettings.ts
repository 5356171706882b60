import type { CacheTarget, StoreDescriptor } from '../storeDescriptor';
import { StoreError } from '../storeError';

/** How values are written: Django ≥ 4 `RedisCache`, django-redis, or pymemcache (`PyMemcacheCache`). */
export type CacheClientKind = 'django' | 'django-redis' | 'pymemcache';

/** django-redis `COMPRESSOR`s we can read and write with Node's own zlib. */
export type CacheCompressor = 'zlib' | 'gzip';

/** The transport a cache store talks to. */
type CacheTransport = 'redis' | 'redis-cluster' | 'memcached';

/**
 * What a cache URL or `CACHES` entry says beyond `CacheTarget`'s fields. These ride along on the
 * descriptor's `cache` object (all optional) until `CacheTarget` grows them.
 */
export interface CacheTargetExtras {
  /** Custom `KEY_FUNCTION` as a pattern over `{prefix}`, `{version}` and `{key}`; default `{prefix}:{version}:{key}`. */
  keyPattern?: string;
  /** `client=` from the URL; otherwise derived from `backend`. */
  client?: CacheClientKind;
  /** django-redis `OPTIONS['COMPRESSOR']`, for writing (reading detects it). */
  compressor?: CacheCompressor;
  /** django-redis `OPTIONS['PICKLE_VERSION']`. */
  pickleProtocol?: number;
  /** Why sessions written here would not be what Django reads (e.g. a JSON `SERIALIZER`): reads and deletes work, writes are refused. */
  writeRefusal?: string;
  /** Set for django-redis's JSON `SERIALIZER`, whose JSON objects are read as sessions. */
  jsonValues?: true;
  /** Why the settings cannot be followed at all (e.g. a custom `KEY_FUNCTION`): opening the store fails with it. */
  unsupported?: string;
  /** How long a command waits for the server's reply before failing; `DEFAULT_COMMAND_TIMEOUT_MS` unless set. */
  commandTimeoutMs?: number;
}

/** A cache target with the extras a URL may carry. */
export type ExtendedCacheTarget = CacheTarget & CacheTargetExtras;

/** Everything a cache session store needs, resolved from a descriptor. */
export interface CacheSettings {
  transport: CacheTransport;
  client: CacheClientKind;
  /** `redis://…`, `rediss://…` or `host:port` strings, never with a password. */
  locations: string[];
  keyPattern: string;
  keyPrefix: string;
  version: number;
  /** `django.contrib.sessions.cache` or `django.contrib.sessions.cached_db`. */
  sessionPrefix: string;
  compressor?: CacheCompressor;
  pickleProtocol: number;
  /** Set when sessions must not be written (see `CacheTargetExtras.writeRefusal`). */
  writeRefusal?: string;
  /** Values may be JSON objects (see `CacheTargetExtras.jsonValues`). */
  jsonValues?: true;
  commandTimeoutMs: number;
}

/** A stopped or overloaded server fails a command after this long instead of hanging the caller. */
const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;

export const DEFAULT_KEY_PATTERN = '{prefix}:{version}:{key}';
export const CACHE_SESSION_PREFIX = 'django.contrib.sessions.cache';
export const CACHED_DB_SESSION_PREFIX = 'django.contrib.sessions.cached_db';

/**
 * The pickle protocol of a new session unless PICKLE_VERSION says otherwise. Django's RedisCache
 * and pymemcache write HIGHEST_PROTOCOL (5 on Python ≥ 3.8), but the Python reading may be older
 * (Django 3.2 runs on 3.6 and 3.7, which cannot read 5, and Django's cache load turns that error
 * into a miss); every Python ≥ 3.4 reads 4, which is also django-redis's default.
 */
const DEFAULT_PICKLE_PROTOCOL = 4;

/** Whether a cache backend keeps its entries inside each Django process (LocMemCache), or keeps none (DummyCache). */
export function isPerProcessCache(backend: string): boolean {
  return /locmem|dummy/i.test(backend);
}

/** How a cache is reached, or undefined for a backend not opened here (per-process, file, database). */
export function cacheTransportOf(target: CacheTarget): CacheTransport | undefined {
  const backend = target.backend.toLowerCase();
  const first = target.locations[0] ?? '';
  // Checked first: "LocMemCache" contains "memcache".
  if (isPerProcessCache(backend)) {
    return undefined;
  }
  if (first.startsWith('redis+cluster://') || backend.includes('cluster')) {
    return 'redis-cluster';
  }
  if (backend.includes('memcache') || first.startsWith('memcached://')) {
    return 'memcached';
  }
  if (backend.includes('redis') || /^rediss?:\/\//.test(first)) {
    return 'redis';
  }
  return undefined;
}

function transportOf(target: CacheTarget): CacheTransport {
  const transport = cacheTransportOf(target);
  if (transport) {
    return transport;
  }
  if (isPerProcessCache(target.backend)) {
    throw new StoreError('unsupported', `${target.backend} keeps sessions inside each Django process (or nowhere), so no other program can read them; use Redis or memcached for the session cache to see sessions here.`);
  }
  throw new StoreError('unsupported', `Sessions in the cache backend ${target.backend || '(none)'} are not supported; Redis (django-redis or Django's RedisCache), Redis Cluster and PyMemcacheCache are.`);
}

function clientOf(target: ExtendedCacheTarget, transport: CacheTransport): CacheClientKind {
  if (transport === 'memcached') {
    // PyLibMCCache and MemcachedCache pickle a dict under the same flag (1) as pymemcache, but pick servers by other hashes.
    if (/PyLibMC|\.MemcachedCache$/i.test(target.backend) && target.locations.length > 1) {
      throw new StoreError('unsupported', `${target.backend} spreads keys over several servers with its own hashing, which is not supported; use PyMemcacheCache, or point the store at one server.`);
    }
    return 'pymemcache';
  }
  if (target.client) {
    return target.client;
  }
  return target.backend.startsWith('django_redis') ? 'django-redis' : 'django';
}

/** Resolves a descriptor's cache into settings; throws StoreError when it has none or names an unsupported backend. */
export function cacheSettingsOf(descriptor: StoreDescriptor): CacheSettings {
  const target = descriptor.cache as ExtendedCacheTarget | undefined;
  if (!target) {
    throw new StoreError('bad-url', `Store ${descriptor.id} uses the ${descriptor.engine} engine but names no cache; give a redis://, redis+cluster:// or memcached:// URL.`);
  }
  if (target.unsupported) {
    throw new StoreError('unsupported', target.unsupported);
  }
  const transport = transportOf(target);
  const client = clientOf(target, transport);
  const pickleProtocol = target.pickleProtocol ?? DEFAULT_PICKLE_PROTOCOL;
  if (!Number.isInteger(pickleProtocol) || pickleProtocol < 2 || pickleProtocol > 5) {
    throw new StoreError('bad-url', `Pickle protocol ${pickleProtocol} cannot be written; use 2 to 5 (PICKLE_VERSION).`);
  }
  return {
    transport,
    client,
    locations: target.locations,
    keyPattern: target.keyPattern ?? DEFAULT_KEY_PATTERN,
    keyPrefix: target.keyPrefix,
    version: target.version,
    sessionPrefix: descriptor.engine === 'cached_db' ? CACHED_DB_SESSION_PREFIX : CACHE_SESSION_PREFIX,
    compressor: client === 'django-redis' ? target.compressor : undefined,
    pickleProtocol,
    writeRefusal: target.writeRefusal,
    ...(target.jsonValues ? { jsonValues: true as const } : {}),
    commandTimeoutMs: target.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
  };
}
