import type { SqlParam, SqlRow } from '../sql/sqlDriver';

type Query = (sql: string, params: SqlParam[]) => Promise<SqlRow[]>;

const SNAPSHOT = 'txid_current_snapshot()::text';

/**
 * Exact counts that are recomputed only when the database may have changed. Two statements
 * that run under the same MVCC snapshot (the same xmin, xmax and in-progress transactions)
 * see exactly the same rows: any write needs a transaction id, which moves xmax on when it is
 * assigned and leaves the in-progress list when it commits or aborts. So a count taken together
 * with its snapshot, in one statement, is still exact while `txid_current_snapshot()` returns
 * that snapshot, and asking for it costs a trivial statement where COUNT(*) scans a whole index.
 */
export class SnapshotCounts {
  private readonly known = new Map<string, { snapshot: string; n: number }>();
  private supported = true;

  /** The result of `countSql` (a parameterless `SELECT COUNT(*) AS n ...`), from `query`. */
  async count(query: Query, countSql: string): Promise<number> {
    if (!this.supported) {
      return Number((await query(countSql, []))[0]?.n ?? 0);
    }
    try {
      const previous = this.known.get(countSql);
      if (previous && String((await query(`SELECT ${SNAPSHOT} AS s`, []))[0]?.s) === previous.snapshot) {
        return previous.n;
      }
      const [row] = await query(`SELECT ${SNAPSHOT} AS s, c.n FROM (${countSql}) AS c`, []);
      const n = Number(row?.n ?? 0);
      this.known.set(countSql, { snapshot: String(row?.s), n });
      return n;
    } catch (err) {
      // PostgreSQL-compatible servers without the function (undefined_function) count every time.
      if ((err as { code?: string }).code !== '42883') {
        throw err;
      }
      this.supported = false;
      return this.count(query, countSql);
    }
  }
}
