import { StoreError } from '../storeError';

/**
 * Why the database refused a write for a reason outside the statement and the user's privileges:
 * another transaction's row lock or another process's file lock (waited for as long as `waited`
 * says), a server or file that takes no writes (`cause` and `fix` name which), a full disk.
 * Each driver tells them apart by its own error codes.
 */
export type WriteRefusal =
  | { kind: 'lock-timeout'; waited: string }
  | { kind: 'locked'; waited: string }
  | { kind: 'deadlock' }
  | { kind: 'read-only'; cause: string; fix: string }
  | { kind: 'disk-full' };

/** A PostgreSQL or MySQL server, or a connection, that takes no writes. */
export const READ_ONLY_SERVER: Pick<Extract<WriteRefusal, { kind: 'read-only' }>, 'cause' | 'fix'> = {
  cause: 'The database is read-only for this connection (a replica?)',
  fix: 'Point the store at the primary server, or drop the read-only setting (default_transaction_read_only, read_only) from the connection or server',
};

/**
 * A refused write as a one-line StoreError naming the cause and the fix. A failed statement
 * changes nothing, so a single change says "nothing was changed"; a bulk deletion (`single`
 * false) leaves that to its caller, which reports what its earlier statements deleted.
 */
export function writeRefusalError(refusal: WriteRefusal, err: unknown, single: boolean): StoreError {
  const detail = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
  const unchanged = single ? '; nothing was changed' : '';
  switch (refusal.kind) {
    case 'lock-timeout':
      return new StoreError('busy', `Another transaction held the row for ${refusal.waited} (${detail})${unchanged}; retry once it has ended.`);
    case 'locked':
      return new StoreError('busy', `The database stayed locked by another process for ${refusal.waited}${unchanged}. Retry.`);
    case 'deadlock':
      return new StoreError('busy', `The database ended a deadlock with another transaction by cancelling this write (${detail})${unchanged}; retry.`);
    case 'read-only':
      return new StoreError('write-refused', `${refusal.cause} (${detail})${unchanged}. ${refusal.fix}.`);
    case 'disk-full':
      return new StoreError('write-refused', `The disk holding the database is full (${detail})${unchanged}. Free space on it and retry.`);
  }
}
