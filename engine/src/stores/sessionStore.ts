import type { DecodedSession, PyDict } from '../codec';
import type { StoreDescriptor } from './storeDescriptor';

/** The result of decoding one stored session: its data, or the reason it could not be read. */
export type DecodeOutcome =
  | { ok: true; session: DecodedSession }
  | { ok: false; code: string; message: string; afterValidSignature?: true };

/** One session as a store holds it. */
export interface SessionRecord {
  key: string;
  /** When the store will consider it expired, if the store knows. */
  expireDate?: Date;
  /**
   * Set where the store's Django decides expiry otherwise than by `expireDate`: the file engine
   * never expires a session whose `_session_expiry` is a number of seconds, though its cookie,
   * and so `expireDate`, does. See isExpired.
   */
  expired?: boolean;
  /** The stored text exactly as read. */
  raw: string;
  decoded: DecodeOutcome;
  /** cached_db only: how the cache entry relates to this row (see CacheState), and why it differs. */
  cacheState?: 'miss' | 'in-sync' | 'drift' | 'orphan' | 'undecodable';
  cacheNote?: string;
  /** cached_db with `drift`: the cache entry's data, which Django serves instead of this row's. */
  served?: DecodeOutcome;
}

/** Whether the store's Django treats the session as expired at `now` (ms), as its `state` filter and clearExpired do. */
export function isExpired(record: SessionRecord, now = Date.now()): boolean {
  return record.expired ?? (record.expireDate !== undefined && record.expireDate.getTime() <= now);
}

/** Whether the store keeps the session although its `expireDate`, its cookie's, has passed at `now` (see SessionRecord.expired). */
export function outlivesCookie(record: SessionRecord, now = Date.now()): boolean {
  return record.expired === false && record.expireDate !== undefined && record.expireDate.getTime() <= now;
}

/**
 * Which sessions to list. `state` is answered by the store itself (SQL, file times); `userId`,
 * `hasKey` and `text` need the data decoded, so they are applied page by page while scanning.
 */
export interface SessionFilter {
  state?: 'active' | 'expired';
  /** The session is logged in as this user: its `_auth_user_id`, as loggedInUserId reads it. */
  userId?: string;
  /** The session dict has this top-level key. */
  hasKey?: string;
  /** Case-insensitive substring of the decoded data as Python's repr shows it. */
  text?: string;
}

export interface ListOptions {
  limit: number;
  /** From a previous page's `nextCursor`. */
  cursor?: string;
  /** Newest expiry first by default (a file store: the session saved last first). */
  order?: 'desc' | 'asc';
  filter?: SessionFilter;
  /** For decoding filters: stop after reading this many stored sessions (default 10,000) and return a cursor. */
  maxScan?: number;
}

export interface SessionPage {
  sessions: SessionRecord[];
  /** Absent on the last page. */
  nextCursor?: string;
  /** How many stored sessions were read for this page; more than `sessions.length` when a decoding filter skipped some. */
  scanned?: number;
}

/** How `setExpiry` changes a session, mirroring `set_expiry()` plus an immediate expiry. */
export type ExpirySetting =
  | { kind: 'seconds'; seconds: number }
  | { kind: 'at'; date: Date }
  | { kind: 'browser-close' }
  | { kind: 'default' }
  | { kind: 'now' };

/** For long operations: cancellation, and the number of sessions handled so far. */
export interface ProgressOptions {
  signal?: AbortSignal;
  onProgress?: (done: number) => void;
}

/**
 * `clearExpired` options. A cancellation can come after the last deletion was written, and the
 * signal alone cannot tell that apart from one that stopped the work part way: `onFinished` can.
 */
export interface ClearExpiredOptions extends ProgressOptions {
  /**
   * Called once the deletion has run to its end, however late `signal` aborted; never when it
   * stopped part way. A caller reports "cancelled" only when the signal aborted and this was not
   * called.
   */
  onFinished?: () => void;
}

/**
 * Told of each session a user (or key) filter could not check because its data does not decode
 * (damaged, or a pickled type not read here): it may be the user's, so callers report how many.
 */
export interface UndecodableOptions {
  onUndecodable?: (sessionKey: string) => void;
}

/** `count` options: progress and unchecked sessions only, since a count cut short would read as a full one. */
export type CountOptions = Pick<ProgressOptions, 'onProgress'> & UndecodableOptions;

