import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { openStore, parseStoreUrl, PyDict, StoreError, type SessionStore } from '../../engine/src';
import { FaultProxy } from './faultProxy';
import { MARIADB, mysqlAdmin, pgAdmin, pgIn, POSTGRES, requireService, runTag } from './localServices';
import { pgSessionDatabase } from './pgSessionDatabase';

const SECRET = 'stores-pg-reconnect-secret-key-0123456789-abcdefghijkl';

describe('PostgreSQL: a store whose connection the server dropped (a restart, a laptop that slept)', function () {
  this.timeout(60_000);
  const name = runTag();
  let store: SessionStore;
  let db: Client;

  before(async function () {
    await requireService(this, POSTGRES);
    db = await pgSessionDatabase(name);
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

const REPLY_TIMEOUT_MS = 1000;
const EXPIRED_ROWS = 25_000;
const LIVE_KEY = 'livesession00000000000000000001';

/** A store on `url` (through a FaultProxy) whose statements wait REPLY_TIMEOUT_MS for a reply. */
async function openWithShortReplies(url: string): Promise<SessionStore> {
  const descriptor = parseStoreUrl(url, '/', { secretKeys: [SECRET], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 });
  descriptor.database = { ...descriptor.database!, replyTimeoutMs: REPLY_TIMEOUT_MS } as typeof descriptor.database;
  return openStore(descriptor);
}

const notAnswered = (server: RegExp) => (err: unknown) =>
  err instanceof StoreError && err.code === 'connection' && server.test(err.message) && /did not answer within 1 s.*whether the statement was applied is unknown/.test(err.message) && !err.message.includes('\n');

/** A database of the test's own with a session table, on one server. */
interface ScratchDatabase {
  create(name: string): Promise<void>;
  /** Adds EXPIRED_ROWS expired sessions; the table holds none when called. */
  addExpired(name: string): Promise<void>;
  expiredLeft(name: string): Promise<number>;
  drop(name: string): Promise<void>;
}

/**
 * Every kind of call through a connection that goes quiet part way (a paused container, a VPN
 * gone quiet) fails typed after the reply timeout, naming the server, instead of hanging the
 * view or the CLI for good; a clear-expired cut off part way reports what it deleted exactly;
 * and the next call connects again.
 */
function quietConnectionSuite(vendor: 'PostgreSQL' | 'MySQL', service: typeof POSTGRES, db: ScratchDatabase): void {
  describe(`${vendor}: a connection that goes quiet or is cut part way through an action`, function () {
    this.timeout(60_000);
    const name = runTag();
    let proxy: FaultProxy;
    let store: SessionStore;

    before(async function () {
      await requireService(this, service);
      await db.create(name);
      proxy = await FaultProxy.start(0, service.port);
      store = await openWithShortReplies(`${vendor === 'MySQL' ? 'mysql' : 'postgres'}://root@127.0.0.1:${proxy.port}/${name}`);
      await store.save(LIVE_KEY, new PyDict([['_auth_user_id', '7']]), { create: true });
    });

    after(async () => {
      proxy?.restore();
      await store?.close().catch(() => undefined);
      await proxy?.close();
      await db.drop(name);
    });

    const server = new RegExp(`^${vendor} at 127\\.0\\.0\\.1:\\d+/${name} did not answer`);

    it('fails list, count, get, save, clear-expired and logout-user after the reply timeout, then connects again', async () => {
      const live = await store.get(LIVE_KEY);
      assert.ok(live);
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['list', () => store.list({ limit: 10 })],
        ['count', () => store.count()],
        ['get', () => store.get(LIVE_KEY)],
        ['save', () => store.save(LIVE_KEY, new PyDict([['_auth_user_id', '7'], ['cart', 1]]), { expectedRaw: live.raw })],
        ['clear-expired', () => store.clearExpired()],
        ['logout-user', () => store.deleteByUser('7')],
      ];
      for (const [what, call] of calls) {
        proxy.stall();
        await assert.rejects(call(), notAnswered(server), `${what} on a quiet connection`);
        proxy.restore();
        assert.equal((await store.get(LIVE_KEY))?.raw, live.raw, `after ${what}, the next call connects again and the session is as it was`);
      }
    });

    it('closes a store whose connection went quiet while idle, instead of waiting for the server for good', async () => {
      // A proxy of its own, so the suite's store keeps its connection.
      const own = await FaultProxy.start(0, service.port);
      try {
        const idle = await openWithShortReplies(`${vendor === 'MySQL' ? 'mysql' : 'postgres'}://root@127.0.0.1:${own.port}/${name}`);
        assert.ok(await idle.get(LIVE_KEY));
        own.stall();
        // A close that waits for the quiet server never settles, and the test fails at its timeout.
        await idle.close();
      } finally {
        await own.close();
      }
    });

    for (const fault of ['stall', 'cut'] as const) {
      it(`reports exactly what clear-expired deleted before the connection ${fault === 'stall' ? 'went quiet' : 'was reset'}, and the next one goes on`, async () => {
        await db.addExpired(name);
        const before = await db.expiredLeft(name);
        assert.ok(before > 10_000, 'more expired rows than one batch');
        let reported = 0;
        const run = store.clearExpired({
          onProgress: (n) => {
            reported = n;
            // Once the first batch is in, the next one goes unanswered, or is reset while under way.
            proxy.stall();
            if (fault === 'cut') {
              setTimeout(() => proxy.cut(), 100);
            }
          },
        });
        await assert.rejects(run, (err: unknown) => err instanceof StoreError && err.code === 'connection' && !err.message.includes('\n'), `clear-expired through a ${fault}`);
        proxy.restore();
        assert.ok(reported > 0, 'the first batch was reported');
        assert.equal(await db.expiredLeft(name), before - reported, `what was reported deleted before the ${fault} is what was deleted`);
        const left = await db.expiredLeft(name);
        assert.equal(await store.clearExpired(), left, 'the next clear-expired connects again and deletes the rest');
        assert.equal(await db.expiredLeft(name), 0);
      });
    }
  });
}

quietConnectionSuite('PostgreSQL', POSTGRES, {
  create: async (name) => {
    await (await pgSessionDatabase(name)).end();
  },
  addExpired: (name) => pgIn(name, (db) => db.query(`INSERT INTO django_session SELECT 'expired' || lpad(i::text, 26, '0'), 'x', now() - interval '1 day' FROM generate_series(1, ${EXPIRED_ROWS}) AS i`)).then(() => undefined),
  expiredLeft: (name) => pgIn(name, async (db) => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM django_session WHERE expire_date < now()')).rows[0]!.n)),
  drop: (name) => pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
});

const DIGITS = '(SELECT 0 d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)';
const FIVE_DIGITS = 'a.d + 10 * b.d + 100 * c.d + 1000 * d.d + 10000 * e.d';

quietConnectionSuite('MySQL', MARIADB, {
  create: (name) =>
    mysqlAdmin(async (c) => {
      await c.query(`CREATE DATABASE ${name}`);
      await c.query(`CREATE TABLE ${name}.django_session (session_key varchar(40) NOT NULL PRIMARY KEY, session_data longtext NOT NULL, expire_date datetime(6) NOT NULL, KEY django_session_expire_date (expire_date))`);
    }),
  addExpired: (name) =>
    mysqlAdmin((c) =>
      c.query(
        `INSERT INTO ${name}.django_session SELECT CONCAT('expired', LPAD(${FIVE_DIGITS}, 26, '0')), 'x', UTC_TIMESTAMP() - INTERVAL 1 DAY FROM ${DIGITS} a, ${DIGITS} b, ${DIGITS} c, ${DIGITS} d, ${DIGITS} e WHERE ${FIVE_DIGITS} < ${EXPIRED_ROWS}`,
      ),
    ).then(() => undefined),
  expiredLeft: (name) => mysqlAdmin(async (c) => Number(((await c.query(`SELECT COUNT(*) AS n FROM ${name}.django_session WHERE expire_date < UTC_TIMESTAMP()`))[0] as { n: number }[])[0]!.n)),
  drop: (name) => mysqlAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name}`)).then(() => undefined),
});
