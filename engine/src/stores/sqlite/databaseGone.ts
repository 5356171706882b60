import { StoreError } from '../storeError';

/**
 * The error for a database file deleted or moved after the store opened it (`rm db.sqlite3`
 * before a fresh `migrate`): the store reads the file again as soon as one is back at the path.
 */
export function databaseGone(file: string): StoreError {
  return new StoreError('connection', `The SQLite database ${file} is gone: it was deleted or moved after it was opened. Run "python manage.py migrate" to create it again; its sessions are read as soon as it is back.`);
}
