import type { PyDict } from '../../codec';
import { maskSessionKey } from '../../keyMask';
import { isValidSessionKey } from '../../sessionKeys';
import { refuseClearWithAssumedTime } from '../assumedTimeRefusals';
import { BaseSessionStore, type EncodedSession } from '../baseSessionStore';
import type { ScanOptions } from '../scanOptions';
import { EXPIRY_KEY } from '../../session';
import { absoluteExpiry, applyExpiry, refuseAssumedTimeSettings } from '../sessionExpiry';
import { matchesDecoded, needsDecoding } from '../sessionFilter';
import type { ClearExpiredOptions, EditOptions, ExpirySetting, ListOptions, CountOptions, SessionFilter, SessionPage, SessionRecord } from '../sessionStore';
import type { StoreDescriptor } from '../storeDescriptor';
import { StoreError } from '../storeError';
import type { CacheBackend, CacheEntry, ScanBatch } from './cacheBackend';
import { decodeCacheCursor, encodeCacheCursor, shortFingerprint, type CachePosition } from './cacheCursor';
import { naiveExpiryDatetime } from './naiveExpiry';
import type { CacheSettings } from './cacheSettings';
import { bytesOfRaw, cacheValueFormatOf, decodeCacheValue, encodeCacheValue, MEMCACHED_FLAGS, rawOf, type CacheValue, type CacheValueFormat } from './cacheValueCodec';
import { SessionKeyPattern } from './sessionKeyPattern';

/** Keys examined per SCAN step: bounded so one step never blocks Redis for long. */
const SCAN_COUNT = 1000;
const DEFAULT_MAX_SCAN = 10_000;

/** A page of cache sessions, with the keys in the cache that were not sessions of this store. */
interface CacheSessionPage extends SessionPage {
  /** Keys the scan returned that are not this store's sessions: counted, never decoded. */
  skipped: number;
}

/** Whole seconds from `now` until `expireDate`, as a cache TTL. */
function ttlSeconds(expireDate: Date, now: Date): number {
  return Math.floor((expireDate.getTime() - now.getTime()) / 1000);
}

/**
 * The `cache` session engine on any cache backend. Values are pickled dicts with the cache's TTL
 * as the expiry; listing walks SCAN (or memcached's metadump) in bounded steps, and writes are
 * compare-and-swap on the stored bytes so a concurrent Django write is never overwritten.
 */
export class CacheSessionStore extends BaseSessionStore<CacheValue> {
  protected override readonly savesRecreate = true;
  // Django's cache load() reads whatever the entry holds: past an absolute expiry it is the
  // cookie, set to expire with it, that no longer comes.
  protected override readonly expiredMeans = 'browsers no longer send its cookie';

  readonly keys: SessionKeyPattern;
  protected override readonly kind = 'cache';
  /** The format of the value an edit replaces, set for exactly the `encode` call of that edit (see `write`). */
  private replacing?: CacheValueFormat;

  constructor(
    descriptor: StoreDescriptor,
    readonly settings: CacheSettings,
    readonly backend: CacheBackend,
  ) {
    super(descriptor);
    this.keys = new SessionKeyPattern(settings);
  }

  async list(options: ListOptions): Promise<CacheSessionPage> {
    const filter = options.filter;
    const limit = Math.max(1, options.limit);
    const decoding = needsDecoding(filter) || filter?.state !== undefined;
    const maxScan = Math.max(1, options.maxScan ?? DEFAULT_MAX_SCAN);
    let position: CachePosition = options.cursor ? decodeCacheCursor(options.cursor) : {};
    const sessions: SessionRecord[] = [];
    let scanned = 0;
    let skipped = 0;
    for (;;) {
      const batch = await this.backend.scan(position.scanCursor, SCAN_COUNT, this.keys.glob);
      const { pending, present } = notYetHandled(batch.keys, position.handled);
      // Carried on when this page ends inside the step: every key of it handled so far. Keys gone
      // from the step are dropped, so the cursor stays within one step's size.
      const handled = (position.handled ?? []).filter((fingerprint) => present.has(fingerprint));
      let index = 0;
      while (index < pending.length) {
        // Without a decoding filter, read only as many values as the page still needs.
        const end = decoding ? pending.length : Math.min(pending.length, index + limit - sessions.length);
        const chunk = pending.slice(index, end);
        const records = await this.recordsFor(chunk.map((item) => item.key));
        const now = new Date();
        for (const record of records) {
          handled.push(pending[index++]!.fingerprint);
          if (record === null) {
            skipped++;
          } else if (record !== undefined) {
            scanned++;
            if (!filter || this.matches(record, filter, now)) {
              sessions.push(record);
            }
          }
          if (sessions.length >= limit || (decoding && scanned >= maxScan)) {
            const batchDone = index >= pending.length;
            if (batchDone && batch.cursor === undefined) {
              return { sessions, scanned, skipped };
            }
            const next: CachePosition = batchDone ? { scanCursor: batch.cursor } : { scanCursor: position.scanCursor, handled };
            return { sessions, scanned, skipped, nextCursor: encodeCacheCursor(next) };
          }
        }
      }
      if (batch.cursor === undefined) {
        return { sessions, scanned, skipped };
      }
      position = { scanCursor: batch.cursor };
    }
  }

