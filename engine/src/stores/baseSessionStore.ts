import type { DecodedSession, PyDict } from '../codec';
import { generateSessionKey, isValidSessionKey } from '../sessionKeys';
import { maskSessionKey } from '../keyMask';
import { EXPIRY_KEY } from '../session';
import { applyExpiry, expiryDateOf, refuseBadExpiryValue, refuseNaiveExpiryWithAssumedTime } from './sessionExpiry';
import type { ScanOptions } from './scanOptions';
import { uncheckable, userIdOf } from './sessionFilter';
import { isExpired, type ClearExpiredOptions, type DecodeOutcome, type EditOptions, type ExpirySetting, type DeleteByUserOptions, type FindByUserOptions, type ListOptions, type CountOptions, type SaveMode, type SessionFilter, type SessionPage, type SessionRecord, type SessionStore } from './sessionStore';
import { missingSecretKey, type StoreDescriptor } from './storeDescriptor';
import { StoreError } from './storeError';
import { causeOf, interruptedCycle } from './interruptedCycle';
import { unloadedKeyHint } from './unloadedEnvNote';

/** A session ready to store: the value the backend writes, its text as `SessionRecord.raw`, and how it reads back. */
export interface EncodedSession<V> {
  value: V;
  raw: string;
  decoded: DecodeOutcome;
}

/** How long a logout waits for the requests in flight to save before deleting what they wrote back (see savesRecreate). */
const RECREATED_SWEEP_MS = 2000;

/**
 * Django's session semantics over a backend's few primitives, so every adapter behaves alike:
 * writes re-read and compare the stored text (compare-and-swap), creates never overwrite, and
 * nothing is written from data that could not be decoded. `V` is what the backend stores: the
 * signed text for the db and file engines, pickled bytes for a cache.
 */
export abstract class BaseSessionStore<V = string> implements SessionStore {
  /** Names the store in messages that could be about any backend. */
  protected readonly kind: string = 'store';

  protected constructor(readonly descriptor: StoreDescriptor) {}

  abstract list(options: ListOptions): Promise<SessionPage>;
  abstract count(filter?: SessionFilter, options?: CountOptions): Promise<number>;
  abstract get(sessionKey: string): Promise<SessionRecord | undefined>;
  abstract clearExpired(options?: ClearExpiredOptions): Promise<number>;
  abstract close(): Promise<void>;

  /** Stores a new session; throws StoreError('exists') when the key is taken. `now` is when the write began. */
  protected abstract insertRaw(sessionKey: string, value: V, expireDate: Date, now: Date): Promise<void>;
  /** Replaces the session only if its stored text is still `expectedRaw`; false otherwise. */
  protected abstract replaceRaw(sessionKey: string, expectedRaw: string, value: V, expireDate: Date, now: Date): Promise<boolean>;
  /** Deletes the session (only if its text is `expectedRaw`, when given); false when nothing was deleted. */
  protected abstract deleteRaw(sessionKey: string, expectedRaw?: string): Promise<boolean>;

  /** How many times the store's client connected again, where it resends a command whose reply was lost (see CacheBackend.reconnects). */
  protected reconnects(): number {
    return 0;
  }
  /** Every stored session, a page at a time, for scans that must see the whole store. */
  protected abstract scanPages(scan?: ScanOptions): AsyncIterable<SessionRecord[]>;
  /** The session data as the backend stores it. */
  protected abstract encode(data: PyDict, now: Date): EncodedSession<V>;

  /** Keys the backend can store; the file engine narrows this to `[a-z0-9]`. */
  protected checkKey(sessionKey: string): void {
    if (!isValidSessionKey(sessionKey)) {
      throw new StoreError('invalid-key', 'A session key has at least 8 characters; check the key you passed.');
    }
  }

  async save(sessionKey: string, data: PyDict, mode: SaveMode): Promise<SessionRecord> {
    return this.write(sessionKey, data, 'create' in mode ? undefined : mode.expectedRaw, undefined);
  }

