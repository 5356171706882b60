import * as assert from 'node:assert/strict';
import { settingValueToJson } from '../../../../engine/src/project';
import { environCacheConfig } from '../../../../engine/src/project/environCacheUrl';
import { cacheSettingsOf } from '../../../../engine/src/stores/cache/cacheSettings';
import { parseRedisLocation } from '../../../../engine/src/stores/cache/redis/redisLocation';
import { StoreError } from '../../../../engine/src/stores/storeError';
import { projectWithSettings } from './settingsProject';

const json = (url: string, backend?: string) => settingValueToJson(environCacheConfig(url, backend));

describe("django-environ's env.cache()", () => {
  it('puts key_prefix, timeout and version on the entry and the other parameters in OPTIONS, read as Python literals', () => {
    assert.deepEqual(json('redis://127.0.0.1:6379/1?key_prefix=shop&timeout=600&version=2&client_class=django_redis.client.DefaultClient&ignore_exceptions=True'), {
      BACKEND: 'django_redis.cache.RedisCache',
      LOCATION: 'redis://127.0.0.1:6379/1',
      KEY_PREFIX: 'shop',
      TIMEOUT: 600,
      VERSION: 2,
      OPTIONS: { CLIENT_CLASS: 'django_redis.client.DefaultClient', IGNORE_EXCEPTIONS: true },
    });
  });

  it('gives each of several servers the database, as a LOCATION list', () => {
    assert.deepEqual(json('redis://h1:6379,h2:6379/0'), { BACKEND: 'django_redis.cache.RedisCache', LOCATION: ['redis://h1:6379/0', 'redis://h2:6379/0'] });
    assert.deepEqual(json('rediscache://:pw@h:6380/3'), { BACKEND: 'django_redis.cache.RedisCache', LOCATION: 'redis://:pw@h:6380/3' });
    assert.deepEqual(json('redis:///run/redis.sock?db=2'), { BACKEND: 'django_redis.cache.RedisCache', LOCATION: 'unix:///run/redis.sock?db=2' });
    assert.deepEqual(json('memcache://10.0.0.1:11211,10.0.0.2:11211'), { BACKEND: 'django.core.cache.backends.memcached.MemcachedCache', LOCATION: ['10.0.0.1:11211', '10.0.0.2:11211'] });
    assert.deepEqual(json('pymemcache:///tmp/mc.sock'), { BACKEND: 'django.core.cache.backends.memcached.PyMemcacheCache', LOCATION: 'unix:/tmp/mc.sock' });
  });

  it("knows django-environ's scheme names, and no others", () => {
    assert.deepEqual(json('locmemcache://'), { BACKEND: 'django.core.cache.backends.locmem.LocMemCache', LOCATION: '' });
    assert.deepEqual(json('dummycache://'), { BACKEND: 'django.core.cache.backends.dummy.DummyCache', LOCATION: '' });
    assert.deepEqual(json('dbcache://my_cache_table'), { BACKEND: 'django.core.cache.backends.db.DatabaseCache', LOCATION: 'my_cache_table' });
    assert.deepEqual(json('filecache:///var/tmp/cache'), { BACKEND: 'django.core.cache.backends.filebased.FileBasedCache', LOCATION: '/var/tmp/cache' });
    assert.deepEqual(json('pylibmc://m:11211'), { BACKEND: 'django.core.cache.backends.memcached.PyLibMCCache', LOCATION: 'm:11211' });
    assert.deepEqual(json('locmem://'), { unresolved: "unsupported cache URL scheme 'locmem'" });
  });

  it("takes backend= over the scheme's, with Django's RedisCache options in lower case as django-environ writes them", () => {
    assert.deepEqual(json('redis://r:6379/1?timeout=5&max_connections=10', 'django.core.cache.backends.redis.RedisCache'), {
      BACKEND: 'django.core.cache.backends.redis.RedisCache',
      LOCATION: 'redis://r:6379/1',
      timeout: 5,
      OPTIONS: { max_connections: 10 },
    });
  });

  it('makes a store that keeps the prefix, uses django-redis, refuses MemcachedCache over several servers, and reads a Redis socket', async () => {
    const settings = (cacheUrl: string) =>
      projectWithSettings(`import environ\nenv = environ.Env()\nSECRET_KEY = "k"\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"\nCACHES = {"default": env.cache("CACHE_URL", default="${cacheUrl}")}\n`);
    const [redis] = (await settings('redis://127.0.0.1:6379/1?key_prefix=2024')).stores;
    assert.deepEqual([redis?.cache?.backend, redis?.cache?.locations, redis?.cache?.keyPrefix], ['django_redis.cache.RedisCache', ['redis://127.0.0.1:6379/1'], '2024']);
    assert.equal(cacheSettingsOf(redis!).client, 'django-redis');
    const [memcached] = (await settings('memcache://10.0.0.1:11211,10.0.0.2:11211')).stores;
    assert.throws(() => cacheSettingsOf(memcached!), (e: unknown) => e instanceof StoreError && /MemcachedCache spreads keys over several servers/.test(e.message));
    const [socket] = (await settings('redis:///run/redis.sock')).stores;
    assert.deepEqual(socket?.cache?.locations, ['unix:///run/redis.sock']);
    assert.equal(parseRedisLocation(socket!.cache!.locations[0]!).socketPath, '/run/redis.sock');
  });
});
