/** SQLite's UNIQUE or PRIMARY KEY failure, by message (sql.js and node:sqlite both report it as text). */
export function isSqliteUniqueViolation(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed|PRIMARY KEY/i.test(err.message);
}

/** SQLite's other constraint failures: NOT NULL, CHECK, FOREIGN KEY. */
export function isSqliteConstraintViolation(err: unknown): boolean {
  return err instanceof Error && /constraint failed/i.test(err.message) && !isSqliteUniqueViolation(err);
}
