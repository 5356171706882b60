import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, parseStoreUrl, PyDict, StoreError, type SessionStore } from '../../../../engine/src';
import { sqliteFromFixture } from './sqliteFixture';

const K = 'k'.repeat(50);
const refused = (e: unknown) => e instanceof StoreError && e.code === 'write-refused';

function openSqlJs(file: string): Promise<SessionStore> {
  return openStore(parseStoreUrl(`sqlite://${file}`, '/', { secretKeys: [K], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }), { sqliteDriver: 'sqljs' });
}

/** Python's sqlite3 writes a WAL database whose latest rows live only in the -wal file. */
function walDatabase(): string | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-wal-'));
  const script = `
import shutil, sqlite3, sys
src, dst = sys.argv[1], sys.argv[2]
c = sqlite3.connect(src)
c.execute("PRAGMA journal_mode=wal"); c.execute("PRAGMA wal_autocheckpoint=0")
c.execute('CREATE TABLE "django_session" ("session_key" varchar(40) NOT NULL PRIMARY KEY, "session_data" text NOT NULL, "expire_date" datetime NOT NULL)')
c.commit()
c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
for i in range(50):
    c.execute("INSERT INTO django_session VALUES (?, ?, ?)", ("walsession%022d" % i, "e30:1r31eq:mxsqktGezvWYK0Di-uP2g9iwv86zUZom0PisE84KEXc", "2099-01-01 00:00:00"))
    c.commit()
c.execute("INSERT INTO django_session VALUES ('uncommitted0000000000', 'x', '2099-01-01 00:00:00')")
shutil.copy(src, dst); shutil.copy(src + "-wal", dst + "-wal")
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script, path.join(dir, 'src.sqlite3'), path.join(dir, 'db.sqlite3')], { encoding: 'utf8' });
  if (r.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  return path.join(dir, 'db.sqlite3');
}

describe('sql.js snapshot and write guard', () => {
  it('refuses to write over a file that changed since it was read, and leaves it as the other writer left it', async () => {
    const file = await sqliteFromFixture('sessions.sql');
    const store = await openSqlJs(file);
    try {
      const other = await openSqlJs(file);
      await other.delete('garbage00000000000000000000000005');
      await other.close();
      const afterOther = fs.readFileSync(file);
      await assert.rejects(store.save('newsession000000000000000000000a', new PyDict([['a', 1n]]), { create: true }), (e: unknown) => refused(e) && /changed since it was read/.test((e as Error).message));
      assert.deepEqual(fs.readFileSync(file), afterOther);
    } finally {
      await store.close();
    }
  });

  it('refuses to write while a hot rollback journal or a WAL file exists', async () => {
    const file = await sqliteFromFixture('sessions.sql');
    const store = await openSqlJs(file);
    try {
      fs.writeFileSync(`${file}-journal`, Buffer.from('\xd9\xd5\x05\xf9\x20\xa1\x63\xd7 journal header', 'latin1'));
      await assert.rejects(store.delete('garbage00000000000000000000000005'), (e: unknown) => refused(e) && /journal/.test((e as Error).message));
      fs.rmSync(`${file}-journal`);
      fs.writeFileSync(`${file}-wal`, '');
      await assert.rejects(store.delete('garbage00000000000000000000000005'), (e: unknown) => refused(e) && /WAL/.test((e as Error).message));
      fs.rmSync(`${file}-wal`);
      assert.equal(await store.delete('garbage00000000000000000000000005'), true);
      const reopened = await openSqlJs(file);
      assert.equal(await reopened.count(), 4);
      await reopened.close();
    } finally {
      await store.close();
    }
  });

  it('reads the committed rows of the WAL, not the uncommitted ones', async function () {
    const file = walDatabase();
    if (!file) {
      this.skip();
    }
    const store = await openSqlJs(file);
    try {
      assert.equal(await store.count(), 50);
      assert.equal(await store.get('uncommitted0000000000'), undefined);
      await assert.rejects(store.delete('walsession0000000000000000000000'), refused);
    } finally {
      await store.close();
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});

describe('sql.js snapshot freshness', () => {
  it("reads again after another process wrote the file, so reads never go stale and edits aren't refused", async () => {
    const file = await sqliteFromFixture('sessions.sql');
    const store = await openSqlJs(file);
    try {
      assert.equal(await store.count(), 5);
      const other = spawnSync('/usr/bin/python3', ['-c', `import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("DELETE FROM django_session WHERE session_key='plainjson00000000000000000000001'"); c.commit()`, file]);
      assert.equal(other.status, 0, String(other.stderr));
      assert.equal(await store.count(), 4);
      assert.equal(await store.get('plainjson00000000000000000000001'), undefined);
      await store.update('compressed0000000000000000000002', (data) => {
        data.set('seen', true);
      });
      assert.equal((await store.get('compressed0000000000000000000002'))?.decoded.ok, true);
    } finally {
      await store.close();
    }
  });
});
