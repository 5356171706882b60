import type { ClearExpiredOptions } from '../sessionStore';
import { StoreError } from '../storeError';
import { nextBatchSize } from './batchSizing';
import { nextEventLoopTurn } from './eventLoopTurn';
import type { SqlDriver, SqlParam } from './sqlDriver';

const MAX_DELETE_BATCH = 500_000;
/**
 * Batches in a row that delete nothing while the probe still sees expired rows: the database
 * keeps them (a trigger, a rule, row security), and batching on would never end. More than one,
 * since a concurrent writer can empty one batch.
 */
const MAX_STALLED_BATCHES = 3;

/**
 * Deletes `expire_date < now` rows in batches picked through the expire_date index, until a batch
 * comes back short and a probe finds no expired row left; each batch is one statement, so Django
 * never waits on a long lock. Returns the total deleted. As the sweep after an earlier pass
 * (`after`: the rows that pass deleted), it counts on from there and reports only batches that
 * delete something, so its usual empty check does not report the same total twice. Each batch
 * starts on a new event-loop turn, so a cancellation (Ctrl-C) is seen even when the driver's
 * statements are synchronous, and a batch the server is running is stopped where the driver can.
 * A short batch confirmed by the probe is the end of the work, whenever the signal aborts:
 * sql.js does it all in one statement.
 */
export async function deleteExpiredInBatches(driver: SqlDriver, table: string, now: SqlParam, options: ClearExpiredOptions, after?: number): Promise<number> {
  const sql =
    driver.vendor === 'mysql'
      ? `DELETE FROM ${table} WHERE expire_date < ? LIMIT ?`
      : driver.vendor === 'postgresql'
        ? `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE expire_date < ? LIMIT ?))`
        : `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE expire_date < ? LIMIT ?)`;
  // PostgreSQL under READ COMMITTED skips selected rows that another transaction changed or
  // deleted meanwhile, so a short batch alone does not prove that nothing expired is left.
  const anyLeft = `SELECT 1 AS x FROM ${table} WHERE expire_date < ? LIMIT 1`;
  const budget = driver.deleteBatchMs;
  let batch = driver.deleteBatch;
  let total = after ?? 0;
  let stalled = 0;
  for (;;) {
    await nextEventLoopTurn();
    if (options.signal?.aborted) {
      break;
    }
    const started = performance.now();
    let n: number;
    try {
      n = await driver.run(sql, [now, batch], options.signal);
    } catch (err) {
      // A batch that waited on a lock when Ctrl-C came was stopped and deleted nothing.
      if (err instanceof StoreError && err.code === 'cancelled') {
        break;
      }
      throw err;
    }
    total += n;
    if (n > 0 || after === undefined) {
      options.onProgress?.(total);
    }
    if (n < batch) {
      if ((await driver.all(anyLeft, [now])).length === 0) {
        options.onFinished?.();
        break;
      }
      stalled = n === 0 ? stalled + 1 : 0;
      if (stalled >= MAX_STALLED_BATCHES) {
        throw new StoreError('write-refused', `Expired sessions are left that the database does not delete (a trigger, a rule or a permission on ${table} keeps them); ${total} were deleted.`);
      }
    }
    if (budget) {
      batch = nextBatchSize(batch, performance.now() - started, budget, driver.deleteBatch / 5, MAX_DELETE_BATCH);
    }
  }
  return total;
}
