import { nextBatchSize } from '../sql/batchSizing';
import type { SqlDriver, SqlParam } from '../sql/sqlDriver';
import { nextEventLoopTurn } from '../sql/eventLoopTurn';
import { deleteExpiredInBatches } from '../sql/expiredBatches';
import type { ClearExpiredOptions } from '../sessionStore';

const SAFE = Number.MAX_SAFE_INTEGER;

/**
 * `clearsessions` on a live SQLite file in short write transactions, each over one rowid range.
 * Expired rows are scattered through the table, so batches picked through the expire_date index
 * each rewrite (and journal) most of the table's pages; consecutive rowid ranges rewrite each
 * table page once in all. Ranges are sized by time to hold the write lock well under
 * `budgetMs`. A final index-driven sweep deletes what the ranges could not see (rows
 * written above the last range meanwhile), so the result is what one `DELETE` at `now` leaves.
 */
export async function clearExpiredByRowidRanges(driver: SqlDriver, budgetMs: number, table: string, now: SqlParam, options: ClearExpiredOptions): Promise<number> {
  const [bounds] = await driver.all(
    // JavaScript numbers hold rowids exactly only up to 2^53; beyond that, only the sweep runs.
    `SELECT CASE WHEN lo >= ${-SAFE} AND hi <= ${SAFE} THEN lo END AS lo, CASE WHEN lo >= ${-SAFE} AND hi <= ${SAFE} THEN hi END AS hi FROM (SELECT (SELECT min(rowid) FROM ${table}) AS lo, (SELECT max(rowid) FROM ${table}) AS hi)`,
    [],
  );
  let total = 0;
  if (typeof bounds?.lo === 'number' && typeof bounds.hi === 'number') {
    // NOT INDEXED: the range, not the expire_date index, must pick the rows, or the pages scatter again.
    const sql = `DELETE FROM ${table} NOT INDEXED WHERE rowid >= ? AND rowid < ? AND expire_date < ?`;
    let span = driver.deleteBatch;
    for (let from = bounds.lo; from <= bounds.hi; ) {
      // node:sqlite runs each range synchronously: only a new turn lets a Ctrl-C handler abort.
      await nextEventLoopTurn();
      if (options.signal?.aborted) {
        break;
      }
      const to = Math.min(from + span, bounds.hi + 1);
      const started = performance.now();
      total += await driver.run(sql, [from, to, now]);
      options.onProgress?.(total);
      span = nextBatchSize(span, performance.now() - started, budgetMs, 1000, SAFE);
      from = to;
    }
  }
  return options.signal?.aborted ? total : deleteExpiredInBatches(driver, table, now, options, total);
}
