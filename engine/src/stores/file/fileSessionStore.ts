import { randomBytes } from 'node:crypto';
import * as fsNow from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { PyDict } from '../../codec';
import { maskSessionKey } from '../../keyMask';
import { isValidFileSessionKey } from '../../sessionKeys';
import { refuseClearWithAssumedTime } from '../assumedTimeRefusals';
import { cookieAgeUnknownWhy } from '../assumedCookieAge';
import { BaseSessionStore, type EncodedSession } from '../baseSessionStore';
import { checkCookieName } from '../cookieName';
import { decodeRecord } from '../decodeRecord';
import { keepFileOwner } from '../fileOwner';
import { decodeCursor, encodeCursor } from '../pageCursor';
import type { ScanOptions } from '../scanOptions';
import { EXPIRY_KEY } from '../../session';
import { absoluteExpiry } from '../sessionExpiry';
import { matchesDecoded, needsDecoding } from '../sessionFilter';
import { encodeSignedSession } from '../signedSessionEncoding';
import type { ClearExpiredOptions, DecodeOutcome, EditOptions, ExpirySetting, ListOptions, CountOptions, SessionFilter, SessionPage, SessionRecord } from '../sessionStore';
import type { StoreDescriptor } from '../storeDescriptor';
import { StoreError } from '../storeError';
import { oversizedData } from '../storedDataLimit';
import { fileText, fileTextNow, oversizedBytes } from './boundedFileText';
import { saveInFlight } from './saveInFlight';

const DEFAULT_MAX_SCAN = 10_000;
const SCAN_PAGE = 1000;
/** Session files stat()ed at once while ordering a listing. */
const STAT_BATCH = 256;

interface FileRecord extends SessionRecord {
  /** What Django's `load()` would decide now, by `_session_expiry` or the file's mtime. */
  expired: boolean;
}

/**
 * The file engine: one file per session, named `SESSION_COOKIE_NAME + key` in
 * `SESSION_FILE_PATH`, holding the encoded data. Keys are checked against `[a-z0-9]` before a
 * path is built; anything else in the directory (Django's `_out_` temp files, junk, symlinks,
 * subdirectories) is skipped. Writes go through a temp file and a rename, as Django's do, and
 * sessions are listed by when they were last saved (see filesBySave), since their expiry lives inside each file.
 */
export class FileSessionStore extends BaseSessionStore {
  protected override readonly savesRecreate = true;

  private readonly dir: string;
  private readonly prefix: string;
  /** The session files' save times as last read, with the directory's mtime then (see filesBySave). */
  private saveTimes: { dirNs: bigint; files: readonly { key: string; savedNs: bigint }[] } | undefined;

  private constructor(descriptor: StoreDescriptor, dir: string) {
    super(descriptor);
    this.dir = dir;
    // Checked again here, whatever built the descriptor: the prefix becomes part of every path.
    this.prefix = checkCookieName(descriptor.cookieName);
  }

  /** `urlHint` says how the user names a store URL, for the message about a missing directory. */
  static async open(descriptor: StoreDescriptor, urlHint = 'the file: store URL'): Promise<FileSessionStore> {
    const dir = descriptor.fileDir;
    if (!dir) {
      throw new StoreError('bad-url', 'A file store needs its directory (SESSION_FILE_PATH), e.g. file:///var/lib/myapp/sessions.');
    }
    let stat;
    try {
      stat = await fs.stat(dir);
    } catch {
      stat = undefined;
    }
    if (!stat?.isDirectory()) {
      // A store that cannot be reached, not a session that is missing.
      throw new StoreError('connection', `The session directory ${dir} does not exist. Check SESSION_FILE_PATH, or ${urlHint}.`);
    }
    return new FileSessionStore(descriptor, dir);
  }

  protected override checkKey(sessionKey: string): void {
    if (!isValidFileSessionKey(sessionKey)) {
      throw new StoreError('invalid-key', 'File session keys are at least 8 characters of a-z and 0-9 only; check the key you passed.');
    }
  }

