/**
 * How long a statement of ours waits for a lock another connection holds before it gives up:
 * SQLite's busy timeout, and PostgreSQL's lock_timeout and MySQL's innodb_lock_wait_timeout on
 * our connections, so a change never hangs on a long transaction and a bulk deletion never
 * holds Django up behind a batch waiting on one.
 */
export const LOCK_WAIT_MS = 5000;
