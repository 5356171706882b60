import type { PyDict } from '../../codec';
import { refuseClearWithAssumedTime } from '../assumedTimeRefusals';
import type { CacheBackend, CacheEntry } from '../cache/cacheBackend';
import type { CacheSessionStore } from '../cache/cacheSessionStore';
import { bytesOfRaw, decodeCacheValue, rawOf } from '../cache/cacheValueCodec';
import type { SessionKeyPattern } from '../cache/sessionKeyPattern';
import type { ClearExpiredOptions, DeleteByUserOptions, ExpirySetting, FindByUserOptions, ListOptions, CountOptions, SaveMode, SessionFilter, SessionPage, SessionRecord, SessionStore } from '../sessionStore';
import type { StoreDescriptor } from '../storeDescriptor';
import { userIdOf } from '../sessionFilter';
import { StoreError } from '../storeError';
import { maskSessionKey } from '../../keyMask';
import { cacheStateOf, type CachedDbRecord } from './cacheCoherence';
import { LATE_INVALIDATION_MS, LateInvalidation } from './lateInvalidation';

/** Cache entries `listCacheDrift` compares with their rows per call, unless told otherwise. */
const DRIFT_MAX_SCAN = 2000;
/**
 * How long a cache entry that differs from its row is given to catch up before an edit takes it
 * for Django's: its save sets the entry right after committing the row, within milliseconds.
 */
const DRIFT_SETTLE_MS = 250;
const DRIFT_SETTLE_LOOKS = 4;
/** Expired rows looked at per step of `clearExpired`, to invalidate their cache entries first. */
const EXPIRED_PAGE = 1000;

/** A page of cached_db sessions, each with its cache state. */
interface CachedDbPage extends SessionPage {
  sessions: CachedDbRecord[];
}

/**
 * The `cached_db` engine: the table is the truth and every read, write and delete goes to it
 * (through the db store, with its compare-and-swap), and every change to a row also deletes
 * the session's cache entry (before, after and once more a little later), so Django, which
 * trusts a cache hit, refills it from the row instead of serving stale data (spec §5.6). Reads
 * report the cache entry's state (drift).
 */
export class CachedDbSessionStore implements SessionStore {
  private readonly cache: CacheBackend;
  private readonly keys: SessionKeyPattern;
  private readonly late: LateInvalidation;

  /**
   * `cacheView` is the same cache read as a `cache`-engine store with the cached_db key prefix;
   * `lateInvalidationMs` is how long after a change its entry is deleted once more.
   */
  constructor(
    readonly descriptor: StoreDescriptor,
    private readonly db: SessionStore,
    private readonly cacheView: CacheSessionStore,
    lateInvalidationMs = LATE_INVALIDATION_MS,
  ) {
    this.cache = cacheView.backend;
    this.keys = cacheView.keys;
    this.late = new LateInvalidation(lateInvalidationMs, (sessionKey) => this.invalidate(sessionKey));
  }

  async list(options: ListOptions): Promise<CachedDbPage> {
    const page = await this.db.list(options);
    return { ...page, sessions: await this.withCacheState(page.sessions) };
  }

  count(filter?: SessionFilter, options?: CountOptions): Promise<number> {
    return this.db.count(filter, options);
  }

  /** The row with its cache state; for a session only the cache holds, the cache entry marked `orphan`. */
  async get(sessionKey: string): Promise<CachedDbRecord | undefined> {
    const [row, entry] = await Promise.all([this.db.get(sessionKey), this.cache.get(this.keys.cacheKey(sessionKey))]);
    const { state, note, served } = cacheStateOf(row, entry);
    if (row) {
      return { ...row, cacheState: state, cacheNote: note, ...(served ? { served } : {}) };
    }
    if (entry) {
      const expireDate = entry.ttlMs === undefined ? undefined : new Date(Date.now() + entry.ttlMs);
      return { key: sessionKey, expireDate, raw: rawOf(entry.value.bytes), decoded: decodeCacheValue(entry.value), cacheState: state, cacheNote: note };
    }
    return undefined;
  }

