import * as assert from 'node:assert/strict';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import { cli } from './cliRun';
import { MARIADB, mysqlAdmin, pgAdmin, POSTGRES, requireService, runTag } from './localServices';
import { pgSessionDatabase } from './pgSessionDatabase';

const SECRET = 'stores-refused-writes-secret-key-0123456789-abcdef';
const ENV = { DJANGO_SECRET_KEY: SECRET };
/** Expired rows: two full batches of 10,000 and a last one that holds the locked row. */
const EXPIRED = 25_000;
const LAST_KEY = `k${String(EXPIRED).padStart(31, '0')}`;

/** What a command printed on stderr: one line, no stack trace, not reported as a bug. */
function oneLine(err: string): string {
  const lines = err.trim().split('\n');
  assert.equal(lines.length, 1, err);
  assert.doesNotMatch(err, /unexpected failure|This is a bug|\n\s+at /);
  return lines[0]!;
}

/** Django's django_session in a database of its own, with EXPIRED expired rows, the last inserted expiring last. */
async function pgSessions(name: string): Promise<Client> {
  const c = await pgSessionDatabase(name);
  await c.query(
    `INSERT INTO django_session SELECT 'k' || lpad(i::text, 31, '0'), 'e30:1:x', now() - interval '1 day' + i * interval '1 ms' FROM generate_series(1, ${EXPIRED}) AS i`,
  );
  return c;
}

/** Another session holding the row of `key`, as a long Django transaction (select_for_update) does. */
async function holdRow(database: string, key: string): Promise<Client> {
  const holder = new Client({ host: '127.0.0.1', user: 'root', database });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query('SELECT 1 FROM django_session WHERE session_key = $1 FOR UPDATE', [key]);
  return holder;
}

