import type { PyDict } from '../../codec';
import { maskSessionKey } from '../../keyMask';
import { generateSessionKey, isValidSessionKey } from '../../sessionKeys';
import { absoluteExpiry, applyExpiry, expiryDateOf } from '../sessionExpiry';
import { matchesDecoded, needsDecoding, userIdOf } from '../sessionFilter';
import type { ExpirySetting, ListOptions, ProgressOptions, SaveMode, SessionFilter, SessionPage, SessionRecord, SessionStore } from '../sessionStore';
import type { StoreDescriptor } from '../storeDescriptor';
import { StoreError } from '../storeError';
import type { CacheBackend, CacheEntry, ScanBatch } from './cacheBackend';
import { decodeCacheCursor, encodeCacheCursor, type CachePosition } from './cacheCursor';
import { naiveExpiryDatetime } from './naiveExpiry';
import type { CacheSettings } from './cacheSettings';
import { bytesOfRaw, decodeCacheValue, encodeCacheValue, rawOf } from './cacheValueCodec';
import { SessionKeyPattern } from './sessionKeyPattern';

/** Keys examined per SCAN step: bounded so one step never blocks Redis for long. */
export const SCAN_COUNT = 1000;
const DEFAULT_MAX_SCAN = 10_000;
const EXPIRY_KEY = '_session_expiry';

/** A page of cache sessions, with the keys in the cache that were not sessions of this store. */
export interface CacheSessionPage extends SessionPage {
  /** Keys the scan returned that are not this store's sessions: counted, never decoded. */
  skipped: number;
}

/** `get_expiry_age()` at `now`: the TTL Django gives the cache entry on save. */
export function expiryAgeSeconds(data: PyDict, descriptor: StoreDescriptor, now: Date): number {
  return Math.floor((expiryDateOf(data, descriptor, now).getTime() - now.getTime()) / 1000);
}

/**
 * The `cache` session engine on any cache backend. Values are pickled dicts with the cache's TTL
 * as the expiry; listing walks SCAN (or memcached's metadump) in bounded steps, and writes are
 * compare-and-swap on the stored bytes so a concurrent Django write is never overwritten.
 */
export class CacheSessionStore implements SessionStore {
  readonly keys: SessionKeyPattern;

  constructor(
    readonly descriptor: StoreDescriptor,
    readonly settings: CacheSettings,
    readonly backend: CacheBackend,
  ) {
    this.keys = new SessionKeyPattern(settings);
  }

  async list(options: ListOptions): Promise<CacheSessionPage> {
    const filter = options.filter;
    const limit = Math.max(1, options.limit);
    const decoding = needsDecoding(filter) || filter?.state !== undefined;
    const maxScan = Math.max(1, options.maxScan ?? DEFAULT_MAX_SCAN);
    let position: CachePosition = options.cursor ? decodeCacheCursor(options.cursor) : { skip: 0 };
    const sessions: SessionRecord[] = [];
    let scanned = 0;
    let skipped = 0;
    for (;;) {
      const batch = await this.backend.scan(position.scanCursor, SCAN_COUNT, this.keys.glob);
      let index = position.skip;
      while (index < batch.keys.length) {
        // Without a decoding filter, read only as many values as the page still needs.
        const end = decoding ? batch.keys.length : Math.min(batch.keys.length, index + limit - sessions.length);
        const chunk = batch.keys.slice(index, end);
        const records = await this.recordsFor(chunk);
        const now = new Date();
        for (const record of records) {
          index++;
          if (record === null) {
            skipped++;
          } else if (record !== undefined) {
            scanned++;
            if (!filter || this.matches(record, filter, now)) {
              sessions.push(record);
            }
          }
          if (sessions.length >= limit || (decoding && scanned >= maxScan)) {
            const batchDone = index >= batch.keys.length;
            if (batchDone && batch.cursor === undefined) {
              return { sessions, scanned, skipped };
            }
            const next: CachePosition = batchDone ? { scanCursor: batch.cursor, skip: 0 } : { scanCursor: position.scanCursor, skip: index };
            return { sessions, scanned, skipped, nextCursor: encodeCacheCursor(next) };
          }
        }
      }
      if (batch.cursor === undefined) {
        return { sessions, scanned, skipped };
      }
      position = { scanCursor: batch.cursor, skip: 0 };
    }
  }