  async save(sessionKey: string, data: PyDict, mode: SaveMode): Promise<SessionRecord> {
    if ('create' in mode) {
      // No old row for a Django request to have read, so no stale refill; only an entry without a
      // row (an orphan under this key) is dropped, so that Django serves the new row.
      const created = await this.db.save(sessionKey, data, mode);
      await this.invalidate(sessionKey);
      return created;
    }
    return this.changingRow(sessionKey, () => this.db.save(sessionKey, data, mode));
  }

  async update(sessionKey: string, change: (data: PyDict) => void): Promise<SessionRecord> {
    return this.changingRow(sessionKey, (read) => this.db.update(sessionKey, change, { read }));
  }

  /**
   * Deletes the row and the cache entry (before, after, and once more a little later against a
   * stale refill); true when either existed (an orphan entry is still a session to Django).
   */
  async delete(sessionKey: string): Promise<boolean> {
    const cachedBefore = await this.invalidate(sessionKey);
    const { result: row, cachedAfter } = await this.invalidatingAfter(sessionKey, () => this.db.delete(sessionKey));
    return row || cachedBefore || cachedAfter;
  }

  async clear(sessionKey: string): Promise<SessionRecord> {
    return this.changingRow(sessionKey, (read) => this.db.clear(sessionKey, { read }));
  }

  async setExpiry(sessionKey: string, expiry: ExpirySetting): Promise<SessionRecord> {
    return this.changingRow(sessionKey, (read) => this.db.setExpiry(sessionKey, expiry, { read }));
  }

  async cycleKey(sessionKey: string): Promise<SessionRecord> {
    return this.changingRow(sessionKey, (read) => this.db.cycleKey(sessionKey, { read }));
  }

  /**
   * Django's `clearsessions` for cached_db (the SQL delete), after deleting the cache entries of
   * the expired rows: Django leaves those to their TTL, which a drifted entry may outlive.
   */
  async clearExpired(options: ClearExpiredOptions = {}): Promise<number> {
    // Before any cache entry is dropped for a row that may not be expired at all.
    refuseClearWithAssumedTime(this.descriptor);
    let cursor: string | undefined;
    do {
      if (options.signal?.aborted) {
        return 0;
      }
      const page = await this.db.list({ limit: EXPIRED_PAGE, cursor, filter: { state: 'expired' }, order: 'asc' });
      await Promise.all(page.sessions.map((s) => this.invalidate(s.key)));
      cursor = page.nextCursor;
    } while (cursor);
    return this.db.clearExpired(options);
  }