  async list(options: ListOptions): Promise<SessionPage> {
    const filter = options.filter ?? {};
    const maxScan = Math.max(1, options.maxScan ?? DEFAULT_MAX_SCAN);
    const scanning = filter.state !== undefined || filter.userId !== undefined || filter.hasKey !== undefined || filter.text !== undefined;
    const order = options.order ?? 'desc';
    const sign = order === 'desc' ? -1 : 1;
    let files = (await this.filesBySave()).sort((a, b) => sign * (a.savedNs < b.savedNs ? -1 : a.savedNs > b.savedNs ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (options.cursor) {
      const bound = decodeCursor(options.cursor, order);
      if (!/^\d+$/.test(bound.sortValue)) {
        throw new StoreError('bad-cursor', "That cursor is not from a listing of this file store (a database's, or one listed by key before file stores were listed by save time); start again without --cursor.");
      }
      const savedNs = BigInt(bound.sortValue);
      files = files.filter((f) => (order === 'desc' ? f.savedNs < savedNs || (f.savedNs === savedNs && f.key < bound.keyBound) : f.savedNs > savedNs || (f.savedNs === savedNs && f.key > bound.keyBound)));
    }
    const sessions: SessionRecord[] = [];
    let scanned = 0;
    for (let i = 0; i < files.length; i++) {
      const { key, savedNs } = files[i]!;
      const record = await this.read(key);
      scanned++;
      if (record && this.matches(record, filter)) {
        sessions.push(record);
      }
      const more = i + 1 < files.length;
      if (more && (sessions.length === options.limit || (scanning && scanned >= maxScan))) {
        return { sessions, scanned, nextCursor: encodeCursor({ sortValue: String(savedNs), sessionKey: key }) };
      }
    }
    return { sessions, scanned };
  }

  async count(filter?: SessionFilter, options?: CountOptions): Promise<number> {
    if (!filter?.state && !needsDecoding(filter)) {
      return (await this.keys()).length;
    }
    return this.countScanned((record) => this.matches(record as FileRecord, filter!), filter!, options);
  }

  async get(sessionKey: string): Promise<SessionRecord | undefined> {
    if (!isValidFileSessionKey(sessionKey)) {
      return undefined;
    }
    const record = await this.read(sessionKey);
    if (!record) {
      await this.refuseLink(sessionKey);
    }
    return record;
  }

  /** Django's `clear_expired` for files: delete each file that `load()` would find expired. */
  async clearExpired(options: ClearExpiredOptions = {}): Promise<number> {
    refuseClearWithAssumedTime(this.descriptor);
    let deleted = 0;
    for await (const page of this.scanPages({ signal: options.signal, onEnd: options.onFinished })) {
      for (const record of page as FileRecord[]) {
        if (record.expired && (await this.deleteRaw(record.key, record.raw))) {
          deleted++;
        }
      }
      options.onProgress?.(deleted);
    }
    return deleted;
  }

  /** Expiring now also drops an int `_session_expiry`, which Django's file engine never expires by. */
  override async setExpiry(sessionKey: string, expiry: ExpirySetting, options: EditOptions = {}): Promise<SessionRecord> {
    if (expiry.kind !== 'now') {
      return super.setExpiry(sessionKey, expiry, options);
    }
    return this.modify(
      sessionKey,
      (data, now) => {
        data.delete(EXPIRY_KEY);
        return now;
      },
      options,
      true,
    );
  }

  async close(): Promise<void> {}

  /** An empty file is an empty session to Django, so it can be edited like one. */
  protected override editableData(record: SessionRecord): PyDict {
    return record.raw === '' && record.decoded.ok ? new PyDict() : super.editableData(record);
  }

  protected encode(data: PyDict, now: Date): EncodedSession<string> {
    return encodeSignedSession(data, this.descriptor, now);
  }

  protected async insertRaw(sessionKey: string, raw: string, expireDate: Date): Promise<void> {
    const file = this.pathOf(sessionKey);
    try {
      await (await fs.open(file, 'wx', 0o600)).close();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new StoreError('exists', `Session ${maskSessionKey(sessionKey)} already exists; nothing was overwritten.`);
      }
      throw this.ioError(err);
    }
    try {
      await this.writeAtomic(sessionKey, raw, expireDate);
    } catch (err) {
      // Django loads the empty file as {} and never expires it, so a create that failed (a full disk) must not leave it.
      await this.deleteRaw(sessionKey, '').catch(() => false);
      throw err;
    }
  }

  protected async replaceRaw(sessionKey: string, expectedRaw: string, raw: string, expireDate: Date): Promise<boolean> {
    if ((await this.readText(sessionKey)) !== expectedRaw) {
      return false;
    }
    return this.writeAtomic(sessionKey, raw, expireDate, expectedRaw);
  }

  protected async deleteRaw(sessionKey: string, expectedRaw?: string): Promise<boolean> {
    const file = this.pathOf(sessionKey);
    try {
      if (expectedRaw !== undefined) {
        return deleteIfUnchanged(file, expectedRaw);
      }
      fsNow.unlinkSync(file);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return false;
      }
      throw this.ioError(err);
    }
  }

