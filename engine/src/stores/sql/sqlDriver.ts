import type { WriteRefusal } from './writeRefusal';

/** A value bound to a SQL placeholder; SQL text never contains data. */
export type SqlParam = string | number | null;

/** One result row, by column alias. */
export type SqlRow = Record<string, unknown>;

/** Runs parameterized SQL written with `?` placeholders (drivers translate them where needed). */
interface SqlExecutor {
  all(sql: string, params: readonly SqlParam[]): Promise<SqlRow[]>;
  /**
   * Returns the number of rows changed. Where the driver can stop a statement the server is
   * running, `signal` aborting stops it at once: it fails with StoreError('cancelled') and changed nothing.
   */
  run(sql: string, params: readonly SqlParam[], signal?: AbortSignal): Promise<number>;
}

/** The little a session store needs from a database client. */
export interface SqlDriver extends SqlExecutor {
  readonly vendor: 'sqlite' | 'postgresql' | 'mysql';
  /** Rows in the first `clearExpired` batch (SQLite with `deleteBatchMs`: rowids in its first range). */
  readonly deleteBatch: number;
  /**
   * When set, later batches grow or shrink so each holds the write lock well under this long:
   * SQLite locks the whole file, and Django gives up on a lock after 5 s by default.
   */
  readonly deleteBatchMs?: number;
  /** Runs a series of write batches with the memory they need, given back afterwards (node:sqlite's page cache). */
  bulkWrites?<T>(body: () => Promise<T>): Promise<T>;
  /**
   * The result of a parameterless `SELECT COUNT(*) AS n ...`, exact as of now; PostgreSQL reuses
   * an earlier result while the database provably has not changed since.
   */
  exactCount?(countSql: string): Promise<number>;
  isUniqueViolation(err: unknown): boolean;
  /** Any other integrity error: a NOT NULL, CHECK or FOREIGN KEY constraint refused the statement. */
  isConstraintViolation(err: unknown): boolean;
  /** The server refused the statement to this database user (a read-only or replica user). */
  isPermissionDenied(err: unknown): boolean;
  /** Why the database refused a write for no fault of the statement or the user (a lock, a read-only server, a full disk), if so. */
  writeRefusal(err: unknown): WriteRefusal | undefined;
  /** Whether the session table exists, to tell "no table" apart from other failures. */
  hasTable(table: string): Promise<boolean>;
  close(): Promise<void>;
}
