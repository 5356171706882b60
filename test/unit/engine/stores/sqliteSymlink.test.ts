import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, parseStoreUrl, StoreError, type SessionStore, type SqliteDriverChoice } from '../../../../engine/src';
import { nodeSqlite } from '../../../../engine/src/stores/sqlite/nodeSqliteDriver';
import { passesInNode22 } from './nodeSqliteRerun';
import { sqliteFromFixture } from './sqliteFixture';
import { TRUSTING_ENV } from './sqlJsTrust';

const K = 'k'.repeat(50);
const WAL_ONLY = 'inwalonly000000000000000000000001';
const links: string[] = [];
after(() => links.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function open(file: string, driver: SqliteDriverChoice): Promise<SessionStore> {
  return openStore(parseStoreUrl(`sqlite://${file}`, '/', { secretKeys: [K], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }), { sqliteDriver: driver, env: TRUSTING_ENV });
}

/** `real` linked from another directory, as a project's db.sqlite3 pointing at a data volume; returns the link. */
function linkTo(real: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-link-'));
  links.push(dir);
  const link = path.join(dir, 'db.sqlite3');
  fs.symlinkSync(real, link);
  return link;
}

/** Python's sqlite3 turns the fixture into a WAL database whose last session lives only in the -wal next to it, as a killed Django leaves it. */
function moveIntoWal(file: string): void {
  const script = `
import shutil, sqlite3, sys
src = sys.argv[1]
work = src + ".work"
shutil.copy(src, work)
c = sqlite3.connect(work)
c.execute("PRAGMA journal_mode=wal"); c.execute("PRAGMA wal_autocheckpoint=0")
c.execute("INSERT INTO django_session VALUES (?, 'e30:1r31eq:mxsqktGezvWYK0Di-uP2g9iwv86zUZom0PisE84KEXc', '2099-01-01 00:00:00')", (sys.argv[2],))
c.commit()
shutil.copy(work, src); shutil.copy(work + "-wal", src + "-wal")
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script, file, WAL_ONLY], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  for (const name of [`${file}.work`, `${file}.work-wal`, `${file}.work-shm`]) {
    fs.rmSync(name, { force: true });
  }
}

/** What both drivers do with a database reached through a symlink. */
function throughLink(driver: SqliteDriverChoice): void {
  it(`writes the real file and leaves the link a link (${driver === 'node' ? 'node:sqlite' : 'sql.js'})`, async () => {
    const real = await sqliteFromFixture('sessions.sql');
    const link = linkTo(real);
    const store = await open(link, driver);
    try {
      assert.equal(await store.delete('garbage00000000000000000000000005'), true);
    } finally {
      await store.close();
    }
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link was replaced by a file');
    const direct = await open(real, driver);
    try {
      assert.equal(await direct.get('garbage00000000000000000000000005'), undefined);
      assert.equal(await direct.count(), 4);
    } finally {
      await direct.close();
    }
  });

  it(`reads the sessions in the WAL next to the real file (${driver === 'node' ? 'node:sqlite' : 'sql.js'})`, async () => {
    const real = await sqliteFromFixture('sessions.sql');
    moveIntoWal(real);
    const store = await open(linkTo(real), driver);
    try {
      assert.ok(await store.get(WAL_ONLY), 'the session in the WAL is read');
      assert.equal(await store.count(), 6);
    } finally {
      await store.close();
    }
  });
}

describe('SQLite through a symlink on sql.js', () => {
  throughLink('sqljs');

  it('refuses a write while the WAL or a hot journal next to the real file is live, keeping the link', async () => {
    const real = await sqliteFromFixture('sessions.sql');
    const link = linkTo(real);
    const store = await open(link, 'sqljs');
    try {
      fs.writeFileSync(`${real}-journal`, Buffer.from('\xd9\xd5\x05\xf9\x20\xa1\x63\xd7 journal header', 'latin1'));
      await assert.rejects(store.delete('garbage00000000000000000000000005'), (e: unknown) => e instanceof StoreError && e.code === 'write-refused' && /journal/.test(e.message));
      fs.rmSync(`${real}-journal`);
      fs.writeFileSync(`${real}-wal`, '');
      await assert.rejects(store.delete('garbage00000000000000000000000005'), (e: unknown) => e instanceof StoreError && e.code === 'write-refused' && /WAL/.test(e.message));
    } finally {
      await store.close();
    }
    assert.ok(fs.lstatSync(link).isSymbolicLink());
  });
});

describe('SQLite through a symlink on node:sqlite', function () {
  if (nodeSqlite()) {
    throughLink('node');
    return;
  }
  passesInNode22(__filename);
});
