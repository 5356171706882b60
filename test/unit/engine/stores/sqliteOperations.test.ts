import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import initSqlJs from 'sql.js';
import { decodeSessionData, encodeSessionData, openStore, parseStoreUrl, PyDict, StoreError, storeUrlDefaults, type SessionStore, type SqliteDriverChoice } from '../../../../engine/src';
import { nodeSqlite } from '../../../../engine/src/stores/sqlite/nodeSqliteDriver';
import { passesInNode22 } from './nodeSqliteRerun';
import { sqliteFromFixture } from './sqliteFixture';
import { TRUSTING_ENV } from './sqlJsTrust';

const K = 'k'.repeat(50);
/** sql.js, loaded before the tests, for writes that must happen synchronously within a store's callback. */
let sqlJs: Awaited<ReturnType<typeof initSqlJs>> | undefined;
before(async () => {
  sqlJs = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
});
const isCode = (code: string) => (e: unknown) => e instanceof StoreError && e.code === code;

async function open(file: string, driver: SqliteDriverChoice, query = ''): Promise<SessionStore> {
  return openStore(parseStoreUrl(`sqlite://${file}${query}`, '/', { secretKeys: [K], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }), { sqliteDriver: driver, env: TRUSTING_ENV });
}

function data(entries: Record<string, string | bigint>): PyDict {
  return new PyDict(Object.entries(entries));
}

