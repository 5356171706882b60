import * as assert from 'node:assert/strict';
import { deflateSync, gzipSync } from 'node:zlib';
import { PyDict, pickleDumps } from '../../../../../engine/src/codec';
import { CacheSessionStore } from '../../../../../engine/src/stores/cache/cacheSessionStore';
import { cacheSettingsOf, type ExtendedCacheTarget } from '../../../../../engine/src/stores/cache/cacheSettings';
import { cacheValueFormatOf, MEMCACHED_FLAGS, type CacheValue } from '../../../../../engine/src/stores/cache/cacheValueCodec';
import { StoreError } from '../../../../../engine/src/stores/storeError';
import { cacheDescriptor } from './cacheDescriptor';
import { MemoryCache } from './memoryCache';

const KEY = 'formatkey0000000000000000000001';
const big = () => new PyDict([['cart', 'x'.repeat(200)], ['n', 1n]]);

function storeFor(url: string, extras: Partial<ExtendedCacheTarget> = {}): { store: CacheSessionStore; cache: MemoryCache; cacheKey: string } {
  const descriptor = cacheDescriptor(url);
  descriptor.cache = { ...descriptor.cache!, ...extras } as ExtendedCacheTarget;
  const cache = new MemoryCache();
  const store = new CacheSessionStore(descriptor, cacheSettingsOf(descriptor), cache);
  return { store, cache, cacheKey: store.keys.cacheKey(KEY) };
}

function formatOf(value: CacheValue | undefined) {
  assert.ok(value);
  const { pickleProtocol, compressor } = cacheValueFormatOf(value);
  return { pickleProtocol, compressor };
}

describe('cache value format on write', () => {
  it('creates new sessions in pickle protocol 4, which every Python Django runs on reads', async () => {
    for (const url of ['redis://h', 'redis://h?client=django-redis', 'memcached://h:11211']) {
      const { store, cache, cacheKey } = storeFor(url);
      await store.save(KEY, new PyDict([['a', 1n]]), { create: true });
      assert.equal(formatOf(cache.values.get(cacheKey)).pickleProtocol, 4, url);
    }
  });

  it('creates in the PICKLE_VERSION the settings give', async () => {
    const { store, cache, cacheKey } = storeFor('redis://h?client=django-redis&pickle_version=2');
    await store.save(KEY, new PyDict([['a', 1n]]), { create: true });
    assert.equal(formatOf(cache.values.get(cacheKey)).pickleProtocol, 2);
  });

  it('keeps the pickle protocol (2, 4 or 5) of the value an edit replaces', async () => {
    for (const url of ['redis://h', 'redis://h?client=django-redis&pickle_version=5', 'memcached://h:11211']) {
      for (const protocol of [2, 4, 5]) {
        const { store, cache, cacheKey } = storeFor(url);
        const flags = url.startsWith('memcached') ? MEMCACHED_FLAGS.pickle : undefined;
        cache.values.set(cacheKey, { bytes: pickleDumps(new PyDict([['a', 1n]]), protocol), flags });
        await store.update(KEY, (data) => data.set('b', 2n));
        await store.setExpiry(KEY, { kind: 'seconds', seconds: 600 });
        const stored = cache.values.get(cacheKey);
        assert.equal(formatOf(stored).pickleProtocol, protocol, `${url} protocol ${protocol}`);
        assert.equal(stored?.flags, flags);
      }
    }
  });

  it("keeps the replaced value's compression where the configured COMPRESSOR reads it back, else writes the configured one", async () => {
    const cases: Array<[string, CacheValue, 'zlib' | 'gzip' | undefined]> = [
      ['redis://h?client=django-redis', { bytes: deflateSync(pickleDumps(big(), 4)) }, 'zlib'],
      ['redis://h?client=django-redis&compressor=zlib', { bytes: deflateSync(pickleDumps(big(), 4)) }, 'zlib'],
      // A zlib COMPRESSOR cannot inflate gzip; its raw bytes would not unpickle.
      ['redis://h?client=django-redis&compressor=zlib', { bytes: gzipSync(pickleDumps(big(), 4)) }, 'zlib'],
      ['redis://h?client=django-redis&compressor=gzip', { bytes: deflateSync(pickleDumps(big(), 4)) }, 'gzip'],
      // An uncompressed value fails decompression and is read raw, as django-redis does.
      ['redis://h?client=django-redis&compressor=gzip', { bytes: pickleDumps(big(), 4) }, undefined],
    ];
    for (const [url, value, expected] of cases) {
      const { store, cache, cacheKey } = storeFor(url);
      cache.values.set(cacheKey, value);
      await store.update(KEY, (data) => data.set('more', 'y'.repeat(100)));
      assert.deepEqual(formatOf(cache.values.get(cacheKey)), { pickleProtocol: 4, compressor: expected }, url);
    }
  });

  it('uses the configured compression on create, and on an edit of a value too short to tell', async () => {
    const { store, cache, cacheKey } = storeFor('redis://h?client=django-redis&compressor=gzip');
    cache.values.set(cacheKey, { bytes: pickleDumps(new PyDict(), 4) });
    await store.update(KEY, (data) => data.set('cart', 'x'.repeat(200)));
    assert.equal(formatOf(cache.values.get(cacheKey)).compressor, 'gzip', 'an empty dict is never compressed, so it says nothing');
    const other = 'formatkey0000000000000000000002';
    await store.save(other, big(), { create: true });
    assert.equal(formatOf(cache.values.get(store.keys.cacheKey(other))).compressor, 'gzip');
  });

  it('refuses writes the settings say Django could not read, but still deletes', async () => {
    const { store, cache, cacheKey } = storeFor('redis://h?client=django-redis', { writeRefusal: 'SERIALIZER is JSON' });
    const refused = (err: unknown) => err instanceof StoreError && err.code === 'write-refused' && /JSON/.test(err.message);
    await assert.rejects(store.save(KEY, new PyDict([['a', 1n]]), { create: true }), refused);
    cache.values.set(cacheKey, { bytes: pickleDumps(new PyDict([['a', 1n]]), 4) });
    await assert.rejects(store.update(KEY, (data) => data.set('a', 2n)), refused);
    await assert.rejects(store.cycleKey(KEY), refused);
    assert.equal(await store.delete(KEY), true);
  });
});