  async count(filter?: Pick<SessionFilter, 'state'>): Promise<number> {
    let total = 0;
    if (filter?.state) {
      const now = new Date();
      for await (const page of this.scanPages()) {
        total += page.filter((r) => this.isExpired(r, now) === (filter.state === 'expired')).length;
      }
      return total;
    }
    for await (const keys of this.scanKeys()) {
      total += keys.length;
    }
    return total;
  }

  async get(sessionKey: string): Promise<SessionRecord | undefined> {
    this.checkKey(sessionKey);
    const entry = await this.backend.get(this.keys.cacheKey(sessionKey));
    return entry ? this.toRecord(sessionKey, entry, new Date()) : undefined;
  }

  async save(sessionKey: string, data: PyDict, mode: SaveMode): Promise<SessionRecord> {
    return this.write(sessionKey, data, 'create' in mode ? undefined : mode.expectedRaw, undefined, new Date());
  }

  async update(sessionKey: string, change: (data: PyDict) => void): Promise<SessionRecord> {
    return this.modify(sessionKey, (data) => {
      change(data);
      return undefined;
    });
  }

  async delete(sessionKey: string): Promise<boolean> {
    this.checkKey(sessionKey);
    return this.backend.deleteIf(this.keys.cacheKey(sessionKey));
  }

  async clear(sessionKey: string): Promise<SessionRecord> {
    return this.modify(sessionKey, (data) => {
      data.clear();
      return undefined;
    });
  }

  /**
   * `set_expiry` on the pickled dict plus the matching TTL. An absolute time is kept as a datetime
   * (pickle holds one, and every Django version reads it): aware with `USE_TZ`, else naive in
   * `TIME_ZONE`. "now" deletes the entry, as Django's cache does for a timeout ≤ 0.
   */
  async setExpiry(sessionKey: string, expiry: ExpirySetting): Promise<SessionRecord> {
    return this.modify(sessionKey, (data, now) => {
      if (expiry.kind === 'at' && !this.descriptor.useTz) {
        data.set(EXPIRY_KEY, naiveExpiryDatetime(expiry.date, this.descriptor));
        return expiry.date;
      }
      return applyExpiry(data, expiry, { ...this.descriptor, serializer: 'pickle' }, now);
    });
  }

  async cycleKey(sessionKey: string): Promise<SessionRecord> {
    const record = await this.mustGet(sessionKey);
    const data = this.editableData(record);
    for (let attempt = 0; attempt < 10; attempt++) {
      const newKey = generateSessionKey();
      let created: SessionRecord;
      try {
        created = await this.write(newKey, data, undefined, undefined, new Date());
      } catch (err) {
        if (err instanceof StoreError && err.code === 'exists') {
          continue;
        }
        throw err;
      }
      if (!(await this.backend.deleteIf(this.keys.cacheKey(sessionKey), bytesOfRaw(record.raw)))) {
        await this.backend.deleteIf(this.keys.cacheKey(newKey), bytesOfRaw(created.raw));
        throw this.conflict(sessionKey);
      }
      return created;
    }
    throw new StoreError('exists', 'Could not find a free session key in 10 tries; the cache may be refusing writes.');
  }