/** The session operations, identical for both SQLite drivers. */
function operations(driver: SqliteDriverChoice): void {
  let file: string;
  let store: SessionStore;

  beforeEach(async () => {
    file = await sqliteFromFixture('sessions.sql');
    store = await open(file, driver);
  });
  afterEach(() => store.close());

  it('creates a session Django can decode, with expire_date = now + SESSION_COOKIE_AGE, and never overwrites', async () => {
    const key = 'newsession000000000000000000000a';
    const before = Date.now();
    const created = await store.save(key, data({ cart: 'x' }), { create: true });
    const decoded = decodeSessionData(created.raw, { secretKeys: [K] });
    assert.equal(decoded.signature, 'valid');
    assert.equal(decoded.data.get('cart'), 'x');
    assert.ok(created.expireDate!.getTime() >= before + 1209600_000 - 1000);
    await assert.rejects(store.save(key, data({}), { create: true }), isCode('exists'));
    assert.equal((await store.get(key))?.raw, created.raw);
  });

  it('updates only the version it read: a stale write is a conflict and changes nothing', async () => {
    const key = 'plainjson00000000000000000000001';
    const original = await store.get(key);
    const stale = encodeSessionData(data({ foo: 'old' }), { secretKeys: [K] });
    await assert.rejects(store.save(key, data({ foo: 'mine' }), { expectedRaw: stale }), isCode('conflict'));
    assert.equal((await store.get(key))?.raw, original?.raw);
    const updated = await store.update(key, (d) => void d.set('n', 5n));
    assert.equal((await store.get(key))?.raw, updated.raw);
    assert.equal(decodeSessionData(updated.raw, { secretKeys: [K] }).data.get('n'), 5n);
  });

  it('clears, expires, cycles and flushes', async () => {
    const key = 'plainjson00000000000000000000001';
    const cleared = await store.clear(key);
    assert.equal(decodeSessionData(cleared.raw, { secretKeys: [K] }).data.size, 0);
    const in60 = await store.setExpiry(key, { kind: 'seconds', seconds: 60 });
    assert.ok(Math.abs(in60.expireDate!.getTime() - Date.now() - 60_000) < 2000);
    await store.setExpiry(key, { kind: 'now' });
    assert.equal(await store.count({ state: 'expired' }), 2);
    // Django never loads an expired session: changing its data would bring it back; setting its expiry may.
    for (const change of [() => store.cycleKey(key), () => store.clear(key), () => store.update(key, (d) => void d.set('n', 1n))]) {
      await assert.rejects(change(), (err: unknown) => isCode('not-found')(err) && /expired at .*Django no longer loads it.*set its expiry to bring it back, or flush it/.test((err as Error).message));
    }
    await store.setExpiry(key, { kind: 'seconds', seconds: 60 });
    const cycled = await store.cycleKey(key);
    assert.notEqual(cycled.key, key);
    assert.equal(await store.get(key), undefined);
    assert.ok(await store.get(cycled.key));
    assert.equal(await store.delete(cycled.key), true);
    assert.equal(await store.delete(cycled.key), false);
  });

  it('clears expired sessions as clearsessions does, with progress, and stops when cancelled', async () => {
    const cancelled = new AbortController();
    cancelled.abort();
    assert.equal(await store.clearExpired({ signal: cancelled.signal }), 0);
    const progress: number[] = [];
    assert.equal(await store.clearExpired({ onProgress: (n) => progress.push(n) }), 1);
    assert.deepEqual(progress, [1]);
    assert.equal(await store.count(), 4);
  });

  it('logs a user out everywhere, names the sessions it could not check, and refuses to rewrite sessions it cannot verify', async () => {
    const uncounted: string[] = [];
    assert.equal(await store.count({ userId: '1' }, { onUndecodable: (key) => uncounted.push(key) }), 1);
    // The preview finds what the deletion then deletes, and deletes none of it.
    const found: string[] = [];
    const unfound: string[] = [];
    assert.equal(await store.findByUser('1', { onFound: (record) => found.push(record.key), onUndecodable: (key) => unfound.push(key) }), 1);
    assert.deepEqual(found, ['compressed0000000000000000000002']);
    assert.deepEqual(unfound.sort(), uncounted.sort());
    assert.equal(await store.count(), 5);
    const unchecked: string[] = [];
    assert.equal(await store.deleteByUser('1', { onUndecodable: (key) => unchecked.push(key) }), 1);
    // Signed for another store class, Django ignores it: no session of anyone's, so not unchecked.
    assert.deepEqual(unchecked.sort(), ['garbage00000000000000000000000005']);
    assert.deepEqual(uncounted.sort(), unchecked);
    assert.equal(await store.get('compressed0000000000000000000002'), undefined);
    await assert.rejects(store.clear('otherclass000000000000000000004'), isCode('undecodable'));
    await assert.rejects(store.clear('garbage00000000000000000000000005'), isCode('undecodable'));
    await assert.rejects(store.clear('nosuchkey0000000'), isCode('not-found'));
  });

  it('works on a custom session model table via table=, keeping its extra columns through edits and cycleKey', async () => {
    const custom = await sqliteFromFixture('custom_sessions.sql');
    const customStore = await open(custom, driver, '?table=accounts_customsession');
    let cycled: string;
    try {
      await customStore.update('customrow0000000000000000000001', (d) => void d.set('x', 1n));
      cycled = (await customStore.cycleKey('customrow0000000000000000000001')).key;
      assert.equal(await customStore.count(), 1);
      assert.equal(decodeSessionData((await customStore.get(cycled))!.raw, { secretKeys: [K] }).data.get('x'), 1n);
    } finally {
      await customStore.close();
    }
    const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
    const db = new SQL.Database(fs.readFileSync(custom));
    assert.deepEqual(db.exec('SELECT session_key, account_id FROM accounts_customsession')[0]?.values, [[cycled, 5]]);
    db.close();
    await assert.rejects(open(custom, driver), isCode('missing-table'));
  });

  it("cycles a key on a table= model whose extra column is NOT NULL, and refuses a create there with a one-line error", async () => {
    const custom = await sqliteFromFixture('custom_sessions.sql');
    const tenantStore = await open(custom, driver, '?table=accounts_tenantsession');
    try {
      const cycled = await tenantStore.cycleKey('tenantrow0000000000000000000001');
      assert.equal(await tenantStore.get('tenantrow0000000000000000000001'), undefined);
      await assert.rejects(
        tenantStore.save('newtenant0000000000000000000001', data({ a: 'b' }), { create: true }),
        (e: unknown) => isCode('constraint')(e) && /accounts_tenantsession.*NOT NULL.*tenant_id/.test((e as Error).message) && !(e as Error).message.includes('\n'),
      );
      assert.equal(await tenantStore.count(), 1);
      assert.ok(await tenantStore.get(cycled.key));
    } finally {
      await tenantStore.close();
    }
    const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
    const db = new SQL.Database(fs.readFileSync(custom));
    assert.deepEqual(db.exec('SELECT tenant_id FROM accounts_tenantsession')[0]?.values, [[9]]);
    db.close();
  });

  it('refuses at open a table= that is no session table, saying which columns it lacks, instead of counting its rows', async () => {
    const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
    const db = new SQL.Database(fs.readFileSync(file));
    db.exec('CREATE TABLE auth_user (id integer PRIMARY KEY, username text); INSERT INTO auth_user VALUES (1, "ann"), (2, "bob");');
    fs.writeFileSync(file, db.export());
    db.close();
    await assert.rejects(
      open(file, driver, '?table=auth_user'),
      (e: unknown) => isCode('missing-table')(e) && /: auth_user is not a session table: it needs the columns session_key, session_data and expire_date \(.*session_key.*\)\. Pass table= naming your session model's table\.$/.test((e as Error).message),
    );
  });

  it('changes nothing where the time settings are only assumed for the URL: the zone-less expire_date it would write could be hours off', async () => {
    const assumed = await openStore(parseStoreUrl(`sqlite://${file}`, '/', { ...storeUrlDefaults(undefined), secretKeys: [K] }), { sqliteDriver: driver, env: TRUSTING_ENV });
    try {
      const key = 'plainjson00000000000000000000001';
      const before = await assumed.get(key);
      for (const change of [() => assumed.save(key, data({ foo: 'x' }), { expectedRaw: before!.raw }), () => assumed.cycleKey(key), () => assumed.clearExpired()]) {
        await assert.rejects(change(), (e: unknown) => isCode('write-refused')(e) && /^Nothing was (changed|deleted): SQLite keeps expire_date as a date without a time zone/.test((e as Error).message));
      }
      assert.deepEqual(await assumed.get(key), before);
      assert.equal(await assumed.delete(key), true, 'a deletion writes no date');
    } finally {
      await assumed.close();
    }
  });

  it('answers an empty page for limit 0, keeping the position it was given', async () => {
    assert.deepEqual(await store.list({ limit: 0 }), { sessions: [], scanned: 0, nextCursor: undefined });
    const first = await store.list({ limit: 2 });
    assert.deepEqual(await store.list({ limit: 0, cursor: first.nextCursor }), { sessions: [], scanned: 0, nextCursor: first.nextCursor });
  });

  it('filters by state in SQL and by decoded data page by page, reporting how far it scanned', async () => {
    assert.deepEqual((await store.list({ limit: 10, filter: { state: 'expired' } })).sessions.map((s) => s.key), ['emptysession00000000000000000003']);
    assert.equal((await store.list({ limit: 10, filter: { state: 'active' } })).sessions.length, 4);
    const user = await store.list({ limit: 10, filter: { userId: '1' } });
    assert.deepEqual(user.sessions.map((s) => s.key), ['compressed0000000000000000000002']);
    assert.equal(user.scanned, 5);
    const first = await store.list({ limit: 10, filter: { hasKey: 'foo' }, maxScan: 2 });
    assert.equal(first.scanned, 2);
    assert.ok(first.nextCursor);
    const rest = await store.list({ limit: 10, filter: { hasKey: 'foo' }, cursor: first.nextCursor });
    assert.deepEqual([...first.sessions, ...rest.sessions].map((s) => s.key).sort(), ['otherclass000000000000000000004', 'plainjson00000000000000000000001']);
    assert.deepEqual((await store.list({ limit: 10, filter: { text: 'NOT SESSION' } })).sessions.map((s) => s.key), ['garbage00000000000000000000000005']);
  });
}