  async update(sessionKey: string, change: (data: PyDict) => void, options: EditOptions = {}): Promise<SessionRecord> {
    return this.modify(
      sessionKey,
      (data) => {
        change(data);
        return undefined;
      },
      options,
    );
  }

  async delete(sessionKey: string): Promise<boolean> {
    this.checkKey(sessionKey);
    return this.deleteRaw(sessionKey);
  }

  async clear(sessionKey: string, options: EditOptions = {}): Promise<SessionRecord> {
    return this.modify(
      sessionKey,
      (data) => {
        data.clear();
        return undefined;
      },
      options,
    );
  }

  async setExpiry(sessionKey: string, expiry: ExpirySetting, options: EditOptions = {}): Promise<SessionRecord> {
    return this.modify(sessionKey, (data, now) => applyExpiry(data, expiry, this.descriptor, now), options, true);
  }

  /**
   * Copies the session to a new key, then deletes the old key if it is still the version read.
   * A step whose reply was lost may have been applied, and a client that sends a command again
   * once it reconnects (ioredis) then gets the answer of its second run: the copy already there,
   * the old key already gone. So the outcome of each step is read back, and the session ends
   * under one key, the error saying which, or where the store could not be read, both.
   */
  async cycleKey(sessionKey: string, options: EditOptions = {}): Promise<SessionRecord> {
    const record = await this.editBase(sessionKey, options);
    const now = new Date();
    this.refuseExpired(record, now);
    const data = this.editableData(record);
    for (let attempt = 0; attempt < 10; attempt++) {
      const newKey = generateSessionKey();
      let created: SessionRecord | undefined;
      try {
        created = await this.write(newKey, data, undefined, undefined, now);
      } catch (err) {
        if (!(err instanceof StoreError) || (err.code !== 'exists' && err.code !== 'connection')) {
          throw err;
        }
        created = await this.copyMadeDespite(err, record, newKey, data, now);
      }
      if (created) {
        return this.deleteCycled(record, created);
      }
    }
    throw new StoreError('exists', `Could not find a free session key in 10 tries; the ${this.kind} may be refusing writes.`);
  }

  /** The copy under `newKey` when the write that failed with `failure` made it after all; undefined for another session's key. */
  private async copyMadeDespite(failure: StoreError, record: SessionRecord, newKey: string, data: PyDict, now: Date): Promise<SessionRecord | undefined> {
    const ours = this.encode(data, now);
    let there: SessionRecord | undefined;
    try {
      there = await this.get(newKey);
    } catch (again) {
      throw new StoreError('connection', `${interruptedCycle(failure, record.key)}, and reading it again failed (${causeOf(again)}): the session is under its key, and perhaps also copied under ${maskSessionKey(newKey)}. Refresh once the ${this.kind} answers, and flush that copy if it is listed.`);
    }
    if (there?.raw === ours.raw) {
      return { key: newKey, expireDate: this.storedExpiry(expiryDateOf(data, this.descriptor, now), now), raw: ours.raw, decoded: ours.decoded };
    }
    if (failure.code === 'exists') {
      return undefined;
    }
    throw new StoreError('connection', `${interruptedCycle(failure, record.key)}, before its copy under a new key was made: the session is still under its key, and nothing was written. Cycle its key again.`);
  }

