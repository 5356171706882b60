import * as fs from 'node:fs';
import type { Database, SqlValue } from 'sql.js';
import type { SqlDriver, SqlParam, SqlRow } from '../sql/sqlDriver';
import { keepFileOwner } from '../fileOwner';
import { StoreError } from '../storeError';
import { companions, currentStamp, hasHotJournal, readSnapshot, sameStamp, type FileStamp } from './sqliteFileState';
import { TRUST_UNSEEN_VARIABLE, type OpenElsewhere } from './openByOthers';
import { isSqliteConstraintViolation, isSqliteUniqueViolation, missingSqliteTable } from './sqliteErrors';
import { replacementCopyPath, sweepAbandonedCopies } from './replacementCopy';
import { whileSignalsHeld } from './signalsHeld';
import { loadSqlJs } from './sqlJsRuntime';

/**
 * SQLite through sql.js, for runtimes without `node:sqlite`. It works on a consistent in-memory
 * snapshot. It cannot take SQLite's locks, so it writes only when no other writer can be hurt:
 * no WAL, no hot journal, no other process known to hold the file open, and the file exactly as
 * the statement saw it (size and change counter). The new file is written beside the old one and
 * renamed over it, so a reader never sees half of it.
 */
export class SqlJsDriver implements SqlDriver {
  readonly vendor = 'sqlite';
  /** One statement and one file write: batching would rewrite the whole file per batch. */
  readonly deleteBatch = 2_000_000_000;

  private walStamp: string;

  private constructor(
    private readonly file: string,
    private db: Database,
    private stamp: FileStamp,
    private walFormat: boolean,
    private readonly openElsewhere: (file: string) => OpenElsewhere,
  ) {
    this.walStamp = walStampOf(file);
  }

  /**
   * `openElsewhere` tells whether another process holds the file open (see openElsewhereCheck).
   * A symlink is resolved once, here: SQLite keeps the WAL and journal next to the real file, and
   * the copy must replace the real file, not the link. Copies left by a killed write go first.
   */
  static async open(name: string, openElsewhere: (file: string) => OpenElsewhere): Promise<SqlJsDriver> {
    const file = fs.realpathSync(name);
    sweepAbandonedCopies(file);
    const snapshot = await readSnapshot(file);
    const SQL = await loadSqlJs();
    const db = new SQL.Database(snapshot.bytes);
    try {
      db.exec('SELECT 1 FROM sqlite_master LIMIT 1');
    } catch (err) {
      db.close();
      throw new StoreError('connection', `${file} is not a readable SQLite database: ${(err as Error).message}.`);
    }
    return new SqlJsDriver(file, db, snapshot.stamp, snapshot.walFormat, openElsewhere);
  }

  /** Reads from a fresh snapshot whenever the file (or its WAL) changed, so the view never goes stale. */
  async all(sql: string, params: readonly SqlParam[]): Promise<SqlRow[]> {
    if (!this.current()) {
      await this.reload();
    }
    return this.query(sql, params);
  }

  private query(sql: string, params: readonly SqlParam[]): SqlRow[] {
    let stmt: ReturnType<Database['prepare']>;
    try {
      stmt = this.db.prepare(sql);
    } catch (err) {
      throw missingSqliteTable(err, this.file);
    }
    try {
      stmt.bind(params as SqlValue[]);
      const rows: SqlRow[] = [];
      while (stmt.step()) {
        rows.push(stmt.getAsObject());
      }
      return rows;
    } finally {
      stmt.free();
    }
  }

  /**
   * Runs one write on the latest committed state: a snapshot another process has since changed
   * is read again first. Each write is compare-and-swap on what it changes, so a fresh snapshot
   * is all it needs; only a change that lands while it runs refuses it (see writeBack).
   */
  async run(sql: string, params: readonly SqlParam[]): Promise<number> {
    this.checkWritable();
    if (!this.current()) {
      await this.reload();
    }
    try {
      this.db.run(sql, params as SqlValue[]);
    } catch (err) {
      throw missingSqliteTable(err, this.file);
    }
    const changed = this.db.getRowsModified();
    // A statement that changed nothing (a compare-and-swap that lost) leaves the file alone.
    if (changed > 0) {
      await this.writeBack();
    }
    return changed;
  }

