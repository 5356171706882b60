import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import initSqlJs from 'sql.js';
import { openStore, parseStoreUrl, PyDict, StoreError, type SessionStore, type SqliteDriverChoice } from '../../../../engine/src';
import { nodeSqlite } from '../../../../engine/src/stores/sqlite/nodeSqliteDriver';
import { passesInNode22 } from './nodeSqliteRerun';
import { sqliteFromFixture, writeEmptySessionTable } from './sqliteFixture';
import { TRUSTING_ENV } from './sqlJsTrust';

const K = 'k'.repeat(50);
const NEW_KEY = 'afterremigrate000000000000000001';

const gone = (file: string) => (err: unknown) => err instanceof StoreError && err.code === 'connection' && err.message.includes(`${file} is gone: it was deleted or moved`) && !err.message.includes('\n');

/** The session keys in `file` as another process reads them. */
async function keysOnDisk(file: string): Promise<string[]> {
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const db = new SQL.Database(fs.readFileSync(file));
  try {
    return (db.exec('SELECT session_key FROM django_session ORDER BY session_key')[0]?.values ?? []).map(([key]) => String(key));
  } finally {
    db.close();
  }
}

/** `rm db.sqlite3 && manage.py migrate` (or a file moved over it) while the store is open. */
function replacedFile(driver: SqliteDriverChoice): void {
  let file: string;
  let store: SessionStore;

  beforeEach(async () => {
    file = await sqliteFromFixture('sessions.sql');
    store = await openStore(parseStoreUrl(`sqlite://${file}`, '/', { secretKeys: [K], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }), { sqliteDriver: driver, env: TRUSTING_ENV });
  });
  afterEach(() => store.close());

  it(`says the database is gone once it is deleted, then reads and writes the new one migrate makes (${driver === 'node' ? 'node:sqlite' : 'sql.js'})`, async () => {
    assert.ok((await store.count()) > 0);
    fs.rmSync(file);
    await assert.rejects(store.list({ limit: 10 }), gone(file));
    await assert.rejects(store.count(), gone(file));
    await assert.rejects(store.save(NEW_KEY, new PyDict([['n', 1n]]), { create: true }), gone(file));
    await writeEmptySessionTable(file);
    assert.deepEqual((await store.list({ limit: 10 })).sessions, [], 'the new database has no session yet');
    await store.save(NEW_KEY, new PyDict([['n', 1n]]), { create: true });
    assert.deepEqual(await keysOnDisk(file), [NEW_KEY], 'the write went to the file Django now uses');
  });

  it(`reads the file moved over the one it opened (${driver === 'node' ? 'node:sqlite' : 'sql.js'})`, async () => {
    const listed = (await store.list({ limit: 100 })).sessions.length;
    assert.ok(listed > 0);
    const other = `${file}.new`;
    await writeEmptySessionTable(other);
    fs.renameSync(other, file);
    assert.equal(await store.count(), 0);
    await store.save(NEW_KEY, new PyDict([['n', 1n]]), { create: true });
    assert.deepEqual(await keysOnDisk(file), [NEW_KEY]);
  });
}

describe('a SQLite database deleted or replaced while its store is open', function () {
  describe('sql.js', () => replacedFile('sqljs'));
  describe('node:sqlite', () => {
    if (!nodeSqlite()) {
      passesInNode22(__filename);
      return;
    }
    replacedFile('node');
  });
});
