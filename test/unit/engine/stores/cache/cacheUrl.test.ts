import * as assert from 'node:assert/strict';
import { cacheSettingsOf } from '../../../../../engine/src/stores/cache/cacheSettings';
import { parseCacheUrl } from '../../../../../engine/src/stores/cache/cacheUrl';
import { openCacheStore } from '../../../../../engine/src/stores/cache/openCacheStore';
import { parseRedisLocation } from '../../../../../engine/src/stores/cache/redis/redisLocation';
import { StoreError } from '../../../../../engine/src/stores/storeError';
import { cacheDescriptor } from './cacheDescriptor';

const isBadUrl = (e: unknown) => e instanceof StoreError && e.code === 'bad-url';

describe('cache store URLs', () => {
  it('parses Redis with database index, ACL user, TLS and the cache query', () => {
    const { target, password } = parseCacheUrl('rediss://app:s3cret@cache.local:6380/5?key_prefix=shop&version=3&client=django-redis&compressor=zlib&pickle_version=5');
    assert.equal(password, 's3cret');
    assert.deepEqual(target.locations, ['rediss://app@cache.local:6380/5']);
    assert.ok(!JSON.stringify(target).includes('s3cret'), 'the password never lands in the target');
    assert.equal(target.keyPrefix, 'shop');
    assert.equal(target.version, 3);
    assert.equal(target.client, 'django-redis');
    assert.equal(target.compressor, 'zlib');
    assert.equal(target.pickleProtocol, 5, "pickle_version= from the URL");
    assert.deepEqual(parseRedisLocation(target.locations[0] as string), { host: 'cache.local', port: 6380, db: 5, username: 'app', password: undefined, tls: true, tlsVerify: true, tlsCaFile: undefined });
  });

  it("defaults to Django's RedisCache with prefix '' and version 1", () => {
    const settings = cacheSettingsOf(cacheDescriptor('redis://127.0.0.1:6379'));
    assert.equal(settings.transport, 'redis');
    assert.equal(settings.client, 'django');
    assert.equal(settings.pickleProtocol, 4, "protocol 4: every Python Django runs on reads it");
    assert.equal(settings.keyPrefix, '');
    assert.equal(settings.version, 1);
    assert.deepEqual(settings.locations, ['redis://127.0.0.1:6379/0']);
    assert.equal(cacheSettingsOf(cacheDescriptor('redis://h?client=django-redis')).pickleProtocol, 4);
  });

  it('parses clusters and several memcached servers', () => {
    const cluster = cacheSettingsOf(cacheDescriptor('redis+cluster://127.0.0.1:7000,127.0.0.1:7001?key_prefix=p'));
    assert.equal(cluster.transport, 'redis-cluster');
    assert.deepEqual(cluster.locations, ['redis+cluster://127.0.0.1:7000', 'redis+cluster://127.0.0.1:7001']);
    const mc = cacheSettingsOf(cacheDescriptor('memcached://127.0.0.1:11211,127.0.0.1:11212', 'cached_db'));
    assert.equal(mc.transport, 'memcached');
    assert.equal(mc.client, 'pymemcache');
    assert.equal(mc.sessionPrefix, 'django.contrib.sessions.cached_db');
    assert.deepEqual(mc.locations, ['127.0.0.1:11211', '127.0.0.1:11212']);
  });

  it('refuses a non-zero database on a Redis Cluster, which has database 0 only, before connecting', async () => {
    await assert.rejects(
      openCacheStore(cacheDescriptor('redis+cluster://127.0.0.1:1,127.0.0.1:2/3')),
      (e: unknown) => e instanceof StoreError && e.code === 'bad-url' && /Redis Cluster has only database 0, .* names database 3\. Fix the URL/.test((e as Error).message),
    );
    assert.deepEqual(cacheSettingsOf(cacheDescriptor('redis+cluster://127.0.0.1:7000/0')).locations, ['redis+cluster://127.0.0.1:7000']);
  });

  it('refuses what it cannot honour, naming the fix', () => {
    assert.throws(() => parseCacheUrl('redis://h/x'), isBadUrl);
    assert.throws(() => parseCacheUrl('redis://h?client=pylibmc'), isBadUrl);
    assert.throws(() => parseCacheUrl('redis://h?compressor=lzma'), (e: unknown) => isBadUrl(e) && /zlib and gzip/.test((e as Error).message));
    assert.throws(() => parseCacheUrl('memcached://u:p@h'), isBadUrl);
    assert.throws(() => parseCacheUrl('mongodb://h'), isBadUrl);
    assert.throws(() => parseCacheUrl('redis://h?version=x'), isBadUrl);
    const pylibmc = { ...cacheDescriptor('memcached://h:1'), cache: { alias: 'default', backend: 'django.core.cache.backends.memcached.PyLibMCCache', locations: ['h:1', 'h:2'], keyPrefix: '', version: 1 } };
    assert.throws(() => cacheSettingsOf(pylibmc), (e: unknown) => e instanceof StoreError && e.code === 'unsupported' && /PyMemcacheCache/.test(e.message));
    assert.equal(cacheSettingsOf({ ...pylibmc, cache: { ...pylibmc.cache, locations: ['h:1'] } }).transport, 'memcached', 'one pylibmc server holds the same pickles');
    const noCache = { ...cacheDescriptor('redis://h'), cache: undefined };
    assert.throws(() => cacheSettingsOf(noCache), isBadUrl);
  });

  it('reads settings-style CACHES locations too', () => {
    const fromSettings = { ...cacheDescriptor('redis://h'), cache: { alias: 'default', backend: 'django_redis.cache.RedisCache', locations: ['redis://:pw@10.0.0.1:6379/2'], keyPrefix: 'k', version: 1 } };
    const settings = cacheSettingsOf(fromSettings);
    assert.equal(settings.client, 'django-redis');
    assert.deepEqual(parseRedisLocation(settings.locations[0] as string), { host: '10.0.0.1', port: 6379, db: 2, username: undefined, password: 'pw', tls: false, tlsVerify: true, tlsCaFile: undefined });
  });
});

