import { pyEquals } from '../../codec';
import type { CacheEntry } from '../cache/cacheBackend';
import { decodeCacheValue } from '../cache/cacheValueCodec';
import type { SessionRecord } from '../sessionStore';

/**
 * How a cached_db session's cache entry relates to its row. Django trusts a cache hit without
 * looking at the row, so `drift` and `orphan` are what users actually get served:
 *
 * - `miss`: no cache entry; Django refills it from the row on the next load.
 * - `in-sync`: the cache holds the row's data, or the empty session Django reads the row as.
 * - `drift`: the cache holds other data than the row; Django serves the cache's.
 * - `orphan`: a cache entry with no row; Django still serves it until its TTL.
 * - `undecodable`: the cache entry cannot be read as a session.
 */
type CacheState = NonNullable<SessionRecord['cacheState']>;

/** A cached_db session: the row (or, for an orphan, the cache entry) with how the cache relates to it. */
export interface CachedDbRecord extends SessionRecord {
  cacheState: CacheState;
  /** Why the cache entry differs, when it does. */
  cacheNote?: string;
}

/** Compares a row with the cache entry under its key; on drift, also gives what the cache serves. */
export function cacheStateOf(row: SessionRecord | undefined, entry: CacheEntry | undefined): { state: CacheState; note?: string; served?: SessionRecord['decoded'] } {
  if (!entry) {
    return { state: 'miss' };
  }
  const cached = decodeCacheValue(entry.value);
  if (!cached.ok) {
    return { state: 'undecodable', note: cached.message };
  }
  if (!row) {
    return { state: 'orphan', note: 'The cache holds this session but the table does not; Django serves it from the cache until its TTL.' };
  }
  // Django caches what it reads from the row, and reads a row whose signature fails, or whose data does not load, as empty.
  if ((!row.decoded.ok || row.decoded.session.signature === 'invalid') && cached.session.data.size === 0) {
    return { state: 'in-sync' };
  }
  if (!row.decoded.ok) {
    return { state: 'drift', note: 'The row cannot be decoded but the cache entry can; Django serves the cache entry.', served: cached };
  }
  if (!pyEquals(row.decoded.session.data, cached.session.data)) {
    return { state: 'drift', note: 'The cache holds different data from the row; Django serves the cache entry until it is invalidated.', served: cached };
  }
  return { state: 'in-sync' };
}
