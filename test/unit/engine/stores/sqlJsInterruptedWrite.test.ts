import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore, parseStoreUrl, type SqliteDriverChoice } from '../../../../engine/src';
import { nodeSqlite } from '../../../../engine/src/stores/sqlite/nodeSqliteDriver';
import { passesInNode22 } from './nodeSqliteRerun';
import { sqliteFromFixture } from './sqliteFixture';
import { TRUSTING_ENV } from './sqlJsTrust';

const repo = path.resolve(__dirname, '../../../..');
const copies = (file: string) => fs.readdirSync(path.dirname(file)).filter((name) => name.includes('.djs-'));

/**
 * A process that deletes one session through sql.js and gets `signal` while the copy is being
 * synced, as Ctrl-C lands during a long write; `listen` gives it a listener of its own.
 */
function interruptedDelete(file: string, signal: NodeJS.Signals, listen?: 'on' | 'once'): SpawnSyncReturns<string> {
  const script = `
const fs = require('node:fs');
const { SqlJsDriver } = require(${JSON.stringify(path.join(repo, 'engine/src/stores/sqlite/sqlJsDriver.ts'))});
const fsync = fs.fsyncSync;
fs.fsyncSync = (fd) => { process.kill(process.pid, ${JSON.stringify(signal)}); fsync(fd); };
if (${listen !== undefined}) process[${JSON.stringify(listen ?? 'on')}](${JSON.stringify(signal)}, () => console.log('own listener'));
SqlJsDriver.open(process.argv[1], () => ({ state: 'not-open' }))
  .then((driver) => driver.run("DELETE FROM django_session WHERE session_key = 'garbage00000000000000000000000005'", []))
  .then((n) => console.log('deleted', n));
`;
  return spawnSync(process.execPath, ['--import', 'tsx', '-e', script, file], { cwd: repo, encoding: 'utf8' });
}

function sessionCount(file: string): string {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM django_session").fetchone()[0])', file], { encoding: 'utf8' });
  return r.stdout.trim();
}

/** A copy a killed sql.js write left is removed by whichever driver opens the database next. */
function sweepsAtOpen(driver: SqliteDriverChoice): void {
  it(`removes at the next open the copies of processes that are gone, and keeps those of running ones and other files (${driver === 'node' ? 'node:sqlite' : 'sql.js'})`, async () => {
    const file = await sqliteFromFixture('sessions.sql');
    const dir = path.dirname(file);
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim();
    const running = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    try {
      const names = {
        gone: `.db.sqlite3.djs-${gone}-1700000000000`,
        running: `.db.sqlite3.djs-${running.pid}-1700000000000`,
        ours: `.db.sqlite3.djs-${process.pid}-1700000000000`,
        otherDatabase: `.other.sqlite3.djs-${gone}-1700000000000`,
        notACopy: '.db.sqlite3.djs-notes',
      };
      for (const name of Object.values(names)) {
        fs.writeFileSync(path.join(dir, name), 'copy');
      }
      const store = await openStore(parseStoreUrl(`sqlite://${file}`, '/', { secretKeys: ['k'.repeat(50)], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }), { sqliteDriver: driver, env: TRUSTING_ENV });
      await store.close();
      assert.deepEqual(fs.readdirSync(dir).sort(), ['db.sqlite3', names.notACopy, names.running, names.ours, names.otherDatabase].sort());
    } finally {
      running.kill();
    }
  });
}

describe('sql.js: a write interrupted by a signal', function () {
  this.timeout(60_000);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`leaves no copy beside the database: ${signal} during the write takes effect once the file is replaced`, async () => {
      const file = await sqliteFromFixture('sessions.sql');
      const run = interruptedDelete(file, signal);
      assert.equal(run.signal, signal, `${run.stdout}\n${run.stderr}`);
      assert.doesNotMatch(run.stdout, /deleted/, 'the process stopped right after the write');
      assert.deepEqual(copies(file), []);
      assert.equal(sessionCount(file), '4', 'the write that had begun was completed');
    });
  }

  for (const listen of ['on', 'once'] as const) {
    it(`leaves the signal to the process's own listener (process.${listen}, as the CLI's bulk deletes use), which then decides, as without the write`, async () => {
      const file = await sqliteFromFixture('sessions.sql');
      const run = interruptedDelete(file, 'SIGINT', listen);
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(run.stdout.trim().split('\n').sort(), ['deleted 1', 'own listener']);
      assert.deepEqual(copies(file), []);
    });
  }
});

describe('copies left by a killed write', () => {
  sweepsAtOpen('sqljs');

  describe('on node:sqlite', function () {
    if (nodeSqlite()) {
      sweepsAtOpen('node');
      return;
    }
    passesInNode22(__filename);
  });
});
