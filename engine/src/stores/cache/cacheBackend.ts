import type { CacheValue } from './cacheValueCodec';

/** A cache entry and its remaining lifetime. */
export interface CacheEntry {
  value: CacheValue;
  /** Milliseconds left; undefined when the entry never expires. */
  ttlMs?: number;
}

/** One bounded step of key enumeration. */
export interface ScanBatch {
  keys: string[];
  /** Where the next step starts; undefined when the enumeration is complete. */
  cursor?: string;
  /**
   * Keys whose TTL has passed by this machine's clock but which the server still holds: memcached
   * lists an entry until its own clock, up to a second behind, passes it, and serves it until then.
   */
  expiredKeys?: string[];
}

/**
 * The few primitives a cache session store needs from Redis, Redis Cluster or memcached. Writes
 * are conditional so that a concurrent Django write is never overwritten.
 */
export interface CacheBackend {
  /** Where it points, for messages; never includes a password. */
  readonly description: string;
  get(key: string): Promise<CacheEntry | undefined>;
  /** Values for many keys in one round trip where the server allows it; undefined for a miss. */
  getMany(keys: string[]): Promise<(CacheEntry | undefined)[]>;
  /** Stores only if the key is absent (`SET NX` / memcached `add`); false when it exists. */
  add(key: string, value: CacheValue, ttlSeconds: number): Promise<boolean>;
  /** Replaces the value only if it is still `expected`; false otherwise (including when it is gone). */
  replaceIf(key: string, expected: Uint8Array, value: CacheValue, ttlSeconds: number): Promise<boolean>;
  /** Deletes the key (only if its value is `expected`, when given); false when nothing was deleted. */
  deleteIf(key: string, expected?: Uint8Array): Promise<boolean>;
  /** Enumerates keys matching `glob` from `cursor` (undefined = the start), examining about `count` keys. */
  scan(cursor: string | undefined, count: number, glob: string): Promise<ScanBatch>;
  /**
   * Every key in batches of about `count`, for whole-store walks, when the backend can do better
   * than repeated `scan` steps (memcached: one metadump instead of one per step; Redis: two SCAN
   * walks at once). A walk is never resumed, so its batches need not carry a cursor.
   */
  scanAll?(count: number, glob: string): AsyncIterable<ScanBatch>;
  /**
   * How many times the client connected again, for a backend whose client resends a command
   * whose reply was lost (ioredis): a conditional delete resent so finds nothing and answers false,
   * though the first one deleted the key.
   */
  reconnects?(): number;
  close(): Promise<void>;
}
