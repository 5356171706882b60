import * as assert from 'node:assert/strict';
import { encodeSessionData, openStore, parseStoreUrl, PyDict, StoreError, type SessionStore } from '../../engine/src';
import { MARIADB, mysqlAdmin, pgAdmin, POSTGRES, requireService, runTag, type LocalService } from './localServices';

const SECRET = 'stores-custom-table-secret-key-0123456789-abcdefghij';
const KEY = 'tenantrow0000000000000000000001';

interface Vendor {
  service: LocalService;
  /** Creates the database and a custom model's table (extra columns: one NOT NULL without default, one nullable), with one row. */
  create(name: string, raw: string): Promise<void>;
  /** Every row as [session_key, session_data, tenant_id, note]. */
  rows(name: string): Promise<unknown[][]>;
  drop(name: string): Promise<void>;
  url(name: string): string;
}

const postgres: Vendor = {
  service: POSTGRES,
  async create(name, raw) {
    await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    await inPg(name, async (c) => {
      await c.query(
        'CREATE TABLE accounts_tenantsession (session_key varchar(40) NOT NULL PRIMARY KEY, session_data text NOT NULL, expire_date timestamp with time zone NOT NULL, tenant_id integer NOT NULL, note varchar(20) NULL)',
      );
      await c.query("INSERT INTO accounts_tenantsession VALUES ($1, $2, now() + interval '1 day', 9, 'kept')", [KEY, raw]);
    });
  },
  rows: (name) => inPg(name, async (c) => (await c.query({ text: 'SELECT session_key, session_data, tenant_id, note FROM accounts_tenantsession', rowMode: 'array' })).rows),
  drop: (name) => pgAdmin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  url: (name) => `postgres://root@127.0.0.1:5432/${name}?table=accounts_tenantsession`,
};

const mariadb: Vendor = {
  service: MARIADB,
  async create(name, raw) {
    await mysqlAdmin(async (c) => {
      await c.query(`CREATE DATABASE ${name}`);
      await c.query(
        `CREATE TABLE ${name}.accounts_tenantsession (session_key varchar(40) NOT NULL PRIMARY KEY, session_data longtext NOT NULL, expire_date datetime(6) NOT NULL, tenant_id integer NOT NULL, note varchar(20) NULL)`,
      );
      await c.query(`INSERT INTO ${name}.accounts_tenantsession VALUES (?, ?, '2099-01-01 00:00:00', 9, 'kept')`, [KEY, raw]);
    });
  },
  rows: (name) => mysqlAdmin(async (c) => (await c.query({ sql: `SELECT session_key, session_data, tenant_id, note FROM ${name}.accounts_tenantsession`, rowsAsArray: true }))[0] as unknown[][]),
  drop: (name) => mysqlAdmin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name}`))),
  url: (name) => `mysql://root@127.0.0.1:3306/${name}?table=accounts_tenantsession`,
};

async function inPg<T>(name: string, body: (c: import('pg').Client) => Promise<T>): Promise<T> {
  const { Client } = await import('pg');
  const c = new Client({ host: '127.0.0.1', user: 'root', database: name });
  await c.connect();
  try {
    return await body(c);
  } finally {
    await c.end();
  }
}

describe('custom session models (table=) on PostgreSQL and MariaDB: extra columns survive cycleKey', function () {
  this.timeout(60_000);
  for (const [title, vendor] of [['PostgreSQL', postgres], ['MariaDB', mariadb]] as const) {
    describe(title, function () {
      const name = runTag();
      let store: SessionStore;

      before(async function () {
        await requireService(this, vendor.service);
        await vendor.create(name, encodeSessionData(new PyDict([['cart', 'x']]), { secretKeys: [SECRET] }));
        store = await openStore(parseStoreUrl(vendor.url(name), '/', { secretKeys: [SECRET], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }));
      });

      after(async () => {
        await store?.close();
        await vendor.drop(name);
      });

      it('cycles the key in place, keeping the NOT NULL and the nullable extra column', async () => {
        const cycled = await store.cycleKey(KEY);
        assert.deepEqual(await vendor.rows(name), [[cycled.key, cycled.raw, 9, 'kept']]);
        assert.equal(await store.get(KEY), undefined);
      });

      it('refuses a create the table cannot take with a one-line StoreError naming the column', async () => {
        await assert.rejects(
          store.save('newtenant0000000000000000000001', new PyDict([['a', 1n]]), { create: true }),
          (e: unknown) => e instanceof StoreError && e.code === 'constraint' && /tenant_id/.test(e.message) && !e.message.includes('\n'),
        );
        assert.equal((await vendor.rows(name)).length, 1);
      });
    });
  }
});