/** Adds a session of each of `users` (by user id) to the database file, as Django writes them; returns their keys. */
async function addUserSessions(file: string, users: string[]): Promise<string[]> {
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const db = new SQL.Database(fs.readFileSync(file));
  const keys = users.map((user, i) => `u${user}s${String(i).padStart(30 - user.length, '0')}`);
  users.forEach((user, i) => db.run('INSERT INTO django_session VALUES (?, ?, ?)', [keys[i]!, encodeSessionData(data({ _auth_user_id: user }), { secretKeys: [K] }), '2099-01-01 00:00:00']));
  fs.writeFileSync(file, db.export());
  db.close();
  return keys;
}

/**
 * deleteByUser on many sessions: few writes (sql.js replaces the whole file on each), and a
 * session Django changes during the scan is deleted only if it is still the user's.
 */
function logoutOfMany(driver: SqliteDriverChoice, rewrite: (file: string, key: string, user: string) => void): void {
  it('logs a user out of hundreds of sessions in a few writes, keeping one Django gave to another user meanwhile', async () => {
    const file = await sqliteFromFixture('sessions.sql');
    const keys = await addUserSessions(file, [...Array<string>(300).fill('7'), ...Array<string>(50).fill('8')]);
    const store = await open(file, driver);
    // The module object the driver's calls go through (an `import * as` namespace cannot be patched).
    const fsModule = createRequire(__filename)('node:fs') as typeof fs;
    const renames: string[] = [];
    const renameSync = fsModule.renameSync;
    fsModule.renameSync = (from: fs.PathLike, to: fs.PathLike) => {
      renames.push(String(to));
      renameSync(from, to);
    };
    try {
      let changed = false;
      const deleted = await store.deleteByUser('7', {
        onProgress: () => {
          if (!changed) {
            changed = true;
            rewrite(file, keys[0]!, '7');
            rewrite(file, keys[1]!, '8');
          }
        },
      });
      assert.equal(deleted, 299);
      assert.equal(await store.count({ userId: '7' }), 0);
      assert.equal(await store.count({ userId: '8' }), 51);
      assert.equal(userOf(await store.get(keys[1]!)), '8');
      if (driver === 'sqljs') {
        assert.ok(renames.filter((to) => to === file).length <= 3, `${renames.length} whole-file writes`);
      }
    } finally {
      fsModule.renameSync = renameSync;
      await store.close();
    }
  });
}