  async count(filter?: SessionFilter, options?: CountOptions): Promise<number> {
    if (filter?.state || needsDecoding(filter)) {
      return this.countScanned((record, now) => this.matches(record, filter!, now), filter!, options);
    }
    let total = 0;
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

  /**
   * `set_expiry` on the pickled dict plus the matching TTL. An absolute time is kept as a datetime
   * (pickle holds one, and every Django version reads it): aware with `USE_TZ`, else naive in
   * `TIME_ZONE`. "now" deletes the entry, as Django's cache does for a timeout ≤ 0.
   */
  override async setExpiry(sessionKey: string, expiry: ExpirySetting, options: EditOptions = {}): Promise<SessionRecord> {
    return this.modify(
      sessionKey,
      (data, now) => {
        if (expiry.kind === 'at') {
          refuseAssumedTimeSettings(this.descriptor);
        }
        if (expiry.kind === 'at' && !this.descriptor.useTz) {
          data.set(EXPIRY_KEY, naiveExpiryDatetime(expiry.date, this.descriptor));
          return expiry.date;
        }
        return applyExpiry(data, expiry, { ...this.descriptor, serializer: 'pickle' }, now);
      },
      options,
      true,
    );
  }

  /**
   * Deletes what Django would treat as expired but a cache keeps: entries whose absolute
   * `_session_expiry` has passed (one past its TTL is the server's to drop). Each is deleted only
   * while it still holds what was read. Django's own `clearsessions` does nothing for cache sessions.
   */
  async clearExpired(options: ClearExpiredOptions = {}): Promise<number> {
    refuseClearWithAssumedTime(this.descriptor);
    let deleted = 0;
    let seen = 0;
    const now = new Date();
    for await (const page of this.scanPages({ signal: options.signal, onEnd: options.onFinished })) {
      for (const record of page) {
        if (this.isExpired(record, now) && (await this.deleteRaw(record.key, record.raw))) {
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
    for await (const batch of this.batches({ signal })) {
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

  /** Every session of the store in one walk of the keyspace (one metadump on memcached), a batch at a time. */
  sessionBatches(scan?: ScanOptions): AsyncIterable<SessionRecord[]> {
    return this.scanPages(scan);
  }

  /**
   * Every session, read. The keys a memcached dump shows past their TTL are read too: memcached
   * serves such an entry until its own clock, up to a second behind, catches up, and Django may
   * save it again meanwhile; read, it is judged (and deleted only if unchanged) like any other.
   */
  protected async *scanPages(scan?: ScanOptions): AsyncIterable<SessionRecord[]> {
    for await (const batch of this.batches(scan)) {
      const records = await this.recordsFor([...batch.keys, ...(batch.expiredKeys ?? [])]);
      yield records.filter((r): r is SessionRecord => r !== null && r !== undefined);
    }
  }

  /**
   * The whole keyspace in bounded batches, stopping between batches when `signal` aborts. A
   * backend's own walk is not given the signal: stopping here, with a further batch in hand, is
   * what tells a walk cut short from one that had ended.
   */
  private async *batches({ signal, onEnd }: ScanOptions = {}): AsyncIterable<ScanBatch> {
    if (this.backend.scanAll) {
      for await (const batch of this.backend.scanAll(SCAN_COUNT, this.keys.glob)) {
        if (signal?.aborted) {
          return;
        }
        yield batch;
      }
    } else {
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
    onEnd?.();
  }

  private toRecord(sessionKey: string, entry: CacheEntry, now: Date): SessionRecord {
    const decoded = decodeCacheValue(entry.value, this.settings.jsonValues);
    let expireDate = entry.ttlMs === undefined ? undefined : new Date(now.getTime() + entry.ttlMs);
    if (decoded.ok) {
      const absolute = absoluteExpiry(decoded.session.data.get(EXPIRY_KEY), this.descriptor);
      if (absolute && (!expireDate || absolute < expireDate)) {
        expireDate = absolute;
      }
    }
    return { key: sessionKey, expireDate, raw: rawOf(entry.value.bytes), decoded };
  }

  protected override checkKey(sessionKey: string): void {
    if (!isValidSessionKey(sessionKey) || /[\s\x00-\x1f\x7f]/.test(sessionKey)) {
      throw new StoreError('invalid-key', 'A cache session key has at least 8 characters and no spaces or control characters; check the key you passed.');
    }
  }

  protected override missing(sessionKey: string, when: 'read' | 'write'): StoreError {
    return when === 'read'
      ? new StoreError('not-found', `No session ${maskSessionKey(sessionKey)} in ${this.descriptor.id} (it may have expired: cache sessions vanish at their TTL); list the sessions to find the key.`)
      : new StoreError('not-found', `Session ${maskSessionKey(sessionKey)} was deleted or expired while it was being changed; nothing was written.`);
  }

  /** Cache values are pickled dicts that nothing signs, so there is no signature to check. */
  protected override checkSignature(): void {}

  /**
   * Refuses writes the settings say Django could not read (`writeRefusal`). An edit keeps the
   * replaced value's pickle protocol and compression, which its readers already read: a Django
   * 3.2 on Python 3.7 cannot unpickle protocol 5, and Django's cache load swallows that error as
   * a miss, so the session would be lost. A create uses the configured format. The base `write`
   * calls `encode` before its first await, so `replacing` is set for exactly that call.
   */
  protected override write(sessionKey: string, data: PyDict, expectedRaw: string | undefined, expireOverride: Date | undefined, now?: Date): Promise<SessionRecord> {
    if (this.settings.writeRefusal) {
      return Promise.reject(new StoreError('write-refused', this.settings.writeRefusal));
    }
    const flags = this.settings.client === 'pymemcache' ? MEMCACHED_FLAGS.pickle : undefined;
    this.replacing = expectedRaw === undefined ? undefined : cacheValueFormatOf({ bytes: bytesOfRaw(expectedRaw), flags });
    try {
      return super.write(sessionKey, data, expectedRaw, expireOverride, now);
    } finally {
      this.replacing = undefined;
    }
  }

  protected encode(data: PyDict): EncodedSession<CacheValue> {
    const value = encodeCacheValue(data, writeFormat(this.settings, this.replacing));
    return { value, raw: rawOf(value.bytes), decoded: decodeCacheValue(value) };
  }

  /** The TTL Django's cache sets is whole seconds, so that is all the entry keeps of the expiry. */
  protected override storedExpiry(expireDate: Date, now: Date): Date {
    return new Date(now.getTime() + ttlSeconds(expireDate, now) * 1000);
  }

  /** A TTL ≤ 0 would delete the entry at once (Django's cache `set`), so such a create is refused. */
  protected async insertRaw(sessionKey: string, value: CacheValue, expireDate: Date, now: Date): Promise<void> {
    const ttl = ttlSeconds(expireDate, now);
    if (ttl <= 0) {
      throw new StoreError('write-refused', `The session would expire immediately (expiry age ${ttl}s), so it was not created; give a later expiry.`);
    }
    if (!(await this.backend.add(this.keys.cacheKey(sessionKey), value, ttl))) {
      throw new StoreError('exists', `Session ${maskSessionKey(sessionKey)} already exists in ${this.descriptor.id}; nothing was overwritten.`);
    }
  }

  /** A TTL ≤ 0 deletes the entry, as Django's cache `set` does. */
  protected async replaceRaw(sessionKey: string, expectedRaw: string, value: CacheValue, expireDate: Date, now: Date): Promise<boolean> {
    const ttl = ttlSeconds(expireDate, now);
    const cacheKey = this.keys.cacheKey(sessionKey);
    const expected = bytesOfRaw(expectedRaw);
    return ttl <= 0 ? this.backend.deleteIf(cacheKey, expected) : this.backend.replaceIf(cacheKey, expected, value, ttl);
  }

  protected deleteRaw(sessionKey: string, expectedRaw?: string): Promise<boolean> {
    return this.backend.deleteIf(this.keys.cacheKey(sessionKey), expectedRaw === undefined ? undefined : bytesOfRaw(expectedRaw));
  }

  protected override reconnects(): number {
    return this.backend.reconnects?.() ?? 0;
  }
}

/**
 * The configured format, or for an edit the replaced value's protocol (2 to 5) and compression
 * where the value tells them, unless a configured COMPRESSOR could not read that compression
 * back: django-redis uses the raw bytes when decompression fails, so an uncompressed value stays
 * readable under any COMPRESSOR, but one compressed another way would not unpickle.
 */
function writeFormat(settings: CacheSettings, replaced: CacheValueFormat | undefined): Pick<CacheSettings, 'client' | 'compressor' | 'pickleProtocol'> {
  if (!replaced) {
    return settings;
  }
  const protocol = replaced.pickleProtocol;
  const keepCompression = replaced.tellsCompression && (replaced.compressor === undefined || settings.compressor === undefined);
  return {
    client: settings.client,
    pickleProtocol: protocol !== undefined && protocol >= 2 && protocol <= 5 ? protocol : settings.pickleProtocol,
    compressor: keepCompression ? replaced.compressor : settings.compressor,
  };
}

/**
 * A step's keys without repeats (SCAN may return a key twice) and without those an earlier page
 * handled from the same step, each with the fingerprint the cursor would carry for it; and the
 * fingerprints of every key in the step.
 */
function notYetHandled(keys: string[], handled: string[] | undefined): { pending: Array<{ key: string; fingerprint: string }>; present: Set<string> } {
  const skip = new Set(handled);
  const present = new Set<string>();
  const pending: Array<{ key: string; fingerprint: string }> = [];
  for (const key of keys) {
    const fingerprint = shortFingerprint(key);
    if (present.has(fingerprint)) {
      continue;
    }
    present.add(fingerprint);
    if (!skip.has(fingerprint)) {
      pending.push({ key, fingerprint });
    }
  }
  return { pending, present };
}
