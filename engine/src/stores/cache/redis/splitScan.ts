import type { ScanBatch } from '../cacheBackend';
import { MergedWalks } from './mergedWalks';

/** One SCAN call from `cursor`: the cursor it returned ('0' at the end) and its keys. */
export type ScanStep = (cursor: string, count: number) => Promise<[string, string[]]>;

const isOdd = (cursor: string): boolean => /[13579]$/.test(cursor);

/**
 * A whole-keyspace SCAN as two walks in flight at once, so Redis reads one walk's buckets while
 * we take in the other's reply: one walk waits for each reply before it can ask again.
 *
 * Redis visits buckets in reverse-binary order of their index: from cursor 0 it walks every even
 * bucket before it reaches cursor 1, and from 1 every odd bucket before it returns to 0. A
 * bucket's parity is its hash's lowest bit in a table of any size, so each walk keeps SCAN's
 * guarantee for its half across rehashing. The even walk's last call runs on into odd buckets;
 * that stretch is walked again with COUNT 1, which stops at the first bucket holding a key, so
 * each of those keys is known to come from an even bucket (kept) or an odd one (the odd walk's).
 *
 * A keyspace the first call walks past the middle of is small, and is finished by one walk.
 */
export async function* splitScan(step: ScanStep, count: number): AsyncIterable<ScanBatch> {
  const [first, firstKeys] = await step('0', count);
  if (first === '0' || isOdd(first)) {
    yield* singleScan(step, count, { cursor: first, keys: firstKeys });
    return;
  }
  const walks = new MergedWalks();
  walks.run(evenWalk(step, count, first, firstKeys));
  walks.run(oddWalk(step, count));
  yield* walks.batches();
}

/** A whole-keyspace SCAN as one walk, from its start or from a first call already made. */
export async function* singleScan(step: ScanStep, count: number, made?: { cursor: string; keys: string[] }): AsyncIterable<ScanBatch> {
  let [cursor, keys] = made ? [made.cursor, made.keys] : await step('0', count);
  for (;;) {
    yield cursor === '0' ? { keys } : { keys, cursor };
    if (cursor === '0') {
      return;
    }
    [cursor, keys] = await step(cursor, count);
  }
}

/**
 * Whether the server's SCAN cursors are Redis's reverse-binary bucket indexes, which `splitScan`
 * relies on, by its INFO server section: a Redis server process of its own (standalone, naming its
 * executable). Servers that only speak Redis's protocol name their own version there (Valkey,
 * Dragonfly, Kvrocks, Garnet), and proxies in front of several shards (managed and enterprise
 * offerings) give no executable; their cursors may mean something else, and a half walked on a
 * wrong guess would miss sessions, so they are walked once.
 */
export function bucketOrderCursors(infoServer: string): boolean {
  const versions = [...infoServer.matchAll(/^(\w+)_version:/gm)].map((m) => m[1]);
  return (
    versions.includes('redis') &&
    versions.every((name) => name === 'redis' || name === 'gcc') &&
    !/^server_name:(?!redis\s*$)/m.test(infoServer) &&
    /^redis_mode:standalone\s*$/m.test(infoServer) &&
    /^executable:\S/m.test(infoServer)
  );
}

/** The even buckets, from the cursor the first call returned. */
async function* evenWalk(step: ScanStep, count: number, from: string, firstKeys: string[]): AsyncIterable<ScanBatch> {
  yield { keys: firstKeys };
  let cursor = from;
  for (;;) {
    const [next, keys] = await step(cursor, count);
    if (next === '0' || isOdd(next)) {
      yield* evenTail(step, cursor);
      return;
    }
    yield { keys };
    cursor = next;
  }
}

/**
 * The end of the even walk, a bucket at a time: a call returning an even cursor, or cursor 1 (the
 * first odd bucket), found its keys in an even bucket; one returning another odd cursor or 0 found
 * them in an odd bucket, and the even half is done.
 */
async function* evenTail(step: ScanStep, from: string): AsyncIterable<ScanBatch> {
  let cursor = from;
  for (;;) {
    const [next, keys] = await step(cursor, 1);
    if (next !== '0' && (!isOdd(next) || next === '1')) {
      yield { keys };
    }
    if (next === '0' || isOdd(next)) {
      return;
    }
    cursor = next;
  }
}

/** The odd buckets: from cursor 1 until Redis returns 0. */
async function* oddWalk(step: ScanStep, count: number): AsyncIterable<ScanBatch> {
  let cursor = '1';
  do {
    const [next, keys] = await step(cursor, count);
    yield { keys };
    cursor = next;
  } while (cursor !== '0');
}
