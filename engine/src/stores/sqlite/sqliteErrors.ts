import { StoreError } from '../storeError';

/** SQLite's UNIQUE or PRIMARY KEY failure, by message (sql.js and node:sqlite both report it as text). */
export function isSqliteUniqueViolation(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed|PRIMARY KEY/i.test(err.message);
}

/** SQLite's other constraint failures: NOT NULL, CHECK, FOREIGN KEY. */
export function isSqliteConstraintViolation(err: unknown): boolean {
  return err instanceof Error && /constraint failed/i.test(err.message) && !isSqliteUniqueViolation(err);
}

/**
 * A statement on a table the database does not have, as a 'missing-table' StoreError: a database
 * made anew (`rm db.sqlite3`, then `migrate`) has none until its migrations run, and the view
 * lists it again as soon as the file appears. Anything else is returned as it is.
 */
export function missingSqliteTable(err: unknown, file: string): unknown {
  const table = err instanceof Error ? /^no such table: (\S+)$/.exec(err.message)?.[1] : undefined;
  return table === undefined ? err : new StoreError('missing-table', `The SQLite database ${file} has no ${table} table (yet: a database just made has none until its migrations run). Run "python manage.py migrate" to create it.`);
}