  /**
   * Deletes each of the user's rows (compare-and-swap, as the db store does) and its cache entry,
   * then the user's cache entries that have no row: Django serves those too. Any other cache
   * entry still naming the user is dropped so Django serves its row instead, which stays: the row
   * changed under the first pass, is newer, or is another user's. Where the row pass fails (a
   * lost connection), the entries of every row a deletion was sent for are dropped now and later.
   */
  async deleteByUser(userId: string, options: DeleteByUserOptions = {}): Promise<number> {
    const rowPass = rowPassOf(options);
    const deletedRows = new Set<string>();
    // Rows a deletion was sent for: where its reply was lost, they may be gone with no onDeleted.
    const attempted = new Set<string>();
    let rows: number;
    try {
      rows = await this.db.deleteByUser(userId, {
        ...rowPass.options,
        onDeleting: async (sessionKeys) => {
          sessionKeys.forEach((key) => attempted.add(key));
        },
        onDeleted: async (sessionKey) => {
          deletedRows.add(sessionKey);
          await this.invalidate(sessionKey);
          await options.onDeleted?.(sessionKey);
        },
      });
    } catch (err) {
      // Django would go on serving the cached session of a row deleted by a write whose reply was lost.
      // A cache that fails now gets the late drop, which tries again.
      const unconfirmed = [...attempted].filter((key) => !deletedRows.has(key));
      await (async () => {
        for (const key of unconfirmed) {
          await this.invalidate(key);
        }
      })().catch(() => undefined);
      this.late.schedule([...attempted]);
      throw err;
    }
    // After the last row's invalidation, so each gets at least the delay.
    this.late.schedule([...deletedRows]);
    let orphans = 0;
    let cacheScanned = 0;
    // Both passes must have run to their end for the whole deletion to have.
    const onEnd = rowPass.finished ? options.onFinished : undefined;
    for await (const batch of this.cacheView.sessionBatches({ signal: options.signal, onEnd })) {
      for (const cached of batch) {
        if (options.signal?.aborted) {
          // Not just this batch: the rest of it is left, so the scan must not go on to its end.
          return rows + orphans;
        }
        if (!cached.decoded.ok) {
          // Django serves an entry without a row as a session: one that does not decode may be the user's.
          if (!deletedRows.has(cached.key) && (await this.db.get(cached.key)) === undefined) {
            options.onUndecodable?.(cached.key);
          }
          continue;
        }
        if (userIdOf(cached) !== userId) {
          continue;
        }
        const hasRow = (await this.db.get(cached.key)) !== undefined;
        // With a row, dropping the entry only makes Django serve the row again: not a deletion.
        // Nor is an entry Django re-cached for a row the first pass deleted: that session is counted.
        if ((await this.cache.deleteIf(this.keys.cacheKey(cached.key), bytesOfRaw(cached.raw))) && !hasRow && !deletedRows.has(cached.key)) {
          orphans++;
          await options.onDeleted?.(cached.key);
        }
      }
      cacheScanned += batch.length;
      options.onProgress?.(rowPass.scanned + cacheScanned);
    }
    return rows + orphans;
  }

  /**
   * The user's rows, then the user's cache entries that have no row, which Django serves too:
   * what `deleteByUser` deletes. An entry naming the user over another row is not counted, as
   * dropping it deletes no session.
   */
  async findByUser(userId: string, options: FindByUserOptions = {}): Promise<number> {
    const rowPass = rowPassOf(options);
    const foundRows = new Set<string>();
    const rows = await this.db.findByUser(userId, {
      ...rowPass.options,
      onFound: (record) => {
        foundRows.add(record.key);
        options.onFound?.(record);
      },
    });
    let orphans = 0;
    let cacheScanned = 0;
    const onEnd = rowPass.finished ? options.onFinished : undefined;
    for await (const batch of this.cacheView.sessionBatches({ signal: options.signal, onEnd })) {
      for (const cached of batch) {
        if (options.signal?.aborted) {
          return rows + orphans;
        }
        // One that does not decode may be the user's, where Django serves it for want of a row.
        const maybeTheirs = !cached.decoded.ok || userIdOf(cached) === userId;
        if (!maybeTheirs || foundRows.has(cached.key) || (await this.db.get(cached.key)) !== undefined) {
          continue;
        }
        if (!cached.decoded.ok) {
          options.onUndecodable?.(cached.key);
          continue;
        }
        orphans++;
        options.onFound?.(cached);
      }
      cacheScanned += batch.length;
      options.onProgress?.(rowPass.scanned + cacheScanned);
    }
    return rows + orphans;
  }