/**
 * `deleteByUser` options: progress, a step run after each deletion, and, as for `clearExpired`,
 * `onFinished` to tell a cancellation that came after the last session was checked from one
 * that stopped the scan part way.
 */
export interface DeleteByUserOptions extends ProgressOptions, UndecodableOptions {
  /** Awaited after each session is deleted, before the next one (cached_db drops the cache entry here). */
  onDeleted?: (sessionKey: string) => Promise<void>;
  /**
   * Awaited before a write that deletes these sessions. Its reply may be lost after the rows are
   * gone, and then no onDeleted comes for them: cached_db drops their cache entries here too.
   */
  onDeleting?: (sessionKeys: readonly string[]) => Promise<void>;
  /** Called for each session checked that is logged in as any user (holds `_auth_user_id`). */
  onLoggedIn?: () => void;
  /**
   * Called once every session of the store was checked (and the user's deleted), however late
   * `signal` aborted; never when it stopped the scan part way. A caller reports "cancelled" only
   * when the signal aborted and this was not called.
   */
  onFinished?: () => void;
}

/**
 * `findByUser` options: those of `deleteByUser` that do not delete, and `onFound` for each
 * session found.
 */
export interface FindByUserOptions extends ProgressOptions, UndecodableOptions, Pick<DeleteByUserOptions, 'onLoggedIn' | 'onFinished'> {
  /** Called for each session `deleteByUser` would delete, as it is found. */
  onFound?: (record: SessionRecord) => void;
}

/** How an edit of an existing session may start. */
export interface EditOptions {
  /**
   * The session as the caller has just read it from this store, so the edit does not read it
   * again: it still writes only if the stored text is `read.raw` (compare-and-swap), and fails
   * with StoreError('conflict') otherwise.
   */
  read?: SessionRecord;
}

/** How `save` may write: create a new session and never overwrite, or replace exactly the version read. */
export type SaveMode = { create: true } | { expectedRaw: string };

/** The operations every session backend offers, whatever it is stored in. */
export interface SessionStore {
  readonly descriptor: StoreDescriptor;
  list(options: ListOptions): Promise<SessionPage>;
  /**
   * How many sessions the store holds, or match `filter` as `list` would list them. A decoding
   * filter reads every session once, in the store's own key order (never `list`'s sorted pages),
   * and reports progress as sessions read.
   */
  count(filter?: SessionFilter, options?: CountOptions): Promise<number>;
  get(sessionKey: string): Promise<SessionRecord | undefined>;
  /**
   * Writes `data` under `sessionKey` with the expiry Django would compute. A create fails with
   * StoreError('exists') if the key is taken; an update fails with StoreError('conflict') if the
   * stored session is no longer `expectedRaw`, and then nothing is written.
   */
  save(sessionKey: string, data: PyDict, mode: SaveMode): Promise<SessionRecord>;
  /** Reads, applies `change` to the decoded data, and saves only if nobody wrote in between. */
  update(sessionKey: string, change: (data: PyDict) => void, options?: EditOptions): Promise<SessionRecord>;
  /** Deletes the session (`flush`); false when it was not there. */
  delete(sessionKey: string): Promise<boolean>;
  /** Empties the data and keeps the session (`clear()` then save). */
  clear(sessionKey: string, options?: EditOptions): Promise<SessionRecord>;
  setExpiry(sessionKey: string, expiry: ExpirySetting, options?: EditOptions): Promise<SessionRecord>;
  /** The same data under a new key, the old key deleted (`cycle_key()`); returns the new session. */
  cycleKey(sessionKey: string, options?: EditOptions): Promise<SessionRecord>;
  /**
   * Deletes what Django's `clearsessions` deletes; returns how many. When cancelled it stops and
   * returns the count so far; `onFinished` tells whether it stopped part way.
   */
  clearExpired(options?: ClearExpiredOptions): Promise<number>;
  /**
   * Deletes every session logged in as `userId`; returns how many (so far, when cancelled, and
   * `onFinished` tells whether it stopped part way).
   */
  deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number>;
  /**
   * Finds, and deletes nothing, the sessions `deleteByUser` would delete now: a logout's preview.
   * Returns how many (so far, when cancelled; `onFinished` tells whether it read the whole store).
   */
  findByUser(userId: string, options?: FindByUserOptions): Promise<number>;
  close(): Promise<void>;
}
