import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { openStore, parseStoreUrl, type SessionStore } from '../../engine/src';
import { MARIADB, mysqlAdmin, pgAdmin, POSTGRES, requireService, runTag } from './localServices';

const SECRET = 'stores-pg-reconnect-secret-key-0123456789-abcdefghijkl';

describe('PostgreSQL: a store whose connection the server dropped (a restart, a laptop that slept)', function () {
  this.timeout(60_000);
  const name = runTag();
  let store: SessionStore;
  let db: Client;

  before(async function () {
    await requireService(this, POSTGRES);
    await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    db = new Client({ host: '127.0.0.1', port: 5432, user: 'root', database: name });
    await db.connect();
    await db.query('CREATE TABLE django_session (session_key varchar(40) NOT NULL PRIMARY KEY, session_data text NOT NULL, expire_date timestamp with time zone NOT NULL)');
    await db.query("INSERT INTO django_session VALUES ('active000000000000000000000000001', 'x', now() + interval '1 day')");
    store = await openStore(parseStoreUrl(`postgres://root@127.0.0.1:5432/${name}`, '/', { secretKeys: [SECRET], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }));
  });

  after(async () => {
    await store?.close();
    await db?.end();
    await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  it('connects again on the next action instead of failing every one until a refresh', async () => {
    assert.equal(await store.count(), 1);
    // What a restart does to each connection: the server ends it with an administrator command.
    await db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'django-sessions'", [name]);
    await sleep(200);
    assert.equal(await store.count(), 1);
    assert.deepEqual((await store.list({ limit: 10 })).sessions.map((s) => s.key), ['active000000000000000000000000001']);
  });
});

describe('MySQL: a store whose connection the server dropped', function () {
  this.timeout(60_000);
  const name = runTag();
  let store: SessionStore;

  before(async function () {
    await requireService(this, MARIADB);
    await mysqlAdmin(async (c) => {
      await c.query(`CREATE DATABASE ${name}`);
      await c.query(`CREATE TABLE ${name}.django_session (session_key varchar(40) NOT NULL PRIMARY KEY, session_data longtext NOT NULL, expire_date datetime(6) NOT NULL)`);
      await c.query(`INSERT INTO ${name}.django_session VALUES ('active000000000000000000000000001', 'x', '2999-01-01 00:00:00')`);
    });
    store = await openStore(parseStoreUrl(`mysql://root@127.0.0.1:3306/${name}`, '/', { secretKeys: [SECRET], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }));
  });

  after(async () => {
    await store?.close().catch(() => undefined);
    await mysqlAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name}`));
  });

  it('connects again on the next action', async () => {
    assert.equal(await store.count(), 1);
    await mysqlAdmin(async (c) => {
      const [rows] = await c.query(`SELECT id FROM information_schema.processlist WHERE db = '${name}'`);
      for (const row of rows as { id: number }[]) {
        await c.query(`KILL ${row.id}`);
      }
    });
    await sleep(200);
    assert.equal(await store.count(), 1);
  });
});
