import * as assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { PyDict, pickleDumps } from '../../engine/src/codec';
import type { CacheSessionStore } from '../../engine/src/stores/cache/cacheSessionStore';
import { openCacheStore } from '../../engine/src/stores/cache/openCacheStore';
import { bucketOrderCursors, type ScanStep, singleScan, splitScan } from '../../engine/src/stores/cache/redis/splitScan';
import { cacheDescriptor } from '../unit/engine/stores/cache/cacheDescriptor';
import { REDIS, requireService, runTag } from './localServices';

const DB = 5;
const SESSIONS = 100_000;
const UNRELATED = 100_000;
const PAGE = 1000;

/** Writes keys in pipelined chunks: 200,000 single SETs would take minutes, this takes about a second. */
async function fill(client: Redis, count: number, keyOf: (i: number) => string, value: Buffer): Promise<void> {
  for (let start = 0; start < count; start += 10_000) {
    const pipeline = client.pipeline();
    for (let i = start; i < Math.min(count, start + 10_000); i++) {
      pipeline.set(keyOf(i), value, 'EX', 3600);
    }
    await pipeline.exec();
  }
}

describe('cache sessions at scale: 100,000 sessions among 100,000 unrelated keys', function () {
  this.timeout(180_000);
  let raw: Redis;
  let store: CacheSessionStore;
  let prefix: string;

  before(async function () {
    await requireService(this, REDIS);
    prefix = runTag();
    raw = new Redis({ host: '127.0.0.1', port: 6379, db: DB, lazyConnect: true });
    await raw.connect();
    const value = Buffer.from(pickleDumps(new PyDict([['_auth_user_id', '1'], ['cart', [1n, 2n, 3n]]]), 5));
    await fill(raw, SESSIONS, (i) => `${prefix}:1:django.contrib.sessions.cache${String(i).padStart(32, '0')}`, value);
    await fill(raw, UNRELATED, (i) => `${prefix}:1:views.decorators.cache.page${i}`, Buffer.from('x'));
    store = await openCacheStore(cacheDescriptor(`redis://127.0.0.1:6379/${DB}?key_prefix=${prefix}`));
  });

  after(async () => {
    await store?.close();
    if (raw) {
      let cursor = '0';
      do {
        const [next, keys] = await raw.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 10_000);
        if (keys.length > 0) {
          await raw.unlink(...keys);
        }
        cursor = next;
      } while (cursor !== '0');
      raw.disconnect();
    }
  });

  it('lists every session exactly once, page by page, with memory bounded by the page', async () => {
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    // Retained heap after a full collection, so garbage awaiting GC does not count as growth.
    const retained = () => {
      (globalThis as { gc?: () => void }).gc?.();
      return process.memoryUsage().heapUsed;
    };
    assert.ok((globalThis as { gc?: () => void }).gc, 'run with --expose-gc (test/interop/.mocharc.json)');
    const baseline = retained();
    let peak = 0;
    do {
      const page = await store.list({ limit: PAGE, cursor });
      assert.ok(page.sessions.length <= PAGE);
      for (const s of page.sessions) {
        assert.ok(s.decoded.ok);
        seen.add(s.key);
      }
      cursor = page.nextCursor;
      pages++;
      if (pages % 10 === 0) {
        peak = Math.max(peak, retained() - baseline);
      }
    } while (cursor);
    assert.equal(seen.size, SESSIONS);
    assert.ok(pages >= SESSIONS / PAGE);
    // The Set of 100,000 keys we keep here is ~10 MB; a store that held the whole keyspace or all records would exceed this.
    assert.ok(peak < 48 * 1024 * 1024, `heap grew by ${Math.round(peak / 1048576)} MB while paging`);
    assert.equal(await store.count(), SESSIONS);
  });

  it('walks the whole keyspace in two halves at once, each key once, as one walk finds them', async () => {
    assert.ok(bucketOrderCursors(await raw.info('server')), "this machine's Redis is taken for one whose walks the store splits");
    const glob = `${prefix}:1:django.contrib.sessions.cache*`;
    const calls: { cursor: string; count: number }[] = [];
    const step: ScanStep = (cursor, count) => {
      calls.push({ cursor, count });
      return raw.scan(cursor, 'MATCH', glob, 'COUNT', count);
    };
    const split: string[] = [];
    for await (const batch of splitScan(step, PAGE)) {
      split.push(...batch.keys);
    }
    assert.ok(calls.some((c) => c.cursor === '1'), 'the odd half was walked from cursor 1');
    assert.ok(calls.some((c) => c.count === 1), "the even half's last call was walked again a bucket at a time");
    assert.equal(split.length, SESSIONS, 'no key twice');
    const single = new Set<string>();
    for await (const batch of singleScan(step, PAGE)) {
      batch.keys.forEach((k) => single.add(k));
    }
    assert.deepEqual(new Set(split), single);
    assert.equal(single.size, SESSIONS);
  });

  it('stops both walks when the reader stops', async () => {
    let calls = 0;
    const step: ScanStep = (cursor, count) => {
      calls++;
      return raw.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', count);
    };
    let stoppedAt = 0;
    for await (const batch of splitScan(step, 100)) {
      assert.ok(Array.isArray(batch.keys));
      stoppedAt = calls;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(calls, stoppedAt, 'no SCAN is sent once the reader has stopped');
  });

  it('ends with the error of a SCAN that fails in either walk', async () => {
    for (const failing of ['1', 'even']) {
      const step: ScanStep = (cursor, count) => {
        const even = cursor !== '0' && !/[13579]$/.test(cursor);
        if (cursor === failing || (failing === 'even' && even)) {
          return Promise.reject(new Error(`lost at ${cursor}`));
        }
        return raw.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', count);
      };
      await assert.rejects(
        (async () => {
          for await (const batch of splitScan(step, PAGE)) {
            assert.ok(Array.isArray(batch.keys));
          }
        })(),
        /lost at/,
        `a failure in the ${failing === '1' ? 'odd' : 'even'} walk`,
      );
    }
  });

  it('finds every session that was there throughout while another client grows the keyspace under the walk', async () => {
    const glob = `${prefix}:1:django.contrib.sessions.cache*`;
    const step: ScanStep = (cursor, count) => raw.scan(cursor, 'MATCH', glob, 'COUNT', count);
    const writer = new Redis({ host: '127.0.0.1', port: 6379, db: DB });
    // 200,000 more keys double the table, so Redis rehashes while both halves walk.
    const growing = fill(writer, 200_000, (i) => `${prefix}:1:grown${i}`, Buffer.from('y'));
    const seen = new Set<string>();
    try {
      for await (const batch of splitScan(step, PAGE)) {
        batch.keys.forEach((k) => seen.add(k));
      }
    } finally {
      await growing;
      writer.disconnect();
    }
    assert.equal(seen.size, SESSIONS);
  });
});