  /**
   * Deletes what Django would treat as expired but a cache keeps: entries whose absolute
   * `_session_expiry` has passed, and (memcached) entries past their TTL not yet reclaimed.
   * Django's own `clearsessions` does nothing for cache sessions.
   */
  async clearExpired(options: ProgressOptions = {}): Promise<number> {
    let deleted = 0;
    let seen = 0;
    const now = new Date();
    for await (const page of this.scanPages(options.signal, async (expiredKeys) => {
      for (const key of expiredKeys) {
        if (await this.backend.deleteIf(key)) {
          deleted++;
        }
      }
    })) {
      for (const record of page) {
        if (this.isExpired(record, now) && (await this.backend.deleteIf(this.keys.cacheKey(record.key), bytesOfRaw(record.raw)))) {
          deleted++;
        }
      }
      seen += page.length;
      options.onProgress?.(seen);
    }
    return deleted;
  }

  async deleteByUser(userId: string, options: ProgressOptions = {}): Promise<number> {
    let deleted = 0;
    let seen = 0;
    for await (const page of this.scanPages(options.signal)) {
      for (const record of page) {
        if (userIdOf(record) === userId && (await this.backend.deleteIf(this.keys.cacheKey(record.key), bytesOfRaw(record.raw)))) {
          deleted++;
        }
      }
      seen += page.length;
      options.onProgress?.(seen);
    }
    return deleted;
  }

  async close(): Promise<void> {
    await this.backend.close();
  }

  /** Every session cache key, a SCAN step at a time, without reading values. */
  async *scanKeys(signal?: AbortSignal): AsyncIterable<string[]> {
    for await (const batch of this.batches(signal)) {
      yield batch.keys.filter((k) => this.keys.sessionKey(k) !== undefined);
    }
  }

  /** Whether Django would treat the session as gone: its absolute expiry (or TTL) has passed. */
  isExpired(record: SessionRecord, now: Date): boolean {
    return record.expireDate !== undefined && record.expireDate.getTime() <= now.getTime();
  }

  private matches(record: SessionRecord, filter: SessionFilter, now: Date): boolean {
    if (filter.state && this.isExpired(record, now) !== (filter.state === 'expired')) {
      return false;
    }
    return !needsDecoding(filter) || matchesDecoded(record, filter);
  }

  /** Decoded sessions for cache keys: null for a key that is not a session, undefined for one that vanished. */
  private async recordsFor(cacheKeys: string[]): Promise<(SessionRecord | null | undefined)[]> {
    const sessionKeys = cacheKeys.map((k) => this.keys.sessionKey(k));
    const wanted = cacheKeys.filter((_, i) => sessionKeys[i] !== undefined);
    const entries = wanted.length > 0 ? await this.backend.getMany(wanted) : [];
    const now = new Date();
    let next = 0;
    return sessionKeys.map((sessionKey) => {
      if (sessionKey === undefined) {
        return null;
      }
      const entry = entries[next++];
      return entry ? this.toRecord(sessionKey, entry, now) : undefined;
    });
  }

  private async *scanPages(signal?: AbortSignal, onExpiredKeys?: (keys: string[]) => Promise<void>): AsyncIterable<SessionRecord[]> {
    for await (const batch of this.batches(signal)) {
      if (batch.expiredKeys && onExpiredKeys) {
        await onExpiredKeys(batch.expiredKeys.filter((k) => this.keys.sessionKey(k) !== undefined));
      }
      const records = await this.recordsFor(batch.keys);
      yield records.filter((r): r is SessionRecord => r !== null && r !== undefined);
    }
  }

  /** The whole keyspace in bounded batches, stopping between batches when `signal` aborts. */
  private async *batches(signal?: AbortSignal): AsyncIterable<ScanBatch> {
    if (this.backend.scanAll) {
      for await (const batch of this.backend.scanAll(SCAN_COUNT, this.keys.glob, signal)) {
        if (signal?.aborted) {
          return;
        }
        yield batch;
      }
      return;
    }
    let cursor: string | undefined;
    do {
      if (signal?.aborted) {
        return;
      }
      const batch = await this.backend.scan(cursor, SCAN_COUNT, this.keys.glob);
      yield batch;
      cursor = batch.cursor;
    } while (cursor !== undefined);
  }

