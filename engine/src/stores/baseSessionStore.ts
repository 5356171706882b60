import { CodecError, encodeSessionData, type PyDict } from '../codec';
import { generateSessionKey, isValidSessionKey } from '../sessionKeys';
import { maskSessionKey } from '../keyMask';
import { decodeRecord } from './decodeRecord';
import { applyExpiry, expiryDateOf } from './sessionExpiry';
import { userIdOf } from './sessionFilter';
import type { ExpirySetting, ListOptions, ProgressOptions, SaveMode, SessionFilter, SessionPage, SessionRecord, SessionStore } from './sessionStore';
import type { StoreDescriptor } from './storeDescriptor';
import { StoreError } from './storeError';

/**
 * Django's session semantics over a backend's few primitives, so every adapter behaves alike:
 * writes re-read and compare the stored text (compare-and-swap), creates never overwrite, and
 * nothing is written from data that could not be decoded.
 */
export abstract class BaseSessionStore implements SessionStore {
  protected constructor(readonly descriptor: StoreDescriptor) {}

  abstract list(options: ListOptions): Promise<SessionPage>;
  abstract count(filter?: Pick<SessionFilter, 'state'>): Promise<number>;
  abstract get(sessionKey: string): Promise<SessionRecord | undefined>;
  abstract clearExpired(options?: ProgressOptions): Promise<number>;
  abstract close(): Promise<void>;

  /** Stores a new session; throws StoreError('exists') when the key is taken. */
  protected abstract insertRaw(sessionKey: string, raw: string, expireDate: Date): Promise<void>;
  /** Replaces the session only if its stored text is still `expectedRaw`; false otherwise. */
  protected abstract replaceRaw(sessionKey: string, expectedRaw: string, raw: string, expireDate: Date): Promise<boolean>;
  /** Deletes the session (only if its text is `expectedRaw`, when given); false when nothing was deleted. */
  protected abstract deleteRaw(sessionKey: string, expectedRaw?: string): Promise<boolean>;
  /** Every stored session, a page at a time, for scans that must see the whole store. */
  protected abstract scanPages(signal?: AbortSignal): AsyncIterable<SessionRecord[]>;

  /** Keys the backend can store; the file engine narrows this to `[a-z0-9]`. */
  protected checkKey(sessionKey: string): void {
    if (!isValidSessionKey(sessionKey)) {
      throw new StoreError('invalid-key', 'A session key has at least 8 characters; check the key you passed.');
    }
  }

  async save(sessionKey: string, data: PyDict, mode: SaveMode): Promise<SessionRecord> {
    return this.write(sessionKey, data, 'create' in mode ? undefined : mode.expectedRaw, undefined);
  }

  async update(sessionKey: string, change: (data: PyDict) => void): Promise<SessionRecord> {
    return this.modify(sessionKey, (data) => {
      change(data);
      return undefined;
    });
  }

  async delete(sessionKey: string): Promise<boolean> {
    this.checkKey(sessionKey);
    return this.deleteRaw(sessionKey);
  }

  async clear(sessionKey: string): Promise<SessionRecord> {
    return this.modify(sessionKey, (data) => {
      data.clear();
      return undefined;
    });
  }

  async setExpiry(sessionKey: string, expiry: ExpirySetting): Promise<SessionRecord> {
    return this.modify(sessionKey, (data, now) => applyExpiry(data, expiry, this.descriptor, now));
  }

  async cycleKey(sessionKey: string): Promise<SessionRecord> {
    const record = await this.mustGet(sessionKey);
    const data = this.editableData(record);
    for (let attempt = 0; attempt < 10; attempt++) {
      const newKey = generateSessionKey();
      let created: SessionRecord;
      try {
        created = await this.write(newKey, data, undefined, undefined);
      } catch (err) {
        if (err instanceof StoreError && err.code === 'exists') {
          continue;
        }
        throw err;
      }
      if (!(await this.deleteRaw(sessionKey, record.raw))) {
        await this.deleteRaw(newKey, created.raw);
        throw this.conflict(sessionKey);
      }
      return created;
    }
    throw new StoreError('exists', 'Could not find a free session key in 10 tries; the store may be refusing writes.');
  }

