import * as fs from 'node:fs';
import { StoreError } from '../storeError';
import { LOCK_WAIT_MS } from '../sql/lockWait';
import type { SqlDriver, SqlParam, SqlRow } from '../sql/sqlDriver';
import { type WriteRefusal, writeRefusalError } from '../sql/writeRefusal';
import { databaseGone } from './databaseGone';
import { sweepAbandonedCopies } from './replacementCopy';
import { isSqliteConstraintViolation, isSqliteUniqueViolation, missingSqliteTable } from './sqliteErrors';
import { walWithoutShm } from './walWithoutShm';

/** The slice of `node:sqlite` (Node ≥ 22.5) used here; typed locally because @types/node 20 lacks it. */
interface NodeSqliteStatement {
  all(...params: SqlParam[]): SqlRow[];
  run(...params: SqlParam[]): { changes: number | bigint };
}
interface NodeSqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): NodeSqliteStatement;
  close(): void;
}
interface NodeSqliteModule {
  DatabaseSync: new (path: string, options?: { open?: boolean; readOnly?: boolean }) => NodeSqliteDatabase;
}

const SQLITE_BUSY = 5;
const SQLITE_READONLY = 8;
const SQLITE_FULL = 13;

/** The write-lock budget of one bulk-delete batch, unless the opener asks for less. */
const DEFAULT_LOCK_BUDGET_MS = 2000;
/** Rowids in the first batch at the default budget; scaled down with a shorter budget. */
const FIRST_DELETE_BATCH = 50_000;

/** Page cache in KiB (SQLite's negative cache_size) for reads: pages are allocated only as needed. */
const CACHE_KIB = 65_536;
/** For bulk deletes: a batch's changed pages, which must not spill, plus the indexes' pages it revisits. */
const BULK_CACHE_KIB = 131_072;

let loaded: NodeSqliteModule | null | undefined;

