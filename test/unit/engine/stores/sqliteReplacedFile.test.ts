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

const migrating = (file: string) => (err: unknown) => err instanceof StoreError && err.code === 'missing-table' && err.message.includes(`${file} has no django_session table (yet`) && !err.message.includes('\n');

/** Writes `file` as a SQLite database holding what `sql` creates. */
async function writeDatabase(file: string, sql: string): Promise<void> {
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const db = new SQL.Database();
  db.exec(sql);
  fs.writeFileSync(file, db.export());
  db.close();
}

/** Creates the session table in `file` as migrate does, through SQLite where this runtime has it (so its change counter moves). */
async function migrate(file: string): Promise<void> {
  const sqlite = nodeSqlite();
  if (!sqlite) {
    return writeEmptySessionTable(file);
  }
  const db = new sqlite.DatabaseSync(file);
  db.exec('CREATE TABLE "django_session" ("session_key" varchar(40) NOT NULL PRIMARY KEY, "session_data" text NOT NULL, "expire_date" datetime NOT NULL)');
  db.close();
}

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

  it(`says the database is gone once it is deleted, that it has no session table while migrate makes it anew, then reads and writes the new one (${driver === 'node' ? 'node:sqlite' : 'sql.js'})`, async () => {
    assert.ok((await store.count()) > 0);
    fs.rmSync(file);
    await assert.rejects(store.list({ limit: 10 }), gone(file));
    await assert.rejects(store.count(), gone(file));
    await assert.rejects(store.save(NEW_KEY, new PyDict([['n', 1n]]), { create: true }), gone(file));
    await writeDatabase(file, 'CREATE TABLE "django_migrations" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app" varchar(255) NOT NULL)');
    await assert.rejects(store.list({ limit: 10 }), migrating(file), 'the new database while its migrations run');
    await assert.rejects(store.save(NEW_KEY, new PyDict([['n', 1n]]), { create: true }), migrating(file));
    await migrate(file);
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
