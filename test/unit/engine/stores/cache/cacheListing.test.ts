import * as assert from 'node:assert/strict';
import { PyDict } from '../../../../../engine/src/codec';
import type { CacheBackend, CacheEntry, ScanBatch } from '../../../../../engine/src/stores/cache/cacheBackend';
import { decodeCacheCursor, encodeCacheCursor } from '../../../../../engine/src/stores/cache/cacheCursor';
import { CacheSessionStore } from '../../../../../engine/src/stores/cache/cacheSessionStore';
import { cacheSettingsOf } from '../../../../../engine/src/stores/cache/cacheSettings';
import { encodeCacheValue, type CacheValue } from '../../../../../engine/src/stores/cache/cacheValueCodec';
import { cacheDescriptor } from './cacheDescriptor';

/**
 * A cache whose SCAN returns each step's keys in a new order on every call, and sometimes twice,
 * as Redis does while it rehashes a growing table. The keyspace itself never changes.
 */
class RehashingCache implements CacheBackend {
  readonly description = 'rehashing test cache';
  private calls = 0;

  constructor(
    readonly values: Map<string, CacheValue>,
    private readonly step: number,
  ) {}

  get(key: string): Promise<CacheEntry | undefined> {
    const value = this.values.get(key);
    return Promise.resolve(value ? { value, ttlMs: 600_000 } : undefined);
  }

  async getMany(keys: string[]): Promise<(CacheEntry | undefined)[]> {
    return Promise.all(keys.map((key) => this.get(key)));
  }

  add(): Promise<boolean> {
    return Promise.reject(new Error('read-only'));
  }

  replaceIf(): Promise<boolean> {
    return Promise.reject(new Error('read-only'));
  }

  deleteIf(): Promise<boolean> {
    return Promise.reject(new Error('read-only'));
  }

  scan(cursor: string | undefined): Promise<ScanBatch> {
    const all = [...this.values.keys()];
    const start = Number(cursor ?? '0');
    const keys = all.slice(start, start + this.step);
    this.calls++;
    const rotated = keys.map((_, i) => keys[(i + this.calls * 7) % keys.length] as string);
    const repeated = this.calls % 3 === 0 ? [...rotated, rotated[0] as string] : rotated;
    const next = start + this.step;
    return Promise.resolve({ keys: repeated, cursor: next < all.length ? String(next) : undefined });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * A cache whose SCAN walks fixed slots from the cursor until it has `step` keys, as Redis walks
 * buckets: a step re-run after a deletion reaches further along. Slots can be emptied and filled
 * between calls.
 */
class SlotCache extends RehashingCache {
  constructor(
    readonly slots: (string | undefined)[],
    values: Map<string, CacheValue>,
    private readonly slotStep: number,
  ) {
    super(values, slotStep);
  }

  override scan(cursor: string | undefined): Promise<ScanBatch> {
    let at = Number(cursor ?? '0');
    const keys: string[] = [];
    while (at < this.slots.length && keys.length < this.slotStep) {
      const key = this.slots[at++];
      if (key !== undefined) {
        keys.push(key);
      }
    }
    return Promise.resolve({ keys, cursor: at < this.slots.length ? String(at) : undefined });
  }
}

describe('cache listing across pages', () => {
  const descriptor = cacheDescriptor('redis://127.0.0.1:6379?key_prefix=p');
  const settings = cacheSettingsOf(descriptor);
  const sessionKeys = Array.from({ length: 230 }, (_, i) => `s${String(i).padStart(4, '0')}abcdefghijklmnopqrstu`);
  const values = new Map<string, CacheValue>();
  for (const [i, key] of sessionKeys.entries()) {
    values.set(`p:1:django.contrib.sessions.cache${key}`, encodeCacheValue(new PyDict([['i', BigInt(i)]]), settings));
    if (i % 10 === 0) {
      values.set(`p:1:other${i}`, encodeCacheValue(new PyDict(), settings));
    }
  }

  async function listAll(limit: number, step: number): Promise<{ seen: string[]; pages: number }> {
    const store = new CacheSessionStore(descriptor, settings, new RehashingCache(values, step));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.list({ limit, cursor });
      assert.ok(page.sessions.length <= limit);
      seen.push(...page.sessions.map((s) => s.key));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    return { seen, pages };
  }

  it('returns every session exactly once when a resumed scan step comes back reordered or repeated', async () => {
    for (const [limit, step] of [
      [40, 1000],
      [7, 50],
      [50, 13],
      [1, 30],
    ] as const) {
      const { seen, pages } = await listAll(limit, step);
      assert.deepEqual([...seen].sort(), sessionKeys, `limit ${limit}, step ${step}`);
      assert.ok(pages >= Math.ceil(sessionKeys.length / limit), `limit ${limit}, step ${step}: ${pages} pages`);
    }
  });

  it('returns every session present throughout when Django deletes or adds sessions between pages', async () => {
    const cacheKeyOf = (key: string) => `p:1:django.contrib.sessions.cache${key}`;
    for (let trial = 0; trial < 40; trial++) {
      const slots = sessionKeys.slice(0, 60).map(cacheKeyOf) as (string | undefined)[];
      const backend = new SlotCache([...slots, ...Array<undefined>(20).fill(undefined)], new Map(values), 10);
      const store = new CacheSessionStore(descriptor, settings, backend);
      const seen = new Set<string>();
      let page = await store.list({ limit: 3 + (trial % 5) });
      let deleted: string | undefined;
      for (let round = 0; page.nextCursor; round++) {
        page.sessions.forEach((s) => seen.add(s.key));
        // A logout removes a session listed just now; a login adds one at the end of the keyspace.
        const victim = page.sessions[trial % page.sessions.length]?.key;
        if (round === trial % 4 && victim) {
          deleted = victim;
          const at = backend.slots.indexOf(cacheKeyOf(victim));
          backend.slots[at] = undefined;
          backend.values.delete(cacheKeyOf(victim));
          backend.slots[backend.slots.length - 1 - round] = cacheKeyOf(sessionKeys[100 + round]!);
        }
        page = await store.list({ limit: 3 + (trial % 5), cursor: page.nextCursor });
        // The cursor names at most one step's keys, however many pages the step took.
        assert.ok((decodeCacheCursor(page.nextCursor ?? encodeCacheCursor({})).handled ?? []).length <= 10);
      }
      page.sessions.forEach((s) => seen.add(s.key));
      const throughout = sessionKeys.slice(0, 60).filter((k) => k !== deleted);
      assert.deepEqual(throughout.filter((k) => !seen.has(k)), [], `trial ${trial}: a session present throughout was never listed`);
    }
  });

  it('always moves on, even when a filter matches nothing in a step larger than the scan budget', async () => {
    const store = new CacheSessionStore(descriptor, settings, new RehashingCache(values, 1000));
    let cursor: string | undefined;
    let pages = 0;
    let scanned = 0;
    do {
      const page = await store.list({ limit: 10, cursor, maxScan: 7, filter: { userId: 'nobody' } });
      assert.equal(page.sessions.length, 0);
      scanned += page.scanned ?? 0;
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 1000);
    assert.equal(cursor, undefined, 'the listing ends');
    assert.equal(scanned, sessionKeys.length, 'each session is decoded once across the pages');
  });
});
