import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeSqlite } from '../../../../engine/src/stores/sqlite/nodeSqliteDriver';
import { skipOrFail } from '../../../interop/localServices';
import { passesInNode22 } from './nodeSqliteRerun';
import { sqliteFromFixture } from './sqliteFixture';

const repo = path.resolve(__dirname, '../../../..');
const root = process.getuid?.() === 0;

/**
 * Counts the sessions through node:sqlite as a user who cannot write the database's directory:
 * this user, or nobody where this is root (whom no mode keeps out). Undefined where that cannot be arranged.
 */
function countAsOutsider(file: string): { status: number | null; stdout: string; stderr: string } | undefined {
  const script = `
const { openStore, parseStoreUrl } = require(${JSON.stringify(path.join(repo, 'engine/src/index.ts'))});
const descriptor = parseStoreUrl('sqlite://' + process.argv[1], '/', { secretKeys: ['k'.repeat(50)], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 });
openStore(descriptor, { sqliteDriver: 'node' }).then((s) => s.count()).then((n) => console.log(n), (e) => { console.error(e.code + ': ' + e.message); process.exitCode = 3; });
`;
  const node = [process.execPath, '--import', 'tsx', '-e', script, file];
  if (!root) {
    return spawnSync(node[0]!, node.slice(1), { cwd: repo, encoding: 'utf8' });
  }
  if (spawnSync('setpriv', ['--version']).status !== 0) {
    return undefined;
  }
  return spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...node], { cwd: repo, encoding: 'utf8', env: { ...process.env, HOME: '/nonexistent' } });
}

describe('a WAL database in a directory the user cannot write', function () {
  if (!nodeSqlite()) {
    passesInNode22(__filename);
    return;
  }

  it('node:sqlite says that SQLite cannot create the -shm file it needs to read it, and how to fix it', async function () {
    // Two child processes, each loading the engine through tsx: seconds each on a busy machine.
    this.timeout(120_000);
    const file = await sqliteFromFixture('sessions.sql');
    const dir = path.dirname(file);
    const wal = spawnSync('/usr/bin/python3', ['-c', 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA journal_mode=wal").fetchone()[0])', file], { encoding: 'utf8' });
    assert.equal(wal.stdout.trim(), 'wal');
    assert.deepEqual(fs.readdirSync(dir), ['db.sqlite3'], 'no -wal or -shm left');
    fs.chmodSync(file, 0o644);
    fs.chmodSync(dir, 0o555);
    try {
      const run = countAsOutsider(file);
      if (!run) {
        skipOrFail(this, 'setpriv is missing, so root cannot run the count as a user kept out of the directory; install util-linux');
      }
      assert.equal(run.status, 3, run.stdout);
      assert.equal(
        run.stderr.trim(),
        `connection: ${file} is a WAL-mode database in a directory this user cannot write, so SQLite cannot create the -shm file it needs to read it. Give this user write access to ${dir}, or run this as the user Django runs as, who needs that access too.`,
      );
      fs.chmodSync(dir, 0o777);
      assert.equal(countAsOutsider(file)?.stdout.trim(), '5', 'it reads once the directory is writable');
    } finally {
      fs.chmodSync(dir, 0o755);
    }
  });
});