describe('interop: writes the database refuses for a lock, a read-only server or a full disk', function () {
  this.timeout(120_000);

  it('PostgreSQL: a lock timeout part way through clear-expired reports what was deleted before it, in text and --json', async function () {
    await requireService(this, POSTGRES);
    const name = runTag();
    const admin = await pgSessions(name);
    const holder = await holdRow(name, LAST_KEY);
    try {
      const url = `postgres://root@127.0.0.1:5432/${name}?options=-c%20lock_timeout%3D1000&use_tz=true&cookie_age=1209600`;
      const r = await cli(['--store', url, '--json', 'clear-expired'], ENV);
      assert.equal(r.code, 3, r.err);
      const message = 'Another transaction held the row for 1 s (canceling statement due to lock timeout); retry once it has ended.';
      assert.deepEqual(JSON.parse(r.out), { stores: [{ store: 'url:postgres', deleted: 20_000, error: message }] });
      assert.equal(oneLine(r.err), `django-sessions: ${message}`);
      const text = await cli(['--store', url, 'clear-expired'], ENV);
      assert.equal(text.code, 3, text.err);
      assert.equal(text.out.trim(), '0 expired sessions deleted before the error');
      const flush = await cli(['--store', url, 'flush', LAST_KEY], ENV);
      assert.equal(flush.code, 3, flush.err);
      assert.equal(oneLine(flush.err), 'django-sessions: Another transaction held the row for 1 s (canceling statement due to lock timeout); nothing was changed; retry once it has ended.');
      assert.equal((await admin.query('SELECT count(*)::int AS n FROM django_session')).rows[0].n, EXPIRED - 20_000);
    } finally {
      await holder.end();
      await admin.end();
      await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  });

  it('PostgreSQL: a connection that is read-only (a replica, default_transaction_read_only) says so, for one change and for clear-expired', async function () {
    await requireService(this, POSTGRES);
    const name = runTag();
    const admin = await pgSessions(name);
    try {
      const url = `postgres://root@127.0.0.1:5432/${name}?options=-c%20default_transaction_read_only%3Don&use_tz=true&cookie_age=1209600`;
      const fix = 'Point the store at the primary server, or drop the read-only setting (default_transaction_read_only, read_only) from the connection or server.';
      const flush = await cli(['--store', url, 'flush', LAST_KEY], ENV);
      assert.equal(flush.code, 3, flush.err);
      assert.equal(oneLine(flush.err), `django-sessions: The database is read-only for this connection (a replica?) (cannot execute DELETE in a read-only transaction); nothing was changed. ${fix}`);
      const clear = await cli(['--store', url, '--json', 'clear-expired'], ENV);
      assert.equal(clear.code, 3, clear.err);
      const message = `The database is read-only for this connection (a replica?) (cannot execute DELETE in a read-only transaction). ${fix}`;
      assert.deepEqual(JSON.parse(clear.out), { stores: [{ store: 'url:postgres', deleted: 0, error: message }] });
      assert.equal(oneLine(clear.err), `django-sessions: ${message}`);
      assert.equal((await admin.query('SELECT count(*)::int AS n FROM django_session')).rows[0].n, EXPIRED);
    } finally {
      await admin.end();
      await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  });
});

describe('interop: a change waiting on a row another transaction holds', function () {
  this.timeout(120_000);

  it('PostgreSQL: gives up after 5 s, as SQLite does, where it used to wait for as long as the row was held', async function () {
    await requireService(this, POSTGRES);
    const name = runTag();
    const admin = await pgSessions(name);
    const holder = await holdRow(name, LAST_KEY);
    try {
      const started = Date.now();
      const flush = await cli(['--store', `postgres://root@127.0.0.1:5432/${name}?use_tz=true&cookie_age=1209600`, 'flush', LAST_KEY], ENV);
      assert.equal(flush.code, 3, flush.err);
      assert.equal(oneLine(flush.err), 'django-sessions: Another transaction held the row for 5 s (canceling statement due to lock timeout); nothing was changed; retry once it has ended.');
      assert.ok(Date.now() - started < 15_000, `${Date.now() - started} ms`);
    } finally {
      await holder.end();
      await admin.end();
      await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  });

  it('PostgreSQL: Ctrl-C during clear-expired cancels the batch waiting on the lock at once, and reports what was deleted', async function () {
    await requireService(this, POSTGRES);
    const name = runTag();
    const admin = await pgSessions(name);
    const holder = await holdRow(name, LAST_KEY);
    try {
      const run = cli(['--store', `postgres://root@127.0.0.1:5432/${name}?use_tz=true&cookie_age=1209600`, '--json', 'clear-expired'], ENV);
      // The last batch waits on the held row: press Ctrl-C then.
      while ((await admin.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [name])).rowCount === 0) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const pressed = Date.now();
      process.emit('SIGINT');
      const r = await run;
      assert.ok(Date.now() - pressed < 2000, `stopped ${Date.now() - pressed} ms after Ctrl-C`);
      assert.equal(r.code, 3, r.err);
      assert.deepEqual(JSON.parse(r.out), { stores: [{ store: 'url:postgres', deleted: 20_000, cancelled: true }] });
      assert.equal((await admin.query('SELECT count(*)::int AS n FROM django_session')).rows[0].n, EXPIRED - 20_000);
    } finally {
      await holder.end();
      await admin.end();
      await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  });

  it('MariaDB: clear-expired gives up after 5 s, not innodb_lock_wait_timeout\'s 50, and reports what was deleted before', async function () {
    await requireService(this, MARIADB);
    const name = runTag();
    await mysqlAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    const holder = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '', database: name });
    try {
      await holder.query('CREATE TABLE django_session (session_key varchar(40) NOT NULL PRIMARY KEY, session_data longtext NOT NULL, expire_date datetime(6) NOT NULL, KEY django_session_expire_date_a5c62663 (expire_date))');
      await holder.query(`SET SESSION max_recursive_iterations = ${EXPIRED}`);
      await holder.query(
        `INSERT INTO django_session WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${EXPIRED}) SELECT CONCAT('k', LPAD(i, 31, '0')), 'e30:1:x', TIMESTAMPADD(MICROSECOND, i * 1000, '2001-01-01') FROM n`,
      );
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM django_session WHERE session_key = ? FOR UPDATE', [LAST_KEY]);
      const started = Date.now();
      const r = await cli(['--store', `mysql://root@127.0.0.1:3306/${name}?use_tz=true&cookie_age=1209600`, '--json', 'clear-expired'], ENV);
      assert.ok(Date.now() - started < 20_000, `${Date.now() - started} ms`);
      assert.equal(r.code, 3, r.err);
      const message = 'Another transaction held the row for 5 s (Lock wait timeout exceeded; try restarting transaction); retry once it has ended.';
      assert.deepEqual(JSON.parse(r.out), { stores: [{ store: 'url:mysql', deleted: 20_000, error: message }] });
      assert.equal(oneLine(r.err), `django-sessions: ${message}`);
    } finally {
      holder.destroy();
      await mysqlAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name}`));
    }
  });
});
