import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import initSqlJs from 'sql.js';
import { openStore, parseStoreUrl, type SessionStore } from '../../engine/src';
import { MAX_STORED_DATA_BYTES } from '../../engine/src/stores/storedDataLimit';
import { TRUSTING_ENV } from '../unit/engine/stores/sqlJsTrust';
import { pgAdmin, POSTGRES, REDIS, requireService, runTag } from './localServices';
import { pgSessionDatabase } from './pgSessionDatabase';

const SECRET = 'stores-oversized-data-secret-key-0123456789-abcdefghij';
const TIMES = { secretKeys: [SECRET], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 };
const BIG = 'bigsession0000000000000000000001';
const SMALL = 'smallsession00000000000000000001';

/**
 * A row larger than a JavaScript string can hold (PostgreSQL's text takes 1 GB) made the pg
 * driver throw in its socket handler, which ended the process; the data above the limit is now
 * never sent, and the session reads as too large to read.
 */
function oversizedRows(open: () => Promise<SessionStore>): void {
  let store: SessionStore;
  before(async () => {
    store = await open();
  });
  after(() => store?.close());

  it('lists a session whose data is above the limit as undecodable, too large, with the others read', async () => {
    const page = await store.list({ limit: 10, order: 'asc' });
    const big = page.sessions.find((r) => r.key === BIG);
    assert.deepEqual(big?.decoded.ok === false && big.decoded.code, 'oversized');
    assert.ok(big && big.raw.length < 100, 'the data above the limit is never read');
    assert.ok(page.sessions.some((r) => r.key === SMALL && !(r.decoded.ok === false && r.decoded.code === 'oversized')));
  });

  it('reads it alone as too large, and a scan with a filter passes it', async () => {
    const record = await store.get(BIG);
    assert.ok(record && !record.decoded.ok && record.decoded.message.includes(`${MAX_STORED_DATA_BYTES + 1} bytes`));
    assert.equal(await store.count({ text: 'anything' }), 0);
  });

  it('still deletes it', async () => {
    assert.equal(await store.delete(BIG), true);
    assert.equal(await store.get(BIG), undefined);
  });
}

describe('Stored data above the read limit', function () {
  this.timeout(120_000);

  describe('PostgreSQL', () => {
    const name = runTag();
    let db: Client | undefined;
    before(async function () {
      await requireService(this, POSTGRES);
      db = await pgSessionDatabase(name);
      await db.query("INSERT INTO django_session VALUES ($1, repeat('x', $2), now() + interval '1 day')", [BIG, MAX_STORED_DATA_BYTES + 1]);
      await db.query("INSERT INTO django_session VALUES ($1, 'e30', now() + interval '1 day')", [SMALL]);
    });
    after(async () => {
      await db?.end();
      await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    });
    oversizedRows(() => openStore(parseStoreUrl(`postgres://root@127.0.0.1:5432/${name}`, '/', TIMES)));
  });

  describe('SQLite', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-oversized-'));
    const file = path.join(dir, 'db.sqlite3');
    before(async () => {
      const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
      const db = new SQL.Database();
      db.exec('CREATE TABLE "django_session" ("session_key" varchar(40) NOT NULL PRIMARY KEY, "session_data" text NOT NULL, "expire_date" datetime NOT NULL);');
      db.run('INSERT INTO django_session VALUES (?, ?, ?), (?, ?, ?)', [BIG, 'x'.repeat(MAX_STORED_DATA_BYTES + 1), '2099-01-01 00:00:00', SMALL, 'e30', '2099-01-01 00:00:00']);
      fs.writeFileSync(file, db.export());
      db.close();
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    oversizedRows(() => openStore(parseStoreUrl(`sqlite://${file}`, '/', TIMES), { sqliteDriver: 'sqljs', env: TRUSTING_ENV }));
  });

  describe('session files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-oversized-files-'));
    const OLD = 'oldbigsession0000000000000000001';
    before(() => {
      // Sparse: a file's size is what counts, and a gigabyte made the whole directory unlistable.
      fs.writeFileSync(path.join(dir, `sessionid${BIG}`), '');
      fs.truncateSync(path.join(dir, `sessionid${BIG}`), MAX_STORED_DATA_BYTES + 1);
      fs.writeFileSync(path.join(dir, `sessionid${SMALL}`), 'e30');
      fs.writeFileSync(path.join(dir, `sessionid${OLD}`), '');
      fs.truncateSync(path.join(dir, `sessionid${OLD}`), 2 ** 30);
      const monthAgo = Date.now() / 1000 - 30 * 86400;
      fs.utimesSync(path.join(dir, `sessionid${OLD}`), monthAgo, monthAgo);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    oversizedRows(() => openStore(parseStoreUrl(`file://${dir}`, '/', TIMES)));

    it('clears one expired by its age, as clearsessions does, and leaves the others', async () => {
      const store = await openStore(parseStoreUrl(`file://${dir}`, '/', TIMES));
      try {
        assert.equal(await store.clearExpired(), 1);
      } finally {
        await store.close();
      }
      assert.deepEqual(fs.readdirSync(dir).sort(), [`sessionid${SMALL}`]);
    });
  });

  describe('Redis', () => {
    const prefix = runTag();
    const url = `redis://127.0.0.1:6379/3?key_prefix=${prefix}`;
    const admin = new Redis({ host: '127.0.0.1', port: 6379, db: 3, lazyConnect: true });
    const user = `${prefix}nostrlen`;
    before(async function () {
      await requireService(this, REDIS);
      await admin.connect();
      await admin.set(`${prefix}:1:django.contrib.sessions.cache${BIG}`, Buffer.alloc(MAX_STORED_DATA_BYTES + 1, 0x78));
      await admin.set(`${prefix}:1:django.contrib.sessions.cache${SMALL}`, Buffer.from('80059505000000000000007d942e', 'hex'), 'EX', 3600);
    });
    after(async () => {
      await admin.call('ACL', 'DELUSER', user).catch(() => undefined);
      const keys = await admin.keys(`${prefix}:*`);
      if (keys.length > 0) {
        await admin.del(...keys);
      }
      admin.disconnect();
    });

    it('reads every value for an ACL user without STRLEN, as Django runs none', async () => {
      await admin.call('ACL', 'SETUSER', user, 'on', 'nopass', `~${prefix}:*`, '+@all', '-strlen');
      const store = await openStore(parseStoreUrl(`redis://${user}@127.0.0.1:6379/3?key_prefix=${prefix}`, '/', TIMES));
      try {
        const small = await store.get(SMALL);
        assert.ok(small?.decoded.ok);
      } finally {
        await store.close();
      }
    });

    oversizedRows(() => openStore(parseStoreUrl(url, '/', TIMES)));
  });
});