  protected async *scanPages({ signal, onEnd }: ScanOptions = {}): AsyncIterable<SessionRecord[]> {
    const keys = await this.keys();
    for (let i = 0; i < keys.length; i += SCAN_PAGE) {
      if (signal?.aborted) {
        return;
      }
      const page: FileRecord[] = [];
      for (const key of keys.slice(i, i + SCAN_PAGE)) {
        const record = await this.read(key);
        if (record) {
          page.push(record);
        }
      }
      yield page;
    }
    onEnd?.();
  }

  private matches(record: FileRecord, filter: SessionFilter): boolean {
    if (filter.state === 'active' && record.expired) {
      return false;
    }
    if (filter.state === 'expired' && !record.expired) {
      return false;
    }
    return !needsDecoding(filter) || matchesDecoded(record, filter);
  }

  /** Session keys of the regular files named like sessions, sorted; nothing else in the directory counts. */
  private async keys(): Promise<string[]> {
    let entries;
    try {
      entries = await fs.readdir(this.dir, { withFileTypes: true });
    } catch (err) {
      throw this.ioError(err);
    }
    return entries
      .filter((e) => e.isFile() && e.name.startsWith(this.prefix))
      .map((e) => e.name.slice(this.prefix.length))
      .filter((k) => isValidFileSessionKey(k))
      .sort();
  }

