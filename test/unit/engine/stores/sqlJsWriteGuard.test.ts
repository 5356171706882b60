import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Database } from 'sql.js';
import { decodeSessionData, openStore, parseStoreUrl, PyDict, StoreError, type SessionStore } from '../../../../engine/src';
import { openElsewhereCheck, type OpenElsewhere } from '../../../../engine/src/stores/sqlite/openByOthers';
import { SqlJsDriver } from '../../../../engine/src/stores/sqlite/sqlJsDriver';
import { sqliteFromFixture } from './sqliteFixture';
import { TRUSTING_ENV } from './sqlJsTrust';

const K = 'k'.repeat(50);
/** The fs module object the driver calls, for injecting a moment or a failure into its write-back. */
const liveFs = createRequire(__filename)('node:fs') as { fsyncSync: typeof fs.fsyncSync; renameSync: typeof fs.renameSync };
const NOT_OPEN = (): OpenElsewhere => ({ state: 'not-open' });
const refused = (e: unknown) => e instanceof StoreError && e.code === 'write-refused';

function openSqlJs(file: string): Promise<SessionStore> {
  return openStore(parseStoreUrl(`sqlite://${file}`, '/', { secretKeys: [K], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }), { sqliteDriver: 'sqljs', env: TRUSTING_ENV });
}

/** Another process (Python's sqlite3) changes the file and exits, as an idle Django's request would. */
function otherProcessWrites(file: string, sql: string): void {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()', file, sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

function expireDateOf(file: string, key: string): string {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT expire_date FROM django_session WHERE session_key=?", (sys.argv[2],)).fetchone()[0])', file, key], {
    encoding: 'utf8',
  });
  return r.stdout.trim();
}

/** Python's sqlite3 writes a WAL database whose latest rows live only in the -wal file. */
function walDatabase(): string {
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
  assert.equal(r.status, 0, `python3 made no WAL database: ${r.stderr}`);
  return path.join(dir, 'db.sqlite3');
}