/** Two more: past one statement's share and one page of the scan, and a session Django deletes itself meanwhile. */
function logoutEdges(driver: SqliteDriverChoice, remove: (file: string, key: string) => void): void {
  it('logs a user out of more sessions than one scan page holds, a few statements at a time', async () => {
    const file = await sqliteFromFixture('sessions.sql');
    await addUserSessions(file, [...Array<string>(1200).fill('7'), ...Array<string>(10).fill('8')]);
    const store = await open(file, driver);
    try {
      assert.equal(await store.deleteByUser('7'), 1200);
      assert.deepEqual([await store.count({ userId: '7' }), await store.count({ userId: '8' })], [0, 10]);
    } finally {
      await store.close();
    }
  });

  it('does not count as logged out a session Django deleted itself during the scan', async () => {
    const file = await sqliteFromFixture('sessions.sql');
    const keys = await addUserSessions(file, Array<string>(5).fill('7'));
    const store = await open(file, driver);
    try {
      let removed = false;
      const deleted = await store.deleteByUser('7', {
        onProgress: () => {
          if (!removed) {
            removed = true;
            remove(file, keys[2]!);
          }
        },
      });
      assert.equal(deleted, 4);
      assert.equal(await store.count({ userId: '7' }), 0);
    } finally {
      await store.close();
    }
  });
}

function userOf(record: { raw: string } | undefined): unknown {
  return record && decodeSessionData(record.raw, { secretKeys: [K] }).data.get('_auth_user_id');
}

describe('SQLite session operations on sql.js', () => {
  operations('sqljs');
  logoutOfMany('sqljs', (file, key, user) => {
    // Django's write, as another process makes it: the file changes under the store's snapshot.
    const db = new sqlJs!.Database(fs.readFileSync(file));
    db.run('UPDATE django_session SET session_data = ? WHERE session_key = ?', [encodeSessionData(data({ _auth_user_id: user, again: 'yes' }), { secretKeys: [K] }), key]);
    fs.writeFileSync(file, db.export());
    db.close();
  });
  logoutEdges('sqljs', (file, key) => {
    const db = new sqlJs!.Database(fs.readFileSync(file));
    db.run('DELETE FROM django_session WHERE session_key = ?', [key]);
    fs.writeFileSync(file, db.export());
    db.close();
  });
});

describe('SQLite session operations on node:sqlite', function () {
  const sqlite = nodeSqlite();
  if (sqlite) {
    operations('node');
    logoutOfMany('node', (file, key, user) => {
      const db = new sqlite.DatabaseSync(file);
      db.prepare('UPDATE django_session SET session_data = ? WHERE session_key = ?').run(encodeSessionData(data({ _auth_user_id: user, again: 'yes' }), { secretKeys: [K] }), key);
      db.close();
    });
    logoutEdges('node', (file, key) => {
      const db = new sqlite.DatabaseSync(file);
      db.prepare('DELETE FROM django_session WHERE session_key = ?').run(key);
      db.close();
    });

    it('clears in more, shorter batches when the opener gives a short lock budget (node:sqlite)', async () => {
      const rows = 100_000;
      const batches = async (lockBudgetMs?: number): Promise<number> => {
        const file = await sqliteFromFixture('sessions.sql');
        const db = new sqlite.DatabaseSync(file);
        db.exec('DELETE FROM django_session');
        db.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows}) INSERT INTO django_session SELECT printf('expired%025d', i), 'x', '2001-01-01 00:00:00' FROM n`);
        db.close();
        const descriptor = parseStoreUrl(`sqlite://${file}`, '/', { secretKeys: [K], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 });
        const bulk = await openStore(descriptor, { sqliteDriver: 'node', lockBudgetMs });
        try {
          const progress: number[] = [];
          assert.equal(await bulk.clearExpired({ onProgress: (n) => progress.push(n) }), rows);
          assert.equal(await bulk.count(), 0);
          return progress.length;
        } finally {
          await bulk.close();
        }
      };
      const file = await sqliteFromFixture('sessions.sql');
      const descriptor = parseStoreUrl(`sqlite://${file}`, '/', { secretKeys: [K], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 });
      for (const bad of [0, -5, NaN, Infinity]) {
        await assert.rejects(openStore(descriptor, { sqliteDriver: 'node', lockBudgetMs: bad }), isCode('bad-input'));
      }
      // A batch grows at most 4x on the last one's time, so a 50 ms budget's first range of 1,250
      // rowids needs at least four batches for 100,000 rows, whatever this machine's speed.
      const short = await batches(50);
      assert.ok(short >= 4, `${short} batches`);
      assert.ok(short > (await batches()), 'the default budget takes fewer, larger batches');
    });
    return;
  }
  passesInNode22(__filename);
});