/** `node:sqlite` when this runtime has it (VS Code ≥ 1.101, Node ≥ 22.5), else undefined. */
export function nodeSqlite(): NodeSqliteModule | undefined {
  if (loaded === undefined) {
    try {
      const emit = process.emitWarning;
      // node:sqlite announces itself as experimental on first load; that is noise for users.
      process.emitWarning = () => undefined;
      try {
        loaded = (process.getBuiltinModule?.('node:sqlite') as NodeSqliteModule | undefined) ?? null;
      } finally {
        process.emitWarning = emit;
      }
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/**
 * Live access through SQLite itself: its file locks, WAL and hot-journal recovery, so reads see
 * Django's latest commit and writes take the lock the way Django's own connection does. Every
 * statement is its own short transaction.
 */
export class NodeSqliteDriver implements SqlDriver {
  readonly vendor = 'sqlite';
  /**
   * Rowids in the first range `clearExpired` deletes from; later ranges are sized by time. Every
   * batch rewrites (and journals) most index pages, so batches are as large as the budget allows.
   */
  readonly deleteBatch: number;
  private readonly statements = new Map<string, NodeSqliteStatement>();
  /** The file the connection has open: SQLite goes on reading a deleted or replaced one. */
  private opened: fs.Stats;

  private constructor(
    private readonly file: string,
    private db: NodeSqliteDatabase,
    private readonly mod: NodeSqliteModule,
    readonly deleteBatchMs: number,
  ) {
    this.deleteBatch = Math.max(1000, Math.round((FIRST_DELETE_BATCH * deleteBatchMs) / DEFAULT_LOCK_BUDGET_MS));
    this.opened = fs.statSync(file);
  }

  /**
   * `lockBudgetMs` bounds how long one batch of a bulk delete holds the write lock. node:sqlite
   * runs each statement on the calling thread, so it also bounds how long that thread stops.
   */
  static open(file: string, mod: NodeSqliteModule, lockBudgetMs = DEFAULT_LOCK_BUDGET_MS): NodeSqliteDriver {
    // SQLite follows a symlink itself; resolving it here keeps both drivers on the same file.
    const real = fs.realpathSync(file);
    // A copy that a killed sql.js write (an older runtime) left is as large as the database.
    sweepAbandonedCopies(real);
    return new NodeSqliteDriver(real, connect(real, mod), mod, lockBudgetMs);
  }

  /**
   * The connection to the file now at the path. One deleted since it was opened would go on
   * listing sessions Django no longer has, and refuse every write as read-only; so a file
   * gone is said to be gone, and a new one (a fresh `migrate`) is opened in its place.
   */
  private connection(): NodeSqliteDatabase {
    const now = fs.statSync(this.file, { throwIfNoEntry: false });
    if (!now) {
      throw databaseGone(this.file);
    }
    if (now.ino !== this.opened.ino || now.dev !== this.opened.dev) {
      let fresh: NodeSqliteDatabase;
      try {
        fresh = connect(this.file, this.mod);
      } catch (err) {
        throw err instanceof StoreError ? err : new StoreError('connection', `${this.file} was replaced by a file that is not a readable SQLite database: ${(err as Error).message}.`);
      }
      this.statements.clear();
      this.db.close();
      this.db = fresh;
      this.opened = now;
    }
    return this.db;
  }

  async all(sql: string, params: readonly SqlParam[]): Promise<SqlRow[]> {
    return busyAsStoreError(() => this.statement(sql).all(...params));
  }

  /** A refused write (a lock held too long included) is left for the store to explain, as one change or part of a bulk one. */
  async run(sql: string, params: readonly SqlParam[]): Promise<number> {
    return Number(this.statement(sql).run(...params).changes);
  }

  /**
   * A dirty page that does not fit in the cache is spilled mid-transaction, which syncs the
   * journal first and may write the page again later; the bigger cache lasts only for `body`.
   */
  async bulkWrites<T>(body: () => Promise<T>): Promise<T> {
    this.connection().exec(`PRAGMA cache_size = -${BULK_CACHE_KIB}`);
    try {
      return await body();
    } finally {
      // On the connection in use now, which is another if the file was replaced meanwhile.
      this.db.exec(`PRAGMA cache_size = -${CACHE_KIB}`);
      this.db.exec('PRAGMA shrink_memory');
    }
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

  /** By SQLite's primary result code (the low byte of an extended one): SQLITE_BUSY, SQLITE_READONLY, SQLITE_FULL. */
  writeRefusal(err: unknown): WriteRefusal | undefined {
    const errcode = (err as { errcode?: unknown }).errcode;
    switch (typeof errcode === 'number' ? errcode & 0xff : undefined) {
      case SQLITE_BUSY:
        return { kind: 'locked', waited: `${LOCK_WAIT_MS / 1000} s` };
      case SQLITE_READONLY:
        return {
          kind: 'read-only',
          cause: `SQLite may not write ${this.file} as this user`,
          fix: "Give this user write access to the file and to its directory, where SQLite writes its journal, as Django's own user has",
        };
      case SQLITE_FULL:
        return { kind: 'disk-full' };
      default:
        return undefined;
    }
  }

  async hasTable(table: string): Promise<boolean> {
    return (await this.all(`SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?`, [table])).length > 0;
  }

  async close(): Promise<void> {
    this.statements.clear();
    this.db.close();
  }

  private statement(sql: string): NodeSqliteStatement {
    const db = this.connection();
    let stmt = this.statements.get(sql);
    if (!stmt) {
      try {
        stmt = db.prepare(sql);
      } catch (err) {
        throw missingSqliteTable(err, this.file);
      }
      this.statements.set(sql, stmt);
    }
    return stmt;
  }
}

/** A connection to `file` as the store uses it: a bounded wait for locks, a bounded page cache. */
function connect(file: string, mod: NodeSqliteModule): NodeSqliteDatabase {
  const db = new mod.DatabaseSync(file);
  try {
    db.exec(`PRAGMA busy_timeout = ${LOCK_WAIT_MS}`);
    db.exec(`PRAGMA cache_size = -${CACHE_KIB}`);
    // SQLite opens the file lazily: this first read is what meets a -shm file it cannot create.
    busyAsStoreError(() => db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').all());
  } catch (err) {
    db.close();
    const why = walWithoutShm(file);
    throw why ? new StoreError('connection', why) : err;
  }
  return db;
}

/** A read that met SQLITE_BUSY after the busy timeout (Django held its lock longer than we wait), said as a refused write is, by its code. */
function busyAsStoreError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const errcode = (err as { errcode?: unknown }).errcode;
    if (typeof errcode === 'number' && (errcode & 0xff) === SQLITE_BUSY) {
      throw writeRefusalError({ kind: 'locked', waited: `${LOCK_WAIT_MS / 1000} s` }, err, false);
    }
    throw err;
  }
}