  /** Deletes the old key of a cycle whose copy is made; where the old key stays, the copy goes too. */
  private async deleteCycled(record: SessionRecord, created: SessionRecord): Promise<SessionRecord> {
    let failure: unknown;
    const reconnects = this.reconnects();
    try {
      if (await this.deleteRaw(record.key, record.raw)) {
        return created;
      }
    } catch (err) {
      failure = err;
    }
    const during = failure === undefined ? undefined : interruptedCycle(failure, record.key);
    let old: SessionRecord | undefined;
    try {
      old = await this.get(record.key);
    } catch (again) {
      throw new StoreError('connection', `${during ?? `Session ${maskSessionKey(record.key)} was copied under a new key`}, and reading it again failed (${causeOf(again)}): the session is under ${maskSessionKey(created.key)}, and perhaps still under its old key too. Refresh once the ${this.kind} answers, and flush the old key if it is still listed.`);
    }
    // Gone after a deletion whose reply was lost, or that a client resent after connecting again
    // (finding nothing): ours was applied. Gone otherwise: Django deleted the session meanwhile (a
    // logout, clearsessions), which the copy must not bring back.
    if (old === undefined && (failure !== undefined || this.reconnects() !== reconnects)) {
      return created;
    }
    const undone = await this.deleteRaw(created.key, created.raw).then(
      async (deleted) => deleted || (await this.get(created.key)) === undefined,
      () => false,
    );
    if (!undone) {
      throw new StoreError(failure instanceof StoreError ? failure.code : 'conflict', `${during ?? `Session ${maskSessionKey(record.key)} changed after it was read (Django wrote to it)`}, and its copy under ${maskSessionKey(created.key)} could not be deleted again: the session is under both keys now; flush the one you do not want.`);
    }
    if (during === undefined) {
      throw this.conflict(record.key);
    }
    throw new StoreError(failure instanceof StoreError ? failure.code : 'write-refused', `${during}, before its old key was deleted: the copy under a new key was deleted again, the session is still under its key, and nothing changed. Cycle its key again.`);
  }

  async deleteByUser(userId: string, options: DeleteByUserOptions = {}): Promise<number> {
    let deleted = 0;
    let scanned = 0;
    const gathered: SessionRecord[] = [];
    const deletedKeys: string[] = [];
    const deleteGathered = async (): Promise<void> => {
      const records = gathered.splice(0);
      if (records.length === 0) {
        return;
      }
      await options.onDeleting?.(records.map((record) => record.key));
      const unchanged = await this.deleteUnchanged(records);
      deleted += unchanged.deleted;
      for (const record of records) {
        if (unchanged.gone.has(record.key)) {
          deletedKeys.push(record.key);
          await options.onDeleted?.(record.key);
          continue;
        }
        // Django wrote it since the scan: delete the new version only if it is still this user's.
        const again = await this.get(record.key);
        if (again === undefined || userIdOf(again) !== userId) {
          continue;
        }
        await options.onDeleting?.([again.key]);
        if (await this.deleteRaw(again.key, again.raw)) {
          deleted++;
          deletedKeys.push(record.key);
          await options.onDeleted?.(record.key);
        }
      }
    };
    for await (const page of this.scanPages({ signal: options.signal, onEnd: options.onFinished })) {
      gathered.push(...ownedBy(userId, page, options));
      if (gathered.length >= this.deletionsGathered) {
        await deleteGathered();
      }
      scanned += page.length;
      options.onProgress?.(scanned);
    }
    // Also after a cancellation: what the scan found before it is deleted, as one at a time would have been.
    await deleteGathered();
    if (this.savesRecreate && deletedKeys.length > 0 && !options.signal?.aborted) {
      await this.deleteRecreated(deletedKeys, userId, options.signal);
    }
    return deleted;
  }

  async findByUser(userId: string, options: FindByUserOptions = {}): Promise<number> {
    let found = 0;
    let scanned = 0;
    for await (const page of this.scanPages({ signal: options.signal, onEnd: options.onFinished })) {
      for (const record of ownedBy(userId, page, options)) {
        found++;
        options.onFound?.(record);
      }
      scanned += page.length;
      options.onProgress?.(scanned);
    }
    return found;
  }

  /**
   * Whether Django's save of a session it loaded before we deleted it writes it back (a cache's
   * set, the file engine's rename), so a request in flight during a logout would log the user
   * in again; a database's save updates a row, and finds none.
   */
  protected readonly savesRecreate: boolean = false;

