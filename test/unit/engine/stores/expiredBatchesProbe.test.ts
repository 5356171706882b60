import * as assert from 'node:assert/strict';
import { parseStoreUrl } from '../../../../engine/src';
import type { SqlDriver, SqlParam, SqlRow } from '../../../../engine/src/stores/sql/sqlDriver';
import { ForwardingSqlDriver } from './forwardingSqlDriver';
import { SqlSessionStore } from '../../../../engine/src/stores/sql/sqlSessionStore';
import { openElsewhereCheck } from '../../../../engine/src/stores/sqlite/openByOthers';
import { SqlJsDriver } from '../../../../engine/src/stores/sqlite/sqlJsDriver';
import { sqliteFromFixture } from './sqliteFixture';
import { TRUSTING_ENV } from './sqlJsTrust';

const LATE_ROW = "INSERT INTO django_session (session_key, session_data, expire_date) VALUES ('late0000000000000000000000000000', 'x', '2001-01-01 00:00:00')";

/**
 * A real SQLite driver that logs the statements `clearExpired` runs and, with `leaveBehind`, has
 * an expired row turn up just after the first batch: what PostgreSQL leaves when a concurrent
 * write made it skip rows of a batch, which then comes back short though expired rows remain.
 */
class LeavingDriver extends ForwardingSqlDriver {
  readonly log: string[] = [];
  private deletes = 0;

  constructor(
    real: SqlDriver,
    private readonly leaveBehind: boolean,
  ) {
    super(real);
  }

  override all(sql: string, params: readonly SqlParam[]): Promise<SqlRow[]> {
    this.log.push(sql);
    return this.real.all(sql, params);
  }
  override async run(sql: string, params: readonly SqlParam[]): Promise<number> {
    this.log.push(sql);
    const n = await this.real.run(sql, params);
    if (sql.startsWith('DELETE') && this.deletes++ === 0 && this.leaveBehind) {
      await this.real.run(LATE_ROW, []);
    }
    return n;
  }

  /** What the deletion ran since the log was last cleared, as DELETE (a batch) and PROBE (the check for rows left). */
  steps(): string[] {
    return this.log.map((sql) => (sql.startsWith('DELETE') ? 'DELETE' : /^SELECT 1 AS x .* WHERE expire_date < \? LIMIT 1$/.test(sql) ? 'PROBE' : sql));
  }
}

async function open(leaveBehind: boolean): Promise<{ store: SqlSessionStore; driver: LeavingDriver; expired: number }> {
  const file = await sqliteFromFixture('sessions.sql');
  const descriptor = parseStoreUrl(`sqlite://${file}`, '/', { secretKeys: ['k'.repeat(50)], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 });
  const driver = new LeavingDriver(await SqlJsDriver.open(file, openElsewhereCheck(TRUSTING_ENV)), leaveBehind);
  const store = await SqlSessionStore.open(descriptor, driver, file);
  const expired = await store.count({ state: 'expired' });
  assert.ok(expired > 0);
  driver.log.length = 0;
  return { store, driver, expired };
}

describe('clearExpired batches: a short batch is the end only when no expired row is left', () => {
  it('checks with one probe after a short batch, and finishes when nothing expired is left', async () => {
    const { store, driver, expired } = await open(false);
    try {
      let finished = 0;
      assert.equal(await store.clearExpired({ onFinished: () => finished++ }), expired);
      assert.deepEqual(driver.steps(), ['DELETE', 'PROBE']);
      assert.equal(finished, 1);
    } finally {
      await store.close();
    }
  });

  it('goes on batching when the probe finds an expired row a short batch left behind, and deletes it', async () => {
    const { store, driver, expired } = await open(true);
    try {
      let finished = 0;
      const progress: number[] = [];
      assert.equal(await store.clearExpired({ onProgress: (n) => progress.push(n), onFinished: () => finished++ }), expired + 1);
      assert.deepEqual(driver.steps(), ['DELETE', 'PROBE', 'DELETE', 'PROBE']);
      assert.deepEqual(progress, [expired, expired + 1]);
      assert.equal(finished, 1);
      assert.equal(await store.count({ state: 'expired' }), 0);
    } finally {
      await store.close();
    }
  });

  it('stops without calling it finished when cancelled after a short batch that left an expired row', async () => {
    const { store, driver, expired } = await open(true);
    try {
      const cancel = new AbortController();
      let finished = false;
      const deleted = await store.clearExpired({ signal: cancel.signal, onProgress: () => cancel.abort(), onFinished: () => (finished = true) });
      assert.equal(deleted, expired);
      assert.deepEqual(driver.steps(), ['DELETE', 'PROBE']);
      assert.equal(finished, false, 'a caller must report it cancelled');
      assert.equal(await store.count({ state: 'expired' }), 1);
    } finally {
      await store.close();
    }
  });

  it('gives up with an error, instead of batching forever, when the database keeps expired rows it is asked to delete', async () => {
    const { store, driver, expired } = await open(false);
    try {
      // A trigger that silently keeps every row, as a rule or row security can on other databases.
      await driver.run('CREATE TRIGGER keep BEFORE DELETE ON django_session BEGIN SELECT RAISE(IGNORE); END', []);
      driver.log.length = 0;
      let finished = false;
      await assert.rejects(store.clearExpired({ onFinished: () => (finished = true) }), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'write-refused');
        assert.match(err.message, /Expired sessions are left that the database does not delete \(a trigger, a rule or a permission on "django_session" keeps them\); 0 were deleted\./);
        return true;
      });
      assert.deepEqual(driver.steps(), ['DELETE', 'PROBE', 'DELETE', 'PROBE', 'DELETE', 'PROBE']);
      assert.equal(finished, false);
      assert.equal(await store.count({ state: 'expired' }), expired);
    } finally {
      await store.close();
    }
  });
});