  /**
   * The session files with when each was last saved (its mtime, to the nanosecond), the order a
   * listing shows them in: Django saves a session by replacing its file, so the session saved
   * last comes first, as the newest expiry does in a database. A file gone meanwhile is left out.
   */
  private async filesBySave(): Promise<{ key: string; savedNs: bigint }[]> {
    // Every save, create and delete renames or unlinks in the directory, which changes its mtime:
    // while it stays, the next page reuses the stat() calls of the one before.
    const dirNs = await fs.stat(this.dir, { bigint: true }).then((st) => st.mtimeNs, (err: unknown) => Promise.reject(this.ioError(err)));
    if (this.saveTimes?.dirNs === dirNs) {
      return [...this.saveTimes.files];
    }
    const keys = await this.keys();
    const files: { key: string; savedNs: bigint }[] = [];
    for (let at = 0; at < keys.length; at += STAT_BATCH) {
      const batch = keys.slice(at, at + STAT_BATCH);
      const stats = await Promise.all(batch.map((key) => fs.lstat(path.join(this.dir, this.prefix + key), { bigint: true }).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(this.ioError(err))))));
      stats.forEach((st, i) => {
        if (st?.isFile()) {
          files.push({ key: batch[i]!, savedNs: st.mtimeNs });
        }
      });
    }
    this.saveTimes = { dirNs, files };
    return [...files];
  }

  /**
   * Says why a session file that is a symbolic link is missing from every listing: it is never
   * followed, since it can lead to any file this user may read, and writing through it would not
   * be what Django does either (its save replaces the link with a file).
   */
  private async refuseLink(sessionKey: string): Promise<void> {
    const stat = await fs.lstat(this.pathOf(sessionKey)).catch(() => undefined);
    if (stat?.isSymbolicLink()) {
      throw new StoreError(
        'unsupported',
        `Session ${maskSessionKey(sessionKey)}'s file in ${this.dir} is a symbolic link, which is never followed here (it could lead to any file this user may read); Django reads through it until its next save replaces the link with a file. Replace the link with the file it points to, to see or change the session here.`,
      );
    }
  }

  private pathOf(sessionKey: string): string {
    this.checkKey(sessionKey);
    return path.join(this.dir, this.prefix + sessionKey);
  }

  /** The file's text, or undefined when it is missing or not a regular file (a symlink is never followed). */
  private async readText(sessionKey: string): Promise<string | undefined> {
    const file = this.pathOf(sessionKey);
    try {
      const stat = await fs.lstat(file);
      if (!stat.isFile()) {
        return undefined;
      }
      return await fileText(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw this.ioError(err);
    }
  }

  private async read(sessionKey: string): Promise<FileRecord | undefined> {
    const file = this.pathOf(sessionKey);
    let stat: fsNow.Stats | undefined;
    let raw: string;
    try {
      stat = await fs.lstat(file);
      if (!stat.isFile()) {
        return undefined;
      }
      raw = await fileText(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        return undefined;
      }
      // The directory let us see the file, so only the file shuts us out (another user's 0600, as `sudo manage.py shell` leaves).
      if (stat && (code === 'EACCES' || code === 'EPERM')) {
        return unreadableSession(sessionKey, stat, code);
      }
      throw this.ioError(err);
    }
    if (raw === '') {
      return { key: sessionKey, raw, decoded: emptySession(), expired: false };
    }
    const oversized = oversizedBytes(raw);
    const decoded = oversized === undefined ? decodeRecord(raw, this.descriptor) : oversizedData(oversized);
    const ageMs = this.descriptor.cookieAgeSeconds * 1000;
    const now = Date.now();
    const value = decoded.ok && decoded.session.signature !== 'invalid' ? decoded.session.data.get(EXPIRY_KEY) : undefined;
    const absolute = absoluteExpiry(value, this.descriptor);
    // Django's load hands get_expiry_age a true expiry as is: True is 1 second, which never expires a file.
    const seconds = typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : value === true ? 1 : 0;
    let expireDate: Date | undefined;
    let expired: boolean;
    if (!absolute && typeof value === 'string' && value !== '') {
      // Text that is no date fails Django's load of the session (fromisoformat raises), and so its
      // clearsessions too: no expiry Django could reach, and never one to delete it by.
      expireDate = undefined;
      expired = false;
    } else if (!absolute && !seconds && cookieAgeUnknownWhy(this.descriptor) !== undefined) {
      // Django expires it at its mtime plus SESSION_COOKIE_AGE, which the settings do not say statically (or a URL does not):
      // unknown, and so never taken for expired (clear-expired would delete live sessions by a guessed age).
      expireDate = undefined;
      expired = false;
    } else if (absolute) {
      expireDate = absolute;
      expired = absolute.getTime() - now < 1000;
    } else if (seconds) {
      expireDate = new Date(stat.mtimeMs + seconds * 1000);
      expired = seconds <= 0;
    } else {
      expireDate = new Date(stat.mtimeMs + ageMs);
      expired = stat.mtimeMs + ageMs - now < 1000;
    }
    return { key: sessionKey, expireDate, raw, decoded, expired };
  }

  /**
   * Django's own write: a temp file in the same directory named `<file>_out_…` (which Django's
   * clear_expired skips), mode 0600, renamed over the session. The mtime is Django's clock for
   * sessions without `_session_expiry`, so an expiry in the past backdates it before the rename.
   * The copy keeps the replaced file's owner and group (a CLI run as root must not hand a
   * session to root, which Django would then read as empty). Django renames its own writes over
   * the file with no lock to take, so with `expectedRaw` a Django save under way (its temp file
   * there) is a conflict, the file is then compared and renamed over without yielding, and read
   * again right after: false when Django's write won either race. Still lost is a Django save
   * that writes its temp file and renames it in the microseconds between that look and our rename.
   */
  private async writeAtomic(sessionKey: string, raw: string, expireDate: Date, expectedRaw?: string): Promise<boolean> {
    const file = this.pathOf(sessionKey);
    const ageUnknown = cookieAgeUnknownWhy(this.descriptor);
    if (expireDate.getTime() <= Date.now() && ageUnknown !== undefined) {
      throw new StoreError(
        'write-refused',
        `Expiring a file session backdates its file by SESSION_COOKIE_AGE, which is not known (${ageUnknown}); flush the session instead, or give the store as a URL with ?cookie_age=SECONDS.`,
      );
    }
    const tmp = `${file}_out_${randomBytes(6).toString('hex')}`;
    try {
      const handle = await fs.open(tmp, 'wx', 0o600);
      try {
        await handle.writeFile(raw, 'latin1');
        await keepOwner(handle, file);
      } finally {
        await handle.close();
      }
      if (expireDate.getTime() <= Date.now()) {
        const mtime = (expireDate.getTime() - this.descriptor.cookieAgeSeconds * 1000) / 1000;
        await fs.utimes(tmp, mtime, mtime);
      }
      if (expectedRaw !== undefined && saveInFlight(file, tmp)) {
        throw new StoreError('conflict', `Django is saving session ${maskSessionKey(sessionKey)} at this moment; nothing was overwritten. Read it again and retry.`);
      }
      if (expectedRaw !== undefined && readTextNow(file) !== expectedRaw) {
        await fs.rm(tmp, { force: true });
        return false;
      }
      fsNow.renameSync(tmp, file);
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err instanceof StoreError ? err : this.ioError(err);
    }
    return expectedRaw === undefined || readTextNow(file) === raw;
  }

  /** The system's code and call only: its message names the file, and a session file's name holds the session's key. */
  private ioError(err: unknown): StoreError {
    const { code, syscall } = err as NodeJS.ErrnoException;
    return new StoreError('connection', `Cannot use the session directory ${this.dir}: ${code ?? 'error'}${syscall ? ` (${syscall} of a session file)` : ''}. Check that it exists and is writable.`);
  }
}