  async deleteByUser(userId: string, options: ProgressOptions = {}): Promise<number> {
    let deleted = 0;
    let scanned = 0;
    for await (const page of this.scanPages(options.signal)) {
      for (const record of page) {
        if (userIdOf(record) !== userId) {
          continue;
        }
        if (await this.deleteRaw(record.key, record.raw)) {
          deleted++;
          continue;
        }
        const again = await this.get(record.key);
        if (again && userIdOf(again) === userId && (await this.deleteRaw(again.key, again.raw))) {
          deleted++;
        }
      }
      scanned += page.length;
      options.onProgress?.(scanned);
    }
    return deleted;
  }

  /** Reads, changes and writes back one session, refusing if it changed in between. */
  protected async modify(sessionKey: string, change: (data: PyDict, now: Date) => Date | undefined): Promise<SessionRecord> {
    const record = await this.mustGet(sessionKey);
    const data = this.editableData(record);
    const now = new Date();
    const expireOverride = change(data, now);
    return this.write(sessionKey, data, record.raw, expireOverride, now);
  }

  protected async mustGet(sessionKey: string): Promise<SessionRecord> {
    this.checkKey(sessionKey);
    const record = await this.get(sessionKey);
    if (!record) {
      throw new StoreError('not-found', `No session ${maskSessionKey(sessionKey)} in ${this.descriptor.id}; list the sessions to find the key.`);
    }
    return record;
  }

  /** A copy of the data that can be changed and saved, or why it cannot be. */
  protected editableData(record: SessionRecord): PyDict {
    if (!record.decoded.ok) {
      throw new StoreError('undecodable', `Session ${maskSessionKey(record.key)} cannot be decoded (${record.decoded.message}), so it is not rewritten; flush it instead.`);
    }
    if (record.decoded.session.signature !== 'valid') {
      throw new StoreError(
        'undecodable',
        `Session ${maskSessionKey(record.key)} is not signed with this store's SECRET_KEY and salt, so Django ignores it; check SECRET_KEY and the store class (salt) before editing it.`,
      );
    }
    return record.decoded.session.data.copy();
  }

  protected async write(sessionKey: string, data: PyDict, expectedRaw: string | undefined, expireOverride: Date | undefined, now = new Date()): Promise<SessionRecord> {
    this.checkKey(sessionKey);
    const raw = this.encode(data, now);
    const expireDate = expireOverride ?? expiryDateOf(data, this.descriptor, now);
    if (expectedRaw === undefined) {
      await this.insertRaw(sessionKey, raw, expireDate);
    } else if (!(await this.replaceRaw(sessionKey, expectedRaw, raw, expireDate))) {
      throw (await this.get(sessionKey)) ? this.conflict(sessionKey) : new StoreError('not-found', `Session ${maskSessionKey(sessionKey)} was deleted while it was being changed; nothing was written.`);
    }
    return { key: sessionKey, expireDate, raw, decoded: decodeRecord(raw, this.descriptor) };
  }

  protected encode(data: PyDict, now: Date): string {
    const d = this.descriptor;
    if (d.serializer === 'custom') {
      throw new StoreError('unsupported', 'This project uses a custom SESSION_SERIALIZER, which only Django can write; change such sessions from Django.');
    }
    if (d.secretKeys.values.length === 0) {
      throw new StoreError('missing-secret', `Writing a session needs the SECRET_KEY (${d.secretKeys.missing ?? 'not found in settings'}); set DJANGO_SECRET_KEY.`);
    }
    try {
      return encodeSessionData(data, { secretKeys: d.secretKeys.values, salt: d.salt, serializer: d.serializer, nowSeconds: now.getTime() / 1000 });
    } catch (err) {
      if (err instanceof CodecError) {
        throw new StoreError('undecodable', `The new session data cannot be encoded: ${err.message}.`);
      }
      throw err;
    }
  }

  protected conflict(sessionKey: string): StoreError {
    return new StoreError('conflict', `Session ${maskSessionKey(sessionKey)} changed since it was read (Django wrote to it); nothing was overwritten. Read it again and retry.`);
  }
}
