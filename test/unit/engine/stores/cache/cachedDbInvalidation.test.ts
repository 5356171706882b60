import * as assert from 'node:assert/strict';
import { PyDict, pickleDumps } from '../../../../../engine/src/codec';
import { CacheSessionStore } from '../../../../../engine/src/stores/cache/cacheSessionStore';
import { cacheSettingsOf } from '../../../../../engine/src/stores/cache/cacheSettings';
import { CachedDbSessionStore } from '../../../../../engine/src/stores/cachedDb/cachedDbSessionStore';
import type { SessionRecord, SessionStore } from '../../../../../engine/src/stores/sessionStore';
import { StoreError } from '../../../../../engine/src/stores/storeError';
import { cacheDescriptor } from './cacheDescriptor';
import { MemoryCache } from './memoryCache';

const KEY = 'cacheddbkey00000000000000000001';
const LATE_MS = 30;
const row: SessionRecord = { key: KEY, raw: 'row', decoded: { ok: true, session: { data: new PyDict([['a', 1n]]), signature: 'valid', format: 'signed', compressed: false } } };
const entry = () => ({ bytes: pickleDumps(new PyDict([['a', 1n]]), 4) });

/**
 * A db store whose row exists (or not) as told, and whose changes run `during` (to look at the
 * cache mid-change) and then succeed or fail as told.
 */
function fakeDb(options: { hasRow: boolean; fail?: StoreError; during?: () => void }): SessionStore {
  const change = async (): Promise<SessionRecord> => {
    options.during?.();
    if (options.fail) {
      throw options.fail;
    }
    return row;
  };
  return {
    get: async () => (options.hasRow ? row : undefined),
    save: change,
    update: change,
    clear: change,
    setExpiry: change,
    cycleKey: change,
    delete: async () => {
      options.during?.();
      return options.hasRow;
    },
    close: async () => undefined,
  } as unknown as SessionStore;
}

function open(db: SessionStore): { store: CachedDbSessionStore; cache: MemoryCache; cacheKey: string } {
  const descriptor = cacheDescriptor('redis://h?client=django-redis', 'cached_db');
  const cache = new MemoryCache();
  const view = new CacheSessionStore(descriptor, cacheSettingsOf(descriptor), cache);
  return { store: new CachedDbSessionStore(descriptor, db, view, LATE_MS), cache, cacheKey: view.keys.cacheKey(KEY) };
}

const edits: Array<[string, (s: CachedDbSessionStore) => Promise<unknown>]> = [
  ['update', (s) => s.update(KEY, (d) => d.set('b', 2n))],
  ['clear', (s) => s.clear(KEY)],
  ['setExpiry', (s) => s.setExpiry(KEY, { kind: 'seconds', seconds: 60 })],
  ['cycleKey', (s) => s.cycleKey(KEY)],
  ['save (replace)', (s) => s.save(KEY, new PyDict(), { expectedRaw: 'row' })],
];

describe('cached_db cache invalidation', () => {
  it('deletes the entry before the row changes, after, and once more later against a stale refill', async () => {
    for (const [name, edit] of edits) {
      let seenDuring: boolean | undefined;
      const { store, cache, cacheKey } = open(fakeDb({ hasRow: true, during: () => (seenDuring = cache.values.has(cacheKey)) }));
      cache.values.set(cacheKey, entry());
      await edit(store);
      assert.equal(seenDuring, false, `${name}: no entry while the row changes`);
      assert.equal(cache.values.has(cacheKey), false, `${name}: no entry after`);
      // A Django request that read the old row before our change refills the cache after it.
      cache.values.set(cacheKey, entry());
      await store.settled();
      assert.equal(cache.values.has(cacheKey), false, `${name}: the stale refill is deleted`);
      await store.close();
    }
  });

  it('does the same for delete, and close waits for the late delete', async () => {
    let seenDuring: boolean | undefined;
    const { store, cache, cacheKey } = open(fakeDb({ hasRow: true, during: () => (seenDuring = cache.values.has(cacheKey)) }));
    cache.values.set(cacheKey, entry());
    assert.equal(await store.delete(KEY), true);
    assert.equal(seenDuring, false);
    cache.values.set(cacheKey, entry());
    await store.close();
    assert.equal(cache.values.has(cacheKey), false);
  });

  it('refuses to edit a session only the cache holds, and leaves it to Django', async () => {
    for (const [name, edit] of edits) {
      const { store, cache, cacheKey } = open(fakeDb({ hasRow: false, fail: new StoreError('not-found', 'no row') }));
      cache.values.set(cacheKey, entry());
      await assert.rejects(edit(store), (err) => err instanceof StoreError && err.code === 'write-refused' && /only in the cache.*fails any save.*Delete it/.test(err.message), name);
      await store.settled();
      assert.equal(cache.values.has(cacheKey), true, `${name}: Django still serves the orphan`);
    }
  });

  it('leaves the entry of a session the edit did not find, or a create that found its key taken', async () => {
    const missing = open(fakeDb({ hasRow: false, fail: new StoreError('not-found', 'no row') }));
    await assert.rejects(missing.store.update(KEY, () => undefined), (err) => err instanceof StoreError && err.code === 'not-found');
    const taken = open(fakeDb({ hasRow: true, fail: new StoreError('exists', 'taken') }));
    taken.cache.values.set(taken.cacheKey, entry());
    await assert.rejects(taken.store.save(KEY, new PyDict(), { create: true }), (err) => err instanceof StoreError && err.code === 'exists');
    await taken.store.settled();
    assert.equal(taken.cache.values.has(taken.cacheKey), true, 'the existing session keeps its entry');
  });

  it('drops the entry after a conflict (Django wrote meanwhile), so Django reloads the row', async () => {
    const { store, cache, cacheKey } = open(fakeDb({ hasRow: true, fail: new StoreError('conflict', 'changed'), during: () => cache.values.set(cacheKey, entry()) }));
    await assert.rejects(store.update(KEY, () => undefined), (err) => err instanceof StoreError && err.code === 'conflict');
    assert.equal(cache.values.has(cacheKey), false);
    await store.close();
  });
});
