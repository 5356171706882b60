import * as assert from 'node:assert/strict';
import { PyDatetime, PyDict, PyTimezone } from '../../../../../engine/src/codec';
import type { ScanBatch } from '../../../../../engine/src/stores/cache/cacheBackend';
import { CacheSessionStore } from '../../../../../engine/src/stores/cache/cacheSessionStore';
import { cacheSettingsOf } from '../../../../../engine/src/stores/cache/cacheSettings';
import { encodeCacheValue } from '../../../../../engine/src/stores/cache/cacheValueCodec';
import { cacheDescriptor } from './cacheDescriptor';
import { MemoryCache } from './memoryCache';

const descriptor = cacheDescriptor('memcached://h?key_prefix=p');
const settings = cacheSettingsOf(descriptor);
const RESAVED = 'resavedsession0000000000000000ab';
const PAST_EXPIRY = 'pastexpirysession000000000000000';

/**
 * A memcached as its dump shows it: every entry listed as past its TTL (memcached, whose clock
 * runs up to a second behind this machine's, still serves such an entry), and `betweenDumpAndUse`
 * run after the dump, before the store acts on it, where Django's save of a session can land.
 */
class DumpedPastTtl extends MemoryCache {
  constructor(private readonly betweenDumpAndUse: () => void) {
    super();
  }

  async *scanAll(): AsyncIterable<ScanBatch> {
    const batch = { keys: [], expiredKeys: [...this.values.keys()] };
    this.betweenDumpAndUse();
    yield batch;
  }
}

function put(cache: MemoryCache, sessionKey: string, data: PyDict): void {
  cache.values.set(new CacheSessionStore(descriptor, settings, cache).keys.cacheKey(sessionKey), encodeCacheValue(data, settings));
}

describe('cache clear-expired and entries a memcached dump shows past their TTL', () => {
  it("keeps a session Django saved again after the dump, and deletes one whose absolute expiry passed", async () => {
    const saved = new PyDict([['django_counter', 2n]]);
    const cache = new DumpedPastTtl(() => put(cache, RESAVED, saved));
    put(cache, RESAVED, new PyDict([['django_counter', 1n]]));
    put(cache, PAST_EXPIRY, new PyDict([['_session_expiry', PyDatetime.fromDate(new Date(Date.now() - 3_600_000), PyTimezone.pytzUtc)]]));
    const store = new CacheSessionStore(descriptor, settings, cache);

    assert.equal(await store.clearExpired(), 1);
    const kept = await store.get(RESAVED);
    assert.ok(kept?.decoded.ok, "Django's save after the dump is still there");
    assert.equal(kept.decoded.session.data.get('django_counter'), 2n);
    assert.equal(await store.get(PAST_EXPIRY), undefined);
  });
});
