import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { openStore, parseStoreUrl, type SessionStore } from '../../engine/src';
import { pgAdmin, POSTGRES, requireService, runTag } from './localServices';
import { pgSessionDatabase } from './pgSessionDatabase';

const SECRET = 'stores-pg-short-batch-secret-key-0123456789-abcdefghij';
const EXPIRED = ['expired00000000000000000000000001', 'expired00000000000000000000000002', 'expired00000000000000000000000003'];

/** Waits until a DELETE in `database` waits on a row lock. */
async function deleteWaitingOnLock(admin: Client, database: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { rows } = await admin.query("SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE 'DELETE%'", [database]);
    if (rows.length > 0) {
      return;
    }
    await sleep(20);
  }
  throw new Error('the batch DELETE never waited on the locked row');
}

describe('clearExpired on PostgreSQL: a batch cut short by a concurrent update is not the end', function () {
  this.timeout(60_000);
  const name = runTag();
  let store: SessionStore;
  let db: Client;

  before(async function () {
    await requireService(this, POSTGRES);
    db = await pgSessionDatabase(name);
    for (const key of EXPIRED) {
      await db.query("INSERT INTO django_session VALUES ($1, 'x', now() - interval '1 day')", [key]);
    }
    await db.query("INSERT INTO django_session VALUES ('active000000000000000000000000001', 'x', now() + interval '1 day')");
    store = await openStore(parseStoreUrl(`postgres://root@127.0.0.1:5432/${name}`, '/', { secretKeys: [SECRET], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }));
  });

  after(async () => {
    await store?.close();
    await db?.end();
    await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  it('deletes an expired row that another transaction updated while the batch waited on it', async () => {
    // READ COMMITTED: the DELETE waits for the update, then skips the row's new version (a new ctid).
    await db.query('BEGIN');
    await db.query("UPDATE django_session SET session_data = 'changed' WHERE session_key = $1", [EXPIRED[1]]);
    let finished = false;
    const clearing = store.clearExpired({ onFinished: () => (finished = true) });
    await pgAdmin((admin) => deleteWaitingOnLock(admin, name));
    await db.query('COMMIT');
    assert.equal(await clearing, EXPIRED.length);
    assert.equal(finished, true);
    const { rows } = await db.query('SELECT session_key FROM django_session');
    assert.deepEqual(rows, [{ session_key: 'active000000000000000000000000001' }]);
  });
});
