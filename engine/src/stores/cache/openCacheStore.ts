import type { StoreDescriptor } from '../storeDescriptor';
import { StoreError } from '../storeError';
import type { CacheBackend } from './cacheBackend';
import { cacheSettingsOf, type CacheSettings } from './cacheSettings';
import { CacheSessionStore } from './cacheSessionStore';
import { MemcachedBackend } from './memcached/memcachedBackend';
import { ShardedMemcachedBackend } from './memcached/shardedMemcachedBackend';
import { RedisBackend } from './redis/redisBackend';
import { RedisClusterBackend } from './redis/redisClusterBackend';

/** Secrets a cache connection may need; never part of a descriptor. */
export interface CacheSecrets {
  /** The Redis password (AUTH / ACL); otherwise the location's or `REDISCLI_AUTH`. */
  password?: string;
  /** The variable the settings read the password from, named where the server refuses it; else `REDISCLI_AUTH`. */
  passwordVariable?: string;
}

/** Connects to the cache a settings object names. */
export async function openCacheBackend(settings: CacheSettings, secrets: CacheSecrets = {}): Promise<CacheBackend> {
  const unit = settings.client === 'django-redis' ? 'PX' : 'EX';
  switch (settings.transport) {
    case 'redis': {
      const first = settings.locations[0];
      if (!first) {
        throw new StoreError('bad-url', 'The Redis cache names no server; use redis://host:port/db.');
      }
      // Django's RedisCache writes to the first location and reads replicas; the first is the primary.
      return RedisBackend.open(first, unit, settings.commandTimeoutMs, secrets);
    }
    case 'redis-cluster':
      return RedisClusterBackend.open(settings.locations, unit, settings.commandTimeoutMs, secrets);
    case 'memcached':
      if (settings.locations.length === 0) {
        throw new StoreError('bad-url', 'The memcached cache names no server; use memcached://host:port.');
      }
      // Several servers: keys are placed by pymemcache's rendezvous hashing, as Django's PyMemcacheCache does.
      return settings.locations.length === 1 ? MemcachedBackend.open(settings.locations[0] as string, settings.commandTimeoutMs) : ShardedMemcachedBackend.open(settings.locations, settings.commandTimeoutMs);
  }
}

/** Opens a `cache`-engine session store (Redis, Redis Cluster or memcached) for a descriptor. */
export async function openCacheStore(descriptor: StoreDescriptor, secrets: CacheSecrets = {}): Promise<CacheSessionStore> {
  const settings = cacheSettingsOf(descriptor);
  const backend = await openCacheBackend(settings, secrets);
  try {
    return new CacheSessionStore(descriptor, settings, backend);
  } catch (err) {
    // An open connection would keep the process alive after the error (a bad key_pattern=).
    await backend.close();
    throw err;
  }
}