  private toRecord(sessionKey: string, entry: CacheEntry, now: Date): SessionRecord {
    const decoded = decodeCacheValue(entry.value);
    let expireDate = entry.ttlMs === undefined ? undefined : new Date(now.getTime() + entry.ttlMs);
    if (decoded.ok) {
      const absolute = absoluteExpiry(decoded.session.data.get(EXPIRY_KEY), this.descriptor);
      if (absolute && (!expireDate || absolute < expireDate)) {
        expireDate = absolute;
      }
    }
    return { key: sessionKey, expireDate, raw: rawOf(entry.value.bytes), decoded };
  }

  private checkKey(sessionKey: string): void {
    if (!isValidSessionKey(sessionKey) || /[\s\x00-\x1f\x7f]/.test(sessionKey)) {
      throw new StoreError('invalid-key', 'A cache session key has at least 8 characters and no spaces or control characters; check the key you passed.');
    }
  }

  private async modify(sessionKey: string, change: (data: PyDict, now: Date) => Date | undefined): Promise<SessionRecord> {
    const record = await this.mustGet(sessionKey);
    const data = this.editableData(record);
    const now = new Date();
    const expireOverride = change(data, now);
    return this.write(sessionKey, data, record.raw, expireOverride, now);
  }

  private async mustGet(sessionKey: string): Promise<SessionRecord> {
    const record = await this.get(sessionKey);
    if (!record) {
      throw new StoreError('not-found', `No session ${maskSessionKey(sessionKey)} in ${this.descriptor.id} (it may have expired: cache sessions vanish at their TTL); list the sessions to find the key.`);
    }
    return record;
  }

  private editableData(record: SessionRecord): PyDict {
    if (!record.decoded.ok) {
      throw new StoreError('undecodable', `Session ${maskSessionKey(record.key)} cannot be decoded (${record.decoded.message}), so it is not rewritten; flush it instead.`);
    }
    return record.decoded.session.data.copy();
  }

  /**
   * Writes the pickled dict with TTL `get_expiry_age()` (or until `expireOverride`). A TTL ≤ 0
   * deletes the entry, as Django's cache `set` does.
   */
  private async write(sessionKey: string, data: PyDict, expectedRaw: string | undefined, expireOverride: Date | undefined, now: Date): Promise<SessionRecord> {
    this.checkKey(sessionKey);
    const cacheKey = this.keys.cacheKey(sessionKey);
    const value = encodeCacheValue(data, this.settings);
    const ttl = expireOverride ? Math.floor((expireOverride.getTime() - now.getTime()) / 1000) : expiryAgeSeconds(data, this.descriptor, now);
    const raw = rawOf(value.bytes);
    const record: SessionRecord = { key: sessionKey, expireDate: new Date(now.getTime() + ttl * 1000), raw, decoded: decodeCacheValue(value) };
    if (expectedRaw === undefined) {
      if (ttl <= 0) {
        throw new StoreError('write-refused', `The session would expire immediately (expiry age ${ttl}s), so it was not created; give a later expiry.`);
      }
      if (!(await this.backend.add(cacheKey, value, ttl))) {
        throw new StoreError('exists', `Session ${maskSessionKey(sessionKey)} already exists in ${this.descriptor.id}; nothing was overwritten.`);
      }
      return record;
    }
    const expected = bytesOfRaw(expectedRaw);
    const ok = ttl <= 0 ? await this.backend.deleteIf(cacheKey, expected) : await this.backend.replaceIf(cacheKey, expected, value, ttl);
    if (!ok) {
      throw (await this.backend.get(cacheKey)) ? this.conflict(sessionKey) : new StoreError('not-found', `Session ${maskSessionKey(sessionKey)} was deleted or expired while it was being changed; nothing was written.`);
    }
    return record;
  }

  private conflict(sessionKey: string): StoreError {
    return new StoreError('conflict', `Session ${maskSessionKey(sessionKey)} changed since it was read (Django wrote to it); nothing was overwritten. Read it again and retry.`);
  }
}