  /**
   * Walks the cache and returns the entries Django would serve differently from the table:
   * `drift`, `orphan` and `undecodable`, up to `limit` of them, looking at no more than `maxScan`
   * cache entries per call (the SCAN cursor is in `nextCursor`). This finds what `list` cannot:
   * cache entries whose row is gone.
   */
  async listCacheDrift(options: Pick<ListOptions, 'limit' | 'cursor' | 'maxScan'>): Promise<CachedDbPage> {
    const limit = Math.max(1, options.limit);
    const maxScan = Math.max(1, options.maxScan ?? DRIFT_MAX_SCAN);
    const sessions: CachedDbRecord[] = [];
    // SCAN may return a key again on a later step; one answer names each session once.
    const listed = new Set<string>();
    let cursor = options.cursor;
    let scanned = 0;
    do {
      const page = await this.cacheView.list({ limit: Math.min(limit - sessions.length, maxScan - scanned), cursor });
      // One at a time: the database is one connection, and pg deprecates overlapping queries on a client.
      const rows: Array<SessionRecord | undefined> = [];
      for (const cached of page.sessions) {
        rows.push(await this.db.get(cached.key));
      }
      page.sessions.forEach((cached, i) => {
        const row = rows[i];
        const { state, note } = cacheStateOf(row, { value: { bytes: bytesOfRaw(cached.raw) } });
        if (state !== 'in-sync' && state !== 'miss' && !listed.has(cached.key)) {
          listed.add(cached.key);
          // What Django serves: the cache entry, unless it cannot be read.
          sessions.push({ ...(state === 'undecodable' ? (row ?? cached) : cached), cacheState: state, cacheNote: note });
        }
      });
      scanned += page.sessions.length;
      cursor = page.nextCursor;
    } while (cursor && sessions.length < limit && scanned < maxScan);
    return { sessions, nextCursor: cursor, scanned };
  }

  /** Deletes the session's cache entry, so Django reloads it from the row. */
  async invalidate(sessionKey: string): Promise<boolean> {
    return this.cache.deleteIf(this.keys.cacheKey(sessionKey));
  }

  /** Resolves once the late invalidations of the changes made so far have run (`close` waits for them too). */
  settled(): Promise<void> {
    return this.late.settled();
  }

  async close(): Promise<void> {
    await this.late.settled();
    await Promise.all([this.db.close(), this.cache.close()]);
  }

  private async withCacheState(records: SessionRecord[]): Promise<CachedDbRecord[]> {
    const entries = records.length > 0 ? await this.cache.getMany(records.map((r) => this.keys.cacheKey(r.key))) : [];
    return records.map((record, i) => {
      const { state, note } = cacheStateOf(record, entries[i]);
      return { ...record, cacheState: state, cacheNote: note };
    });
  }

  /**
   * Runs a change of an existing row with the cache entry deleted before it (so requests during
   * it read the row), after it, and once more after a delay (see invalidatingAfter). Never after
   * not-found: a session only the cache holds is Django's live session, so it is refused up front.
   * The row is read once, here: `change` gets it (undefined when there is none) and writes over
   * it with the db store's compare-and-swap, so nothing Django writes meanwhile is overwritten.
   */
  private async changingRow<T extends SessionRecord>(sessionKey: string, change: (read: SessionRecord | undefined) => Promise<T>): Promise<T> {
    const read = await this.rowToEdit(sessionKey);
    await this.invalidate(sessionKey);
    return (await this.invalidatingAfter(sessionKey, () => change(read))).result;
  }

  /**
   * Runs a write of the row, then deletes the cache entry now and once more after a delay: a
   * request that read the old row just before may refill the entry with it after our delete.
   * Also after a conflict (Django wrote meanwhile; a fresh reload is right then too) and after a
   * lost connection, when the row may have been written and only its reply was lost; the write's
   * own error is then the one reported, whatever the cache answers.
   */
  private async invalidatingAfter<T>(sessionKey: string, write: () => Promise<T>): Promise<{ result: T; cachedAfter: boolean }> {
    let result: T;
    try {
      result = await write();
    } catch (err) {
      if (err instanceof StoreError && (err.code === 'conflict' || err.code === 'connection')) {
        await this.invalidateNowAndLater(sessionKey).catch(() => undefined);
      }
      throw err;
    }
    return { result, cachedAfter: await this.invalidateNowAndLater(sessionKey) };
  }

  /** Deletes the entry now and once more later, the later one also when the cache fails now (it may answer again by then). */
  private async invalidateNowAndLater(sessionKey: string): Promise<boolean> {
    try {
      return await this.invalidate(sessionKey);
    } finally {
      this.late.schedule([sessionKey]);
    }
  }