  isUniqueViolation(err: unknown): boolean {
    return isSqliteUniqueViolation(err);
  }

  isConstraintViolation(err: unknown): boolean {
    return isSqliteConstraintViolation(err);
  }

  /** SQLite has no users: a file it may not write fails as it opens (see openSqliteStore). */
  isPermissionDenied(): boolean {
    return false;
  }

  /** A write here changes a copy in memory; writing the file back explains its own failures (see writeBack). */
  writeRefusal(): undefined {
    return undefined;
  }

  async hasTable(table: string): Promise<boolean> {
    return (await this.all(`SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?`, [table])).length > 0;
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** Whether the snapshot is the file as it is now (main file and WAL). */
  private current(): boolean {
    return sameStamp(currentStamp(this.file), this.stamp) && walStampOf(this.file) === this.walStamp;
  }

  /** Why replacing the file now could lose another process's writes, if it could. */
  private refusal(): string | undefined {
    const journal = this.journalRefusal();
    if (journal) {
      return journal;
    }
    const others = this.openElsewhere(this.file);
    if (others.state === 'open') {
      return `${this.file} is open in another process (a running Django keeps its connection), and replacing the file under it would lose that process's later writes. Nothing was written. Use VS Code ≥ 1.101 or Node ≥ 22.5 for live writes, or stop that process and retry.`;
    }
    if (others.state === 'unknown') {
      return `Cannot tell whether another process (such as a Django running as another user) has ${this.file} open: ${others.reason}. Replacing the file under such a process would lose its later writes, so nothing was written. Use VS Code ≥ 1.101 or Node ≥ 22.5 for live writes through SQLite's locks, or stop every process using the file and retry; if you are sure no process has it open, set ${TRUST_UNSEEN_VARIABLE}=1.`;
    }
    return undefined;
  }

  /** The refusals that the file's companions show: a live WAL or a hot rollback journal. */
  private journalRefusal(): string | undefined {
    if (fs.existsSync(companions(this.file).wal)) {
      return this.walRefusal();
    }
    if (hasHotJournal(this.file)) {
      return `${this.file} has a rollback journal in use (another process is writing, or crashed mid-write). Nothing was written; retry in a moment.`;
    }
    return undefined;
  }

  /**
   * A -wal file lives as long as a connection does, so stopping Django removes it; one that a
   * killed or crashed Django left stays until SQLite opens the file again, which no retry does.
   */
  private walRefusal(): string {
    if (this.openElsewhere(this.file).state === 'not-open') {
      return `${this.file} has a WAL (-wal file) that no running process has open, left by a Django that was killed or crashed, and without node:sqlite this tool cannot apply it. Nothing was written. Checkpoint it once with: sqlite3 ${shellWord(this.file)} "PRAGMA wal_checkpoint(TRUNCATE);" (or run any query in python manage.py dbshell), then retry; or use VS Code ≥ 1.101 or Node ≥ 22.5.`;
    }
    return `${this.file} is open in WAL mode (a -wal file exists), and without node:sqlite this tool cannot take SQLite's locks. Nothing was written. Use VS Code ≥ 1.101 or Node ≥ 22.5, or stop Django and retry.`;
  }

  /** Throws the refusal given, or the one for a file that changed since the snapshot this write ran on. */
  private refuseIfChanged(why: string | undefined): void {
    const reason = why ?? (sameStamp(currentStamp(this.file), this.stamp) ? undefined : `${this.file} changed while this write ran (another process wrote to it), and writing this copy back would undo that. Nothing was written; retry.`);
    if (reason) {
      throw new StoreError('write-refused', reason);
    }
  }

  /**
   * Refuses up front only what the companions show: the /proc scan is slow and runs in
   * writeBack, before the copy is written and again right before the file is replaced, the
   * moment it guards. A statement that changes nothing writes nothing, so it needs no scan at all.
   */
  private checkWritable(): void {
    const why = this.journalRefusal();
    if (why) {
      throw new StoreError('write-refused', why);
    }
  }

  private async writeBack(): Promise<void> {
    const bytes = this.db.export();
    if (this.walFormat) {
      bytes[18] = 2;
      bytes[19] = 2;
    }
    // A commit bumps the change counter, and "version-valid-for" must match it for SQLite to trust
    // the header's page count; other snapshot readers detect our write by it, as we detect theirs.
    const header = Buffer.from(bytes.buffer, bytes.byteOffset, 100);
    const counter = (this.stamp.changeCounter + 1) >>> 0;
    header.writeUInt32BE(counter, 24);
    header.writeUInt32BE(counter, 92);
    try {
      this.refuseIfChanged(this.refusal());
      const original = fs.statSync(this.file);
      await whileSignalsHeld(() => this.replaceWith(bytes, original));
    } catch (err) {
      // The copy in memory holds a change the file does not: start again from the file.
      await this.reload();
      if (err instanceof StoreError) {
        throw err;
      }
      throw new StoreError('connection', `Could not write ${this.file} (${(err as Error).message}); nothing was changed.`);
    }
    const written = currentStamp(this.file);
    if (!written) {
      throw new StoreError('connection', `${this.file} disappeared right after it was written; check what else manages this file.`);
    }
    this.stamp = written;
  }

  /**
   * Writes the copy beside the file and renames it over the file, or removes it. Synchronous from
   * the copy's creation to its end, so that with signals held (see writeBack) a Ctrl-C cannot
   * leave it behind.
   */
  private replaceWith(bytes: Uint8Array, original: fs.Stats): void {
    const tmp = replacementCopyPath(this.file);
    try {
      const fd = fs.openSync(tmp, 'wx', 0o600);
      try {
        keepOwnerAndMode(fd, original, this.file);
        fs.writeSync(fd, bytes);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      // Writing and syncing a large copy takes a while: a request that opened the file meanwhile
      // would write to the replaced file, and a commit would be lost by the rename, so both
      // checks run again right before it.
      this.refuseIfChanged(this.refusal());
      fs.renameSync(tmp, this.file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
  }

  /** Starts again from the file: after a refused write the copy is ahead of it, after another writer it is behind. */
  private async reload(): Promise<void> {
    const snapshot = await readSnapshot(this.file);
    const SQL = await loadSqlJs();
    this.db.close();
    this.db = new SQL.Database(snapshot.bytes);
    this.stamp = snapshot.stamp;
    this.walFormat = snapshot.walFormat;
    this.walStamp = walStampOf(this.file);
  }
}

/** Size and modification time of the -wal file ('' when there is none): Django's commits land there first. */
function walStampOf(file: string): string {
  try {
    const st = fs.statSync(companions(file).wal, { bigint: true });
    return `${st.size}:${st.mtimeNs}`;
  } catch {
    return '';
  }
}

/** A path as one word for a POSIX shell, quoted only where it needs to be. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Gives the copy that replaces the database the original's mode bits, exactly (the umask would
 * drop a group's write bit), and its owner and group: a Django writing as another user or
 * through the group must still be able to write after the rename. Refuses where the owner cannot
 * be kept (not root, and the file another user's).
 */
function keepOwnerAndMode(fd: number, original: fs.Stats, file: string): void {
  fs.fchmodSync(fd, original.mode & 0o7777);
  if (!keepFileOwner(fd, original)) {
    throw new StoreError(
      'write-refused',
      `${file} belongs to user ${original.uid} and group ${original.gid}, and the copy this tool writes without node:sqlite could not keep them, so Django could no longer write to it. Nothing was written. Run as the file's owner, or use VS Code ≥ 1.101 or Node ≥ 22.5 for writes in place.`,
    );
  }
}