/**
 * An empty session file (Django creates one before its first write, and it can stay empty):
 * Django's `load()` reads it as `{}` without an expiry check, so neither a request nor
 * `clearsessions` ever expires it, and there is no signature to verify.
 */
function emptySession(): DecodeOutcome {
  return { ok: true, session: { data: new PyDict(), signature: 'unverified', format: 'signed', compressed: false } };
}

/**
 * A session whose file this user may not read: shown as undecodable, with why, and never taken
 * for expired, since its expiry is inside. Django's clearsessions skips it too (load() catches
 * the OSError), and a Django running as this user starts an empty session in its place.
 */
function unreadableSession(sessionKey: string, stat: fsNow.Stats, code: string): FileRecord {
  const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
  return {
    key: sessionKey,
    raw: '',
    decoded: { ok: false, code: 'unreadable-file', message: `its file may not be read by this user (${code}: owner uid ${stat.uid}, mode ${mode}); run as its owner to read it` },
    expired: false,
  };
}

/** A session file's text, read synchronously: between it and the rename or unlink it guards, nothing else of ours runs. */
function readTextNow(file: string): string | undefined {
  try {
    return fileTextNow(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw err;
  }
}

/**
 * Deletes a session file only if it still holds `expectedRaw`, and never a save Django makes
 * meanwhile: the file is renamed aside first, so a save landing after that makes a new file
 * instead of being deleted with the old one; then what was renamed aside is compared, and put back
 * when Django had saved just before (unless a later save of Django's is there already).
 */
function deleteIfUnchanged(file: string, expectedRaw: string): boolean {
  if (readTextNow(file) !== expectedRaw) {
    return false;
  }
  const aside = `${file}_out_${randomBytes(6).toString('hex')}`;
  fsNow.renameSync(file, aside);
  try {
    if (readTextNow(aside) === expectedRaw) {
      return true;
    }
    putBack(aside, file);
    return false;
  } finally {
    fsNow.rmSync(aside, { force: true });
  }
}

/** Puts a session file renamed aside back in place, unless a newer save already took its place. */
function putBack(aside: string, file: string): void {
  try {
    fsNow.linkSync(aside, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      return;
    }
    // Where hard links are refused (fs.protected_hardlinks, some file systems): a rename could replace only a save made since the link failed.
    fsNow.renameSync(aside, file);
  }
}

/**
 * Gives the copy the owner and group of the session file it replaces, or refuses where they
 * cannot be kept. The mode stays 0600, as Django's own writes leave every session file.
 */
async function keepOwner(handle: fs.FileHandle, file: string): Promise<void> {
  const original = await fs.lstat(file).catch(() => undefined);
  if (original && !keepFileOwner(handle.fd, original)) {
    throw new StoreError('write-refused', `A session file belongs to user ${original.uid} and group ${original.gid}, and this change could not keep them, so Django could no longer read it. Nothing was written; run as the owner of the session directory's files.`);
  }
}