  /**
   * The row an edit starts from, or undefined when there is none. Where the cache entry holds
   * other data than the row for good, the edit starts from the entry's data, which is what Django
   * serves and what its own request would change and save to both (the row is still what the
   * write compares with), unless the entry may be a stale refill after a change of ours. Django
   * saves the row first and the entry just after: an entry that differs only for that moment is
   * a save half done, whose row is the newer data, so a difference is looked at again after a
   * short wait before the entry is taken (see settledPair). Refuses to edit a session that has a
   * cache entry but no row: Django serves it from the cache until its TTL, but its next save
   * fails (an update with force_update finds no row: UpdateError, so SessionInterrupted), the row
   * is what this store edits, and dropping the entry would log the user out.
   */
  private async rowToEdit(sessionKey: string): Promise<SessionRecord | undefined> {
    const { row, entry, settled } = await this.settledPair(sessionKey);
    // Just after a change of ours, an entry unlike the row may be the stale refill our late delete is for, not Django's.
    if (row?.decoded.ok && settled && !this.late.isPending(sessionKey)) {
      const { served } = cacheStateOf(row, entry);
      return served?.ok ? { ...row, decoded: { ok: true, session: { ...row.decoded.session, data: served.session.data } } } : row;
    }
    if (row !== undefined || entry === undefined) {
      return row;
    }
    throw new StoreError(
      'write-refused',
      `Session ${maskSessionKey(sessionKey)} lives only in the cache: its row is gone, so Django serves the cache entry until its TTL but fails any save of it (SessionInterrupted); nothing was changed. Delete it to end the session.`,
    );
  }

  /**
   * The row and the cache entry, read again after DRIFT_SETTLE_MS while they differ, until they
   * agree or stay the same across a wait. `settled` is false when they kept changing (Django
   * saving in a loop): the row, the newest data, is then what the edit starts from, and its
   * compare-and-swap refuses the write if Django saves once more.
   */
  private async settledPair(sessionKey: string): Promise<{ row: SessionRecord | undefined; entry: CacheEntry | undefined; settled: boolean }> {
    const read = () => Promise.all([this.db.get(sessionKey), this.cache.get(this.keys.cacheKey(sessionKey))]);
    const agree = (r: SessionRecord | undefined, e: CacheEntry | undefined) => !r?.decoded.ok || cacheStateOf(r, e).state !== 'drift';
    let [row, entry] = await read();
    for (let look = 0; look < DRIFT_SETTLE_LOOKS; look++) {
      if (agree(row, entry)) {
        return { row, entry, settled: true };
      }
      await new Promise((resolve) => setTimeout(resolve, DRIFT_SETTLE_MS));
      const [rowAgain, entryAgain] = await read();
      const unchanged = rowAgain?.raw === row?.raw && sameEntry(entryAgain, entry);
      [row, entry] = [rowAgain, entryAgain];
      if (unchanged) {
        return { row, entry, settled: true };
      }
    }
    return { row, entry, settled: agree(row, entry) };
  }
}

/**
 * The table's pass over a user's rows, as deleteByUser and findByUser make it before the cache's:
 * the caller's options for it, and how many rows it read and whether it ran to its end, which the
 * cache pass adds its progress to and needs before it may say the whole scan finished.
 */
function rowPassOf(options: FindByUserOptions): { options: Omit<FindByUserOptions, 'onFound'>; scanned: number; finished: boolean } {
  const pass = {
    scanned: 0,
    finished: false,
    options: {
      signal: options.signal,
      onUndecodable: options.onUndecodable,
      onLoggedIn: options.onLoggedIn,
      onFinished: () => {
        pass.finished = true;
      },
      onProgress: (done: number) => {
        pass.scanned = done;
        options.onProgress?.(done);
      },
    },
  };
  return pass;
}

function sameEntry(a: CacheEntry | undefined, b: CacheEntry | undefined): boolean {
  return a === undefined || b === undefined ? a === b : rawOf(a.value.bytes) === rawOf(b.value.bytes);
}
