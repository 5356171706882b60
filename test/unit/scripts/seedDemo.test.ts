import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { seedDemo } from '../../../scripts/seedDemo.mjs';

/** Runs `sql` on the SQLite file and writes it back; returns the first result's rows. */
async function onDatabase(file: string, sql: string): Promise<unknown[][]> {
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const db = new SQL.Database(fs.readFileSync(file));
  const [result] = db.exec(sql);
  fs.writeFileSync(file, db.export());
  db.close();
  return result?.values ?? [];
}

const LIVE = "SELECT count(*) FROM django_session WHERE expire_date > strftime('%Y-%m-%d %H:%M:%f', 'now')";

describe('seedDemo: the demo database npm start opens', () => {
  let dir: string;
  let target: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-demo-'));
    target = path.join(dir, 'db.sqlite3');
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sets the seed sessions expiring from now again, weeks after seeding, keeping data and sessions Django added', async () => {
    await seedDemo({ target });
    const [[liveWhenSeeded]] = await onDatabase(target, LIVE);
    assert.ok(Number(liveWhenSeeded) > 0);
    // Weeks later every session has expired; the visitor changed one and Django added another.
    await onDatabase(target, "UPDATE django_session SET expire_date = '2000-01-01 00:00:00.000000'");
    await onDatabase(target, "UPDATE django_session SET session_data = 'edited' WHERE session_key = (SELECT min(session_key) FROM django_session)");
    await onDatabase(target, "INSERT INTO django_session VALUES ('addedbydjango0000000000000000000', 'e30:1:x', '2000-01-02 00:00:00.000000')");

    await seedDemo({ target });

    assert.deepEqual(await onDatabase(target, LIVE), [[liveWhenSeeded]]);
    assert.deepEqual(await onDatabase(target, "SELECT count(*) FROM django_session WHERE session_data = 'edited'"), [[1]]);
    assert.deepEqual(await onDatabase(target, "SELECT expire_date FROM django_session WHERE session_key = 'addedbydjango0000000000000000000'"), [['2000-01-02 00:00:00.000000']]);
  });

  it('builds the database anew from the seed with fresh', async () => {
    await seedDemo({ target });
    await onDatabase(target, 'DELETE FROM django_session');
    assert.equal(await seedDemo({ target, fresh: true }), 'built from demo/seed.sql');
    assert.ok(Number((await onDatabase(target, 'SELECT count(*) FROM django_session'))[0]![0]) > 20);
  });

  it('leaves a database with a journal alone, as a connection may be writing it', async () => {
    await seedDemo({ target });
    await onDatabase(target, "UPDATE django_session SET expire_date = '2000-01-01 00:00:00.000000'");
    fs.writeFileSync(`${target}-wal`, '');
    assert.match(await seedDemo({ target }), /in use/);
    assert.deepEqual(await onDatabase(target, LIVE), [[0]]);
  });
});