describe('Redis on a Unix socket, as redis-py names one', () => {
  it('takes unix://[user[:password]@]/path/redis.sock?db=N, the database in the query as redis-py reads it', () => {
    const { target, password } = parseCacheUrl('unix://app:s3cret@/run/redis/redis.sock?db=3&key_prefix=shop');
    assert.equal(password, 's3cret');
    assert.deepEqual(target.locations, ['unix://app@/run/redis/redis.sock?db=3']);
    assert.equal(target.keyPrefix, 'shop');
    assert.equal(target.backend, 'django.core.cache.backends.redis.RedisCache');
    assert.deepEqual(parseRedisLocation(target.locations[0] as string), { host: 'localhost', port: 6379, socketPath: '/run/redis/redis.sock', db: 3, username: 'app', password: undefined, tls: false, tlsVerify: true, tlsCaFile: undefined });
    assert.deepEqual(parseCacheUrl('unix:///tmp/r.sock').target.locations, ['unix:///tmp/r.sock?db=0']);
    assert.equal(cacheSettingsOf(cacheDescriptor('unix:///tmp/r.sock?db=2&client=django-redis')).client, 'django-redis');
  });

  it("takes redis-py's ?db= on TCP URLs too, where it wins over the path", () => {
    assert.deepEqual(parseCacheUrl('redis://h:6379?db=4').target.locations, ['redis://h:6379/4']);
    assert.deepEqual(parseCacheUrl('redis://h:6379/1?db=4').target.locations, ['redis://h:6379/4']);
    assert.throws(() => parseCacheUrl('memcached://h:11211?db=1'), (e: unknown) => isBadUrl(e) && /memcached has no databases/.test((e as Error).message));
    assert.throws(() => parseCacheUrl('unix:///tmp/r.sock?db=x'), (e: unknown) => isBadUrl(e) && /"x" is not a number/.test((e as Error).message));
  });

  it('refuses socket forms redis-py does not take as a socket, naming unix://', () => {
    // redis-py reads redis:///path as localhost:6379, database 0: not the socket at all.
    assert.throws(() => parseCacheUrl('redis:///run/redis/redis.sock?db=3'), (e: unknown) => isBadUrl(e) && /unix:\/\/\/run\/redis\/redis\.sock\?db=N/.test((e as Error).message));
    assert.throws(() => parseCacheUrl('unix://cache.local/run/redis.sock'), (e: unknown) => isBadUrl(e) && /names its file, not a host/.test((e as Error).message));
    assert.throws(() => parseCacheUrl('unix://'), (e: unknown) => isBadUrl(e) && /names its file/.test((e as Error).message));
    assert.throws(() => parseCacheUrl('unix:///tmp/r.sock?ssl_cert_reqs=none'), (e: unknown) => isBadUrl(e) && /no TLS/.test((e as Error).message));
  });
});

describe('Redis TLS options from the URL', () => {
  it("keeps redis-py's ssl_ca_certs and ssl_cert_reqs on the location", () => {
    const { target } = parseCacheUrl('rediss://127.0.0.1:6380/1?ssl_ca_certs=%2Fetc%2Fca.pem&key_prefix=p');
    assert.deepEqual(target.locations, ['rediss://127.0.0.1:6380/1?ssl_ca_certs=%2Fetc%2Fca.pem']);
    const location = parseRedisLocation(target.locations[0] as string);
    assert.equal(location.tlsCaFile, '/etc/ca.pem');
    assert.equal(location.tlsVerify, true);
    assert.equal(parseRedisLocation('rediss://h:1/0?ssl_cert_reqs=none').tlsVerify, false);
  });
});

describe('cache backends from settings', () => {
  it('explains why a per-process cache cannot be read', () => {
    const locmem = { ...cacheDescriptor('redis://h'), cache: { alias: 'default', backend: 'django.core.cache.backends.locmem.LocMemCache', locations: [], keyPrefix: '', version: 1 } };
    assert.throws(() => cacheSettingsOf(locmem), (e: unknown) => e instanceof StoreError && e.code === 'unsupported' && /inside each Django process/.test(e.message));
    const filebased = { ...locmem, cache: { ...locmem.cache, backend: 'django.core.cache.backends.filebased.FileBasedCache' } };
    assert.throws(() => cacheSettingsOf(filebased), (e: unknown) => e instanceof StoreError && e.code === 'unsupported' && /PyMemcacheCache are/.test(e.message));
  });

  it("maps Django's and django-redis's backends to their value formats", () => {
    const of = (backend: string, locations: string[]) => cacheSettingsOf({ ...cacheDescriptor('redis://h'), cache: { alias: 'default', backend, locations, keyPrefix: '', version: 1 } });
    assert.equal(of('django.core.cache.backends.redis.RedisCache', ['redis://127.0.0.1:6379']).client, 'django');
    assert.equal(of('django_redis.cache.RedisCache', ['redis://127.0.0.1:6379/1']).client, 'django-redis');
    const mc = of('django.core.cache.backends.memcached.PyMemcacheCache', ['127.0.0.1:11211']);
    assert.equal(mc.transport, 'memcached');
    assert.equal(mc.pickleProtocol, 4);
  });
});