  /**
   * Deletes again, after the requests in flight have had RECREATED_SWEEP_MS to save, the sessions
   * of `userId` that their saves wrote back under the keys just deleted.
   */
  private async deleteRecreated(keys: readonly string[], userId: string, signal: AbortSignal | undefined): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, RECREATED_SWEEP_MS);
      signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
    for (const key of keys) {
      if (signal?.aborted) {
        return;
      }
      const back = await this.get(key);
      if (back !== undefined && userIdOf(back) === userId) {
        await this.deleteRaw(back.key, back.raw);
      }
    }
  }

  /**
   * How many of a user's sessions `deleteByUser` gathers before deleting them together: one,
   * unless a store deletes many in one write (see deleteUnchanged).
   */
  protected readonly deletionsGathered: number = 1;

  /**
   * Deletes the sessions that are still as they were read: how many it deleted, and the keys no
   * longer stored (those, and any Django deleted meanwhile); the others changed since. One at a
   * time, unless a store does better.
   */
  protected async deleteUnchanged(records: readonly SessionRecord[]): Promise<{ deleted: number; gone: Set<string> }> {
    const gone = new Set<string>();
    for (const record of records) {
      if (await this.deleteRaw(record.key, record.raw)) {
        gone.add(record.key);
      }
    }
    return { deleted: gone.size, gone };
  }

  /**
   * Counts the sessions `matches` accepts in one pass over `scanPages`: linear however large the
   * store, where paging through `list` re-sorts what comes before each page.
   */
  protected async countScanned(matches: (record: SessionRecord, now: Date) => boolean, filter: SessionFilter, options: CountOptions = {}): Promise<number> {
    let matched = 0;
    let scanned = 0;
    for await (const page of this.scanPages()) {
      const now = new Date();
      matched += page.filter((record) => matches(record, now)).length;
      page.filter((record) => uncheckable(record, filter)).forEach((record) => options.onUndecodable?.(record.key));
      scanned += page.length;
      options.onProgress?.(scanned);
    }
    return matched;
  }

  /**
   * Reads (unless the caller just did), changes and writes back one session, refusing if it
   * changed in between. Only a change of the expiry (`setsExpiry`) may bring back an expired session.
   */
  protected async modify(sessionKey: string, change: (data: PyDict, now: Date) => Date | undefined, options: EditOptions = {}, setsExpiry = false): Promise<SessionRecord> {
    const record = await this.editBase(sessionKey, options);
    const now = new Date();
    if (!setsExpiry) {
      if (record.decoded.ok) {
        refuseNaiveExpiryWithAssumedTime(record.decoded.session.data.get(EXPIRY_KEY), this.descriptor);
      }
      this.refuseExpired(record, now);
    }
    const data = this.editableData(record);
    const expiryBefore = data.get(EXPIRY_KEY);
    const expireOverride = change(data, now);
    // An expiry this edit sets (a value typed in, or set_expiry) must be one Django can live with.
    if (data.get(EXPIRY_KEY) !== expiryBefore) {
      refuseBadExpiryValue(data.get(EXPIRY_KEY), this.descriptor, now);
    }
    return this.write(sessionKey, data, record.raw, expireOverride, now);
  }

  /** What an expired session's end is for Django, as a refusal to change one says it. */
  protected readonly expiredMeans: string = 'Django no longer loads it';

  /**
   * Refuses to change the data of an expired session: Django never loads one (a request with its
   * cookie starts a new session), so writing it would bring back a session, with a new expiry,
   * that Django had ended.
   */
  protected refuseExpired(record: SessionRecord, now: Date): void {
    if (record.expireDate !== undefined && isExpired(record, now.getTime())) {
      throw new StoreError(
        'not-found',
        `Session ${maskSessionKey(record.key)} expired at ${record.expireDate.toISOString()}, so ${this.expiredMeans} and nothing was changed; set its expiry to bring it back, or flush it.`,
      );
    }
  }

  /** The session an edit starts from: the caller's fresh read when it passes one, else read now. */
  protected async editBase(sessionKey: string, { read }: EditOptions): Promise<SessionRecord> {
    if (read === undefined) {
      return this.mustGet(sessionKey);
    }
    this.checkKey(sessionKey);
    if (read.key !== sessionKey) {
      throw new StoreError('bad-input', `The session read for an edit of ${maskSessionKey(sessionKey)} is another session's; nothing was written.`);
    }
    return read;
  }

  protected async mustGet(sessionKey: string): Promise<SessionRecord> {
    this.checkKey(sessionKey);
    const record = await this.get(sessionKey);
    if (!record) {
      throw this.missing(sessionKey, 'read');
    }
    return record;
  }

  /** The error for a session that is not there when it is read, or that went away during a write. */
  protected missing(sessionKey: string, when: 'read' | 'write'): StoreError {
    return when === 'read'
      ? new StoreError('not-found', `No session ${maskSessionKey(sessionKey)} in ${this.descriptor.id}; list the sessions to find the key.`)
      : new StoreError('not-found', `Session ${maskSessionKey(sessionKey)} was deleted while it was being changed; nothing was written.`);
  }

  /** A copy of the data that can be changed and saved, or why it cannot be. */
  protected editableData(record: SessionRecord): PyDict {
    if (!record.decoded.ok) {
      throw new StoreError('undecodable', `Session ${maskSessionKey(record.key)} cannot be decoded (${record.decoded.message}), so it is not rewritten; flush it instead.`);
    }
    this.checkSignature(record.key, record.decoded.session);
    return record.decoded.session.data.copy();
  }

  /** Refuses to edit a session Django would ignore because its signature does not verify. */
  protected checkSignature(sessionKey: string, session: DecodedSession): void {
    // Without a key nothing is verified, and nothing could be signed again: that is what to fix.
    if (session.signature === 'unverified') {
      throw new StoreError('missing-secret', `Changing a session needs the SECRET_KEY, to verify it and sign it again: ${missingSecretKey(this.descriptor.secretKeys, 'none is known for this store')}.`);
    }
    if (session.signature !== 'valid') {
      const hint = unloadedKeyHint(this.descriptor);
      throw new StoreError(
        'undecodable',
        `Session ${maskSessionKey(sessionKey)} is not signed with this store's SECRET_KEY and salt, so Django ignores it; check SECRET_KEY and the store class (salt) before editing it${hint ? ` (${hint})` : ''}.`,
      );
    }
  }

  protected async write(sessionKey: string, data: PyDict, expectedRaw: string | undefined, expireOverride: Date | undefined, now = new Date()): Promise<SessionRecord> {
    this.checkKey(sessionKey);
    const encoded = this.encode(data, now);
    const expireDate = this.storedExpiry(expireOverride ?? expiryDateOf(data, this.descriptor, now), now);
    if (expectedRaw === undefined) {
      await this.insertRaw(sessionKey, encoded.value, expireDate, now);
    } else if (!(await this.replaceRaw(sessionKey, expectedRaw, encoded.value, expireDate, now))) {
      const stored = await this.get(sessionKey);
      // A client that sends a command again after losing its reply (ioredis) gets the second run's
      // answer: the stored text is then this very write's.
      if (stored?.raw !== encoded.raw) {
        throw stored ? this.conflict(sessionKey) : this.missing(sessionKey, 'write');
      }
    }
    return { key: sessionKey, expireDate, raw: encoded.raw, decoded: encoded.decoded };
  }

  /** The expiry the backend can actually keep for `expireDate` (a cache keeps whole seconds of TTL). */
  protected storedExpiry(expireDate: Date, _now: Date): Date {
    return expireDate;
  }

  protected conflict(sessionKey: string): StoreError {
    return new StoreError('conflict', `Session ${maskSessionKey(sessionKey)} changed since it was read (Django wrote to it); nothing was overwritten. Read it again and retry.`);
  }
}

/**
 * The sessions of `page` logged in as `userId`, as `deleteByUser` and `findByUser` take them;
 * `options` hears of each session that does not decode, and of each logged in as anyone.
 */
function ownedBy(userId: string, page: readonly SessionRecord[], options: Pick<FindByUserOptions, 'onUndecodable' | 'onLoggedIn'>): SessionRecord[] {
  const owned: SessionRecord[] = [];
  for (const record of page) {
    if (!record.decoded.ok) {
      options.onUndecodable?.(record.key);
      continue;
    }
    const owner = userIdOf(record);
    if (owner !== undefined) {
      options.onLoggedIn?.();
    }
    if (owner === userId) {
      owned.push(record);
    }
  }
  return owned;
}
