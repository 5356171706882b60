import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database, SqlValue } from 'sql.js';
import type { SqlDriver, SqlExecutor, SqlParam, SqlRow } from '../sql/sqlDriver';
import { StoreError } from '../storeError';
import { companions, currentStamp, hasHotJournal, readSnapshot, sameStamp, type FileStamp } from './sqliteFileState';
import { openByOtherProcess } from './openByOthers';
import { loadSqlJs } from './sqlJsRuntime';

/**
 * SQLite through sql.js, for runtimes without `node:sqlite`. It works on a consistent in-memory
 * snapshot. It cannot take SQLite's locks, so it writes only when no other writer can be hurt:
 * no WAL, no hot journal, and the file exactly as it was read (size and change counter). The new
 * file is written beside the old one and renamed over it, so a reader never sees half of it.
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
  ) {
    this.walStamp = walStampOf(file);
  }

  static async open(file: string): Promise<SqlJsDriver> {
    const snapshot = await readSnapshot(file);
    const SQL = await loadSqlJs();
    const db = new SQL.Database(snapshot.bytes);
    try {
      db.exec('SELECT 1 FROM sqlite_master LIMIT 1');
    } catch (err) {
      db.close();
      throw new StoreError('connection', `${file} is not a readable SQLite database: ${(err as Error).message}.`);
    }
    return new SqlJsDriver(file, db, snapshot.stamp, snapshot.walFormat);
  }

  /** Reads from a fresh snapshot whenever the file (or its WAL) changed, so the view never goes stale. */
  async all(sql: string, params: readonly SqlParam[]): Promise<SqlRow[]> {
    if (!sameStamp(currentStamp(this.file), this.stamp) || walStampOf(this.file) !== this.walStamp) {
      await this.reload();
    }
    return this.query(sql, params);
  }

  private query(sql: string, params: readonly SqlParam[]): SqlRow[] {
    const stmt = this.db.prepare(sql);
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

  async run(sql: string, params: readonly SqlParam[]): Promise<number> {
    return this.transaction((tx) => tx.run(sql, params));
  }

  async transaction<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.checkWritable();
    const tx: SqlExecutor = {
      all: async (sql, params) => this.query(sql, params),
      run: async (sql, params) => {
        this.db.run(sql, params as SqlValue[]);
        return this.db.getRowsModified();
      },
    };
    this.db.exec('BEGIN');
    let result: T;
    try {
      result = await body(tx);
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
    this.db.exec('COMMIT');
    await this.writeBack();
    return result;
  }

  isUniqueViolation(err: unknown): boolean {
    return err instanceof Error && /UNIQUE constraint failed/i.test(err.message);
  }

  async hasTable(table: string): Promise<boolean> {
    return (await this.all(`SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?`, [table])).length > 0;
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** Why writing the file now could lose someone else's write, if it could. */
  private refusal(): string | undefined {
    if (fs.existsSync(companions(this.file).wal)) {
      return `${this.file} is open in WAL mode (a -wal file exists), and without node:sqlite this tool cannot take SQLite's locks. Nothing was written. Use VS Code ≥ 1.101 or Node ≥ 22.5, or stop Django and retry.`;
    }
    if (hasHotJournal(this.file)) {
      return `${this.file} has a rollback journal in use (another process is writing, or crashed mid-write). Nothing was written; retry in a moment.`;
    }
    if (openByOtherProcess(this.file)) {
      return `${this.file} is open in another process (a running Django keeps its connection), and replacing the file under it would lose that process's later writes. Nothing was written. Use VS Code ≥ 1.101 or Node ≥ 22.5 for live writes, or stop that process and retry.`;
    }
    if (!sameStamp(currentStamp(this.file), this.stamp)) {
      return `${this.file} changed since it was read (Django wrote to it), and writing the snapshot back would undo that. Nothing was written; refresh and retry.`;
    }
    return undefined;
  }

  private checkWritable(): void {
    const why = this.refusal();
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
    const why = this.refusal();
    if (why) {
      await this.reload();
      throw new StoreError('write-refused', why);
    }
    const tmp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.djs-${process.pid}-${Date.now()}`);
    const mode = fs.statSync(this.file).mode & 0o7777;
    const fd = fs.openSync(tmp, 'wx', mode);
    try {
      fs.writeSync(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    try {
      fs.renameSync(tmp, this.file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
    const written = currentStamp(this.file);
    if (!written) {
      throw new StoreError('connection', `${this.file} disappeared right after it was written; check what else manages this file.`);
    }
    this.stamp = written;
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
