import * as assert from 'node:assert/strict';
import { PyDict } from '../../../../../engine/src/codec';
import type { ScanBatch } from '../../../../../engine/src/stores/cache/cacheBackend';
import { CacheSessionStore } from '../../../../../engine/src/stores/cache/cacheSessionStore';
import { cacheSettingsOf } from '../../../../../engine/src/stores/cache/cacheSettings';
import { CachedDbSessionStore } from '../../../../../engine/src/stores/cachedDb/cachedDbSessionStore';
import { openStore, parseStoreUrl, type SessionStore } from '../../../../../engine/src';
import { sqliteFromFixture } from '../sqliteFixture';
import { TRUSTING_ENV } from '../sqlJsTrust';
import { cacheDescriptor } from './cacheDescriptor';
import { MemoryCache } from './memoryCache';

/** Keys per SCAN step or dump batch: small, so a few sessions make several batches. */
const STEP = 2;
/** Three full batches. */
const SESSIONS = 6;

/** The key of user 7's `i`th session; the walks below go in key order. */
function sessionKey(i: number): string {
  return `usersession${String(i).padStart(21, '0')}`;
}

/** The memory cache walked a few keys per SCAN step, in key order, as Redis walks a keyspace; deleting a key never moves the walk. */
class SteppedCache extends MemoryCache {
  override scan(cursor?: string): Promise<ScanBatch> {
    const after = [...this.values.keys()].sort().filter((k) => cursor === undefined || k > cursor);
    const keys = after.slice(0, STEP);
    return Promise.resolve({ keys, cursor: after.length > STEP ? keys.at(-1) : undefined });
  }
}

/** The same keyspace read by one walk of the backend's own, as memcached's metadump is. */
class DumpedCache extends SteppedCache {
  async *scanAll(): AsyncIterable<ScanBatch> {
    let cursor: string | undefined;
    do {
      const batch = await this.scan(cursor);
      yield batch;
      cursor = batch.cursor;
    } while (cursor !== undefined);
  }
}

/** A cache store holding `SESSIONS` sessions of user 7. */
async function cacheStore(cache: MemoryCache): Promise<CacheSessionStore> {
  const descriptor = cacheDescriptor('redis://h?client=django-redis');
  const store = new CacheSessionStore(descriptor, cacheSettingsOf(descriptor), cache);
  for (let i = 0; i < SESSIONS; i++) {
    await store.save(sessionKey(i), new PyDict([['_auth_user_id', '7']]), { create: true });
  }
  return store;
}

/** deleteByUser('7') cancelled by the progress report `cancelAt` returns true for; what it deleted and whether it called itself finished. */
async function deleteCancelled(store: SessionStore, cancelAt: (done: number, call: number) => boolean) {
  const cancel = new AbortController();
  let finished = false;
  let calls = 0;
  const deleted = await store.deleteByUser('7', {
    signal: cancel.signal,
    onProgress: (done) => {
      if (cancelAt(done, ++calls)) {
        cancel.abort();
      }
    },
    onFinished: () => (finished = true),
  });
  assert.equal(cancel.signal.aborted, true, 'the cancellation came');
  return { deleted, finished };
}

describe('deleteByUser on a cache tells a cancellation after the end from one part way', () => {
  for (const [walk, Cache] of [
    ['SCAN steps', SteppedCache],
    ["the backend's own walk", DumpedCache],
  ] as const) {
    it(`calls onFinished when cancelled after the last batch, not after the first (${walk})`, async () => {
      const late = await deleteCancelled(await cacheStore(new Cache()), (done) => done === SESSIONS);
      assert.deepEqual(late, { deleted: SESSIONS, finished: true });

      const cache = new Cache();
      const early = await deleteCancelled(await cacheStore(cache), (_, call) => call === 1);
      assert.deepEqual(early, { deleted: STEP, finished: false });
      assert.equal(cache.values.size, SESSIONS - STEP, 'the rest is left');
    });
  }
});

describe('clearExpired on a cache tells a cancellation after the end from one part way', () => {
  for (const [walk, Cache] of [
    ['SCAN steps', SteppedCache],
    ["the backend's own walk", DumpedCache],
  ] as const) {
    it(`calls onFinished when cancelled after the last batch, not after the first (${walk})`, async () => {
      for (const [cancelAt, finished] of [
        [(seen: number) => seen === SESSIONS, true],
        [(seen: number) => seen === STEP, false],
      ] as const) {
        const cancel = new AbortController();
        let called = false;
        await (await cacheStore(new Cache())).clearExpired({ signal: cancel.signal, onProgress: (seen) => cancelAt(seen) && cancel.abort(), onFinished: () => (called = true) });
        assert.equal(cancel.signal.aborted, true, 'the cancellation came');
        assert.equal(called, finished);
      }
    });
  }
});

describe('deleteByUser on cached_db finishes only when both the rows and the cache were walked to their end', () => {
  /** The SQLite fixture, which has no session of user 7, beside a cache holding `SESSIONS` of user 7's, none with a row. */
  async function cachedDb(): Promise<{ store: CachedDbSessionStore; cache: SteppedCache; view: CacheSessionStore }> {
    const file = await sqliteFromFixture('sessions.sql');
    const db = await openStore(parseStoreUrl(`sqlite://${file}`, '/', { secretKeys: ['k'.repeat(50)], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }), { sqliteDriver: 'sqljs', env: TRUSTING_ENV });
    const descriptor = cacheDescriptor('redis://h?client=django-redis', 'cached_db');
    const cache = new SteppedCache();
    const view = new CacheSessionStore(descriptor, cacheSettingsOf(descriptor), cache);
    for (let i = 0; i < SESSIONS; i++) {
      await view.save(sessionKey(i), new PyDict([['_auth_user_id', '7']]), { create: true });
    }
    return { store: new CachedDbSessionStore(descriptor, db, view, 1), cache, view };
  }

  it('calls onFinished for a cancellation after the last cache batch', async () => {
    const { store } = await cachedDb();
    const rows = await store.count();
    assert.deepEqual(await deleteCancelled(store, (done) => done === rows + SESSIONS), { deleted: SESSIONS, finished: true });
    await store.close();
  });

  it('does not for a cancellation between the rows and the cache, nor in the middle of a cache batch', async () => {
    const between = await cachedDb();
    // The first report is the rows' one page: the cache has not been walked.
    assert.deepEqual(await deleteCancelled(between.store, (_, call) => call === 1), { deleted: 0, finished: false });
    assert.equal(between.cache.values.size, SESSIONS);
    await between.store.close();

    const { store, cache, view } = await cachedDb();
    const cancel = new AbortController();
    let finished = false;
    // Cancelled as the first session of the last batch is deleted: the batch's second is left.
    const onDeleted = async (key: string) => void (key === sessionKey(SESSIONS - STEP) && cancel.abort());
    const deleted = await store.deleteByUser('7', { signal: cancel.signal, onDeleted, onFinished: () => (finished = true) });
    assert.deepEqual({ deleted, finished, left: [...cache.values.keys()] }, { deleted: SESSIONS - 1, finished: false, left: [view.keys.cacheKey(sessionKey(SESSIONS - 1))] });
    await store.close();
  });
});
