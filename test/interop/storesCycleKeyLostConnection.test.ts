import * as assert from 'node:assert/strict';
import { maskSessionKey, openStore, parseStoreUrl, PyDict, StoreError, type SessionStore } from '../../engine/src';
import { FaultProxy } from './faultProxy';
import { MARIADB, mysqlAdmin, pgAdmin, pgIn, POSTGRES, requireService, runTag } from './localServices';

const SECRET = 'stores-cycle-lost-secret-key-0123456789-abcdefghijklmn';
/** The statement that moves a row to its new key, as each driver sends it: PostgreSQL's prepared once per connection, MySQL's with its values in the text. */
const MOVE_PG = 'SET session_key = $1';
const MOVE_MYSQL = "SET session_key = '";

/** The rows of the test's table, read beside the store: key to stored text. */
type Rows = () => Promise<Map<string, string>>;

/**
 * Cycle Key through a connection lost part way (a server restart, a dropped VPN): either the
 * database applied the move and only its reply was lost, or it never got it. The store finds
 * out which and says so, instead of leaving the session under a key nobody was told of.
 */
function lostConnectionSuite(vendor: 'PostgreSQL' | 'MySQL', service: typeof POSTGRES, scheme: string, marker: string, db: { create(name: string): Promise<void>; rows(name: string): Rows; drop(name: string): Promise<void> }): void {
  describe(`${vendor}: Cycle Key whose connection is lost`, function () {
    this.timeout(60_000);
    const name = `djs_fix1_${runTag()}`;
    let proxy: FaultProxy;
    let rows: Rows;
    let n = 0;

    before(async function () {
      await requireService(this, service);
      await db.create(name);
      rows = db.rows(name);
      proxy = await FaultProxy.start(0, service.port);
    });

    after(async () => {
      await proxy?.close();
      await db.drop(name);
    });

    /** A store of its own, on a fresh connection that has not prepared the move yet, and a session in it. */
    async function withSession(body: (store: SessionStore, key: string, raw: string) => Promise<void>): Promise<void> {
      const store = await openStore(parseStoreUrl(`${scheme}://root@127.0.0.1:${proxy.port}/${name}`, '/', { secretKeys: [SECRET], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }));
      const key = `cyclelost${String(++n).padStart(23, '0')}`;
      try {
        const saved = await store.save(key, new PyDict([['_auth_user_id', '7'], ['cart', [1n, 2n]]]), { create: true });
        await body(store, key, saved.raw);
      } finally {
        proxy.restore();
        await store.close().catch(() => undefined);
      }
    }

    it('returns the session under its new key when the database applied the move and only the reply was lost', async () => {
      await withSession(async (store, key) => {
        proxy.loseAt(marker, 'reply');
        const cycled = await store.cycleKey(key);
        const stored = await rows();
        assert.notEqual(cycled.key, key);
        assert.equal(stored.has(key), false, 'the old key is gone');
        assert.equal(stored.get(cycled.key), cycled.raw, 'the session returned is the row under the new key');
      });
    });

    it('says the session is still under its key, and unchanged, when the database never got the move', async () => {
      await withSession(async (store, key, raw) => {
        proxy.loseAt(marker, 'request');
        await assert.rejects(store.cycleKey(key), (err: unknown) => {
          assert.ok(err instanceof StoreError);
          assert.equal(err.code, 'connection');
          assert.match(err.message, new RegExp(`^The connection to ${vendor} was lost \\(.*\\) while the key of session ${maskSessionKey(key)} was being cycled, before the database applied it: the session is still under its key, and nothing was written\\. Cycle its key again\\.$`));
          return true;
        });
        const stored = await rows();
        assert.deepEqual([...stored].filter(([k]) => k.startsWith('cyclelost')), [[key, raw]], 'one session, as it was');
      });
    });

    it('names both keys the session may be under when the database cannot be reached again to tell', async () => {
      await withSession(async (store, key) => {
        const before = new Set((await rows()).keys());
        proxy.loseAt(marker, 'reply', true);
        let said = '';
        await assert.rejects(store.cycleKey(key), (err: unknown) => {
          assert.ok(err instanceof StoreError);
          assert.equal(err.code, 'connection');
          said = err.message;
          return true;
        });
        const stored = await rows();
        const moved = [...stored.keys()].find((k) => !before.has(k));
        assert.ok(moved, 'the database applied the move');
        assert.equal(stored.has(key), false);
        assert.match(said, new RegExp(`while the key of session ${maskSessionKey(key)} was being cycled, and reading it again failed \\(.*\\): the session is under its old key or under ${maskSessionKey(moved)}, never both\\. Refresh once the database answers to see which\\.$`));
        assert.equal(said.includes(moved), false, 'the new key is masked');
      });
    });
  });
}

lostConnectionSuite('PostgreSQL', POSTGRES, 'postgres', MOVE_PG, {
  create: async (name) => {
    await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    await pgIn(name, (c) => c.query('CREATE TABLE django_session (session_key varchar(40) NOT NULL PRIMARY KEY, session_data text NOT NULL, expire_date timestamp with time zone NOT NULL)'));
  },
  rows: (name) => () => pgIn(name, async (c) => new Map((await c.query<{ k: string; d: string }>('SELECT session_key AS k, session_data AS d FROM django_session')).rows.map((r) => [r.k, r.d]))),
  drop: (name) => pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
});

lostConnectionSuite('MySQL', MARIADB, 'mysql', MOVE_MYSQL, {
  create: (name) =>
    mysqlAdmin(async (c) => {
      await c.query(`CREATE DATABASE ${name}`);
      await c.query(`CREATE TABLE ${name}.django_session (session_key varchar(40) NOT NULL PRIMARY KEY, session_data longtext NOT NULL, expire_date datetime(6) NOT NULL)`);
    }),
  rows: (name) => () => mysqlAdmin(async (c) => new Map(((await c.query(`SELECT session_key AS k, session_data AS d FROM ${name}.django_session`))[0] as { k: string; d: string }[]).map((r) => [r.k, r.d]))),
  drop: (name) => mysqlAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name}`)).then(() => undefined),
});
