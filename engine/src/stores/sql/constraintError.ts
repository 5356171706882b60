import { StoreError } from '../storeError';

/**
 * A write the table itself refused (NOT NULL, CHECK or FOREIGN KEY), as a one-line StoreError.
 * A custom session model can add columns this tool cannot fill, and other tables can reference
 * a session; the database's own reason names the column or constraint.
 */
export function constraintStoreError(table: string, err: unknown): StoreError {
  const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
  return new StoreError(
    'constraint',
    `The ${table} table refused the write (${reason}); nothing was changed. Give the custom model's extra columns a default or allow NULL, or make this change through Django.`,
  );
}