describe('sql.js snapshot and write guard', () => {
  it('writes on a fresh snapshot after another process changed the file, keeping that change (every write op)', async () => {
    const file = await sqliteFromFixture('sessions.sql');
    const store = await openSqlJs(file);
    const watched = 'plainjson00000000000000000000001';
    try {
      const read = await store.get('compressed0000000000000000000002');
      let cycled = '';
      const writes: Array<[string, () => Promise<unknown>]> = [
        ['delete', () => store.delete('garbage00000000000000000000000005')],
        ['clearExpired', () => store.clearExpired()],
        ['save(create)', () => store.save('newsession000000000000000000000a', new PyDict([['a', 1n]]), { create: true })],
        ['save(expectedRaw)', () => store.save('compressed0000000000000000000002', new PyDict([['b', 2n]]), { expectedRaw: read!.raw })],
        ['setExpiry', () => store.setExpiry('newsession000000000000000000000a', { kind: 'seconds', seconds: 60 })],
        ['cycleKey', async () => (cycled = (await store.cycleKey('newsession000000000000000000000a')).key)],
      ];
      for (const [i, [name, write]] of writes.entries()) {
        const year = 2090 + i;
        otherProcessWrites(file, `UPDATE django_session SET expire_date='${year}-01-01 00:00:00' WHERE session_key='${watched}'`);
        await write();
        assert.equal(expireDateOf(file, watched), `${year}-01-01 00:00:00`, `${name} kept the other process's change`);
      }
      const reopened = await openSqlJs(file);
      assert.equal(await reopened.get('garbage00000000000000000000000005'), undefined);
      assert.equal(await reopened.count({ state: 'expired' }), 0);
      assert.equal(await reopened.get('newsession000000000000000000000a'), undefined);
      assert.ok(await reopened.get(cycled));
      assert.equal(decodeSessionData((await reopened.get('compressed0000000000000000000002'))!.raw, { secretKeys: [K] }).data.get('b'), 2n);
      await reopened.close();
    } finally {
      await store.close();
    }
  });

  it('still refuses, and keeps the other write, when the file changes while a write runs', async () => {
    const file = await sqliteFromFixture('sessions.sql');
    const driver = await SqlJsDriver.open(file, () => ({ state: 'not-open' }));
    try {
      // A SQL function runs inside the statement, after the guard's first check and before the file is replaced.
      (driver as unknown as { db: Database }).db.create_function('other_process_writes', () => {
        otherProcessWrites(file, "UPDATE django_session SET expire_date='2091-01-01 00:00:00' WHERE session_key='plainjson00000000000000000000001'");
        return 1;
      });
      await assert.rejects(
        driver.run(`DELETE FROM django_session WHERE session_key = ? AND other_process_writes() = 1`, ['garbage00000000000000000000000005']),
        (e: unknown) => refused(e) && /changed while this write ran/.test((e as Error).message),
      );
      assert.equal(expireDateOf(file, 'plainjson00000000000000000000001'), '2091-01-01 00:00:00');
      assert.equal((await driver.all('SELECT COUNT(*) AS n FROM django_session', []))[0]?.n, 5, 'our delete was not written');
    } finally {
      await driver.close();
    }
  });

  it('refuses, keeping the other write, when a commit lands while the copy is written and synced', async () => {
    const file = await sqliteFromFixture('sessions.sql');
    const driver = await SqlJsDriver.open(file, NOT_OPEN);
    const fsync = liveFs.fsyncSync;
    let landed = false;
    liveFs.fsyncSync = (fd) => {
      fsync(fd);
      if (!landed) {
        landed = true;
        otherProcessWrites(file, "UPDATE django_session SET expire_date='2077-07-07 07:07:07' WHERE session_key='plainjson00000000000000000000001'");
      }
    };
    try {
      await assert.rejects(driver.run('DELETE FROM django_session WHERE session_key = ?', ['garbage00000000000000000000000005']), refused);
    } finally {
      liveFs.fsyncSync = fsync;
    }
    assert.ok(landed);
    assert.equal(expireDateOf(file, 'plainjson00000000000000000000001'), '2077-07-07 07:07:07');
    assert.equal(await driver.run('DELETE FROM django_session WHERE session_key = ?', ['garbage00000000000000000000000005']), 1, 'a retry writes');
    assert.equal(expireDateOf(file, 'plainjson00000000000000000000001'), '2077-07-07 07:07:07');
    await driver.close();
  });

  it('forgets a write the disk did not take, with a one-line error, so no later write carries it', async () => {
    const file = await sqliteFromFixture('sessions.sql');
    const driver = await SqlJsDriver.open(file, NOT_OPEN);
    const rename = liveFs.renameSync;
    liveFs.renameSync = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    try {
      await assert.rejects(driver.run('DELETE FROM django_session WHERE session_key = ?', ['garbage00000000000000000000000005']), (e: unknown) => e instanceof StoreError && e.code === 'connection' && /ENOSPC/.test(e.message) && !e.message.includes('\n'));
    } finally {
      liveFs.renameSync = rename;
    }
    const count = async (d: SqlJsDriver) => (await d.all('SELECT COUNT(*) AS n FROM django_session WHERE session_key = ?', ['garbage00000000000000000000000005']))[0]!.n;
    assert.equal(await count(driver), 1, 'the failed delete is not seen');
    await driver.run('DELETE FROM django_session WHERE session_key = ?', ['plainjson00000000000000000000001']);
    const fresh = await SqlJsDriver.open(file, NOT_OPEN);
    assert.equal(await count(fresh), 1, 'nor written by the next write');
    assert.deepEqual(fs.readdirSync(path.dirname(file)).filter((n) => n.includes('.djs-')), [], 'no temp file left');
    await fresh.close();
    await driver.close();
  });

  it("refuses when another process holds the file open, or when it cannot tell, saying why and what to do", async () => {
    for (const [answer, expected] of [
      [{ state: 'open' }, /open in another process/],
      [{ state: 'unknown', reason: 'the open files of process 7 cannot be read (EACCES)' }, /Cannot tell .*process 7 .*Node ≥ 22\.5.*DJANGO_SESSIONS_TRUST_UNSEEN_PROCESSES=1/],
    ] as Array<[OpenElsewhere, RegExp]>) {
      const file = await sqliteFromFixture('sessions.sql');
      const before = fs.readFileSync(file);
      const driver = await SqlJsDriver.open(file, () => answer);
      try {
        await assert.rejects(driver.run('DELETE FROM django_session', []), (e: unknown) => refused(e) && expected.test((e as Error).message) && !(e as Error).message.includes('\n'));
        assert.deepEqual(fs.readFileSync(file), before);
      } finally {
        await driver.close();
      }
    }
  });

  it('scans /proc before the copy is written and again right before the file is replaced, and not for a statement that changed nothing', async () => {
    const file = await sqliteFromFixture('sessions.sql');
    const check = openElsewhereCheck(TRUSTING_ENV);
    const seen: { replaced: boolean; copyWritten: boolean }[] = [];
    const before = fs.readFileSync(file);
    const copies = () => fs.readdirSync(path.dirname(file)).filter((name) => name.includes('.djs-'));
    const driver = await SqlJsDriver.open(file, (f) => {
      seen.push({ replaced: !fs.readFileSync(f).equals(before), copyWritten: copies().some((name) => fs.statSync(path.join(path.dirname(file), name)).size > 0) });
      return check(f);
    });
    try {
      assert.equal(await driver.run('DELETE FROM django_session WHERE session_key = ?', ['garbage00000000000000000000000005']), 1);
      assert.deepEqual(seen, [
        { replaced: false, copyWritten: false },
        { replaced: false, copyWritten: true },
      ]);
      assert.equal(await driver.run('DELETE FROM django_session WHERE session_key = ?', ['garbage00000000000000000000000005']), 0);
      assert.equal(seen.length, 2, 'nothing to write, nothing to scan');
    } finally {
      await driver.close();
    }
  });

  it('refuses, keeping the file and leaving no copy, when a process opens the file while the copy is written (a request of a Django with CONN_MAX_AGE = 0)', async () => {
    const file = await sqliteFromFixture('sessions.sql');
    const before = fs.readFileSync(file);
    let scans = 0;
    const driver = await SqlJsDriver.open(file, () => (++scans === 2 ? { state: 'open' } : { state: 'not-open' }));
    try {
      await assert.rejects(driver.run('DELETE FROM django_session', []), (e: unknown) => refused(e) && /open in another process/.test((e as Error).message));
      assert.deepEqual(fs.readFileSync(file), before);
      assert.deepEqual(fs.readdirSync(path.dirname(file)).filter((name) => name.includes('.djs-')), []);
    } finally {
      await driver.close();
    }
  });

  it("keeps the database's mode bits exactly (the umask would drop group write), and its owner and group, so a Django writing as another user still can", async () => {
    const file = await sqliteFromFixture('sessions.sql');
    fs.chmodSync(file, 0o664);
    const root = process.getuid?.() === 0;
    if (root) {
      fs.chownSync(file, 65534, 65534);
    }
    const driver = await SqlJsDriver.open(file, NOT_OPEN);
    try {
      assert.equal(await driver.run('DELETE FROM django_session WHERE session_key = ?', ['garbage00000000000000000000000005']), 1);
      const after = fs.statSync(file);
      assert.equal(after.mode & 0o7777, 0o664);
      if (root) {
        assert.deepEqual([after.uid, after.gid], [65534, 65534]);
      }
    } finally {
      await driver.close();
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

  it('reads the committed rows of the WAL, not the uncommitted ones', async () => {
    const file = walDatabase();
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

  it('says how to checkpoint a WAL that a killed Django left, which no retry removes, and writes once it is checkpointed', async () => {
    const made = walDatabase();
    const dir = path.join(path.dirname(made), "Django's data");
    fs.mkdirSync(dir);
    const file = path.join(dir, 'db.sqlite3');
    fs.renameSync(made, file);
    fs.renameSync(`${made}-wal`, `${file}-wal`);
    const remove = ['DELETE FROM django_session WHERE session_key = ?', ['walsession0000000000000000000000']] as const;
    const stopped = await SqlJsDriver.open(file, NOT_OPEN);
    try {
      let command = '';
      await assert.rejects(stopped.run(...remove), (e: unknown) => {
        command = /Checkpoint it once with: (sqlite3 .*;") \(or run any query in python manage\.py dbshell\), then retry/.exec((e as Error).message)?.[1] ?? '';
        return refused(e) && /no running process has open, left by a Django that was killed or crashed/.test((e as Error).message) && !(e as Error).message.includes('\n');
      });
      const running = await SqlJsDriver.open(file, () => ({ state: 'open' }));
      await assert.rejects(running.run(...remove), (e: unknown) => refused(e) && /stop Django and retry\.$/.test((e as Error).message));
      await running.close();
      const checkpoint = spawnSync('sh', ['-c', command], { encoding: 'utf8' });
      assert.equal(checkpoint.status, 0, `${command}: ${checkpoint.stderr}`);
      assert.equal(fs.existsSync(`${file}-wal`), false, 'the checkpoint removed the WAL');
      assert.equal(await stopped.run(...remove), 1);
      assert.equal((await stopped.all('SELECT COUNT(*) AS n FROM django_session', []))[0]?.n, 49, 'the sessions that were in the WAL are kept');
    } finally {
      await stopped.close();
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
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
