import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, parseStoreUrl, pythonJsonStringify, StoreError, type SessionStore, type SqliteDriverChoice } from '../../engine/src';
import { nodeSqlite } from '../../engine/src/stores/sqlite/nodeSqliteDriver';
import { TRUST_UNSEEN_VARIABLE } from '../../engine/src/stores/sqlite/openByOthers';
import { passesInNode22 } from './node22Rerun';
import { PYTHON, requireDjango, runDjangoScript } from './realDjango';

const SECRET = 'sqlite-symlink-secret-key-0123456789-abcdefghijklmnop';

interface LinkedDatabase {
  dir: string;
  real: string;
  link: string;
  /** The session the killed Django left in the real file's -wal only. */
  key: string;
}

/**
 * A project whose db.sqlite3 is a symlink to a file on a data volume, and a Django that saved a
 * session through the link and was killed before it checkpointed (SIGKILL, as a crashed or
 * force-stopped runserver): the session is only in the -wal next to the real file.
 */
async function killedDjangoThroughLink(): Promise<LinkedDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-symlink-'));
  fs.mkdirSync(path.join(dir, 'data'));
  fs.mkdirSync(path.join(dir, 'project'));
  const real = path.join(dir, 'data', 'real.sqlite3');
  const link = path.join(dir, 'project', 'db.sqlite3');
  fs.writeFileSync(real, '');
  fs.symlinkSync(real, link);
  const worker = spawn(PYTHON, [path.join(__dirname, 'python/django_killed_sqlite_writer.py'), link, SECRET, '{"cart": [1, 2]}']);
  const exited = new Promise((resolve) => worker.on('close', resolve));
  let stdout = '';
  let stderr = '';
  worker.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const key = await new Promise<string>((resolve, reject) => {
    worker.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('\n')) {
        resolve((JSON.parse(stdout) as { key: string }).key);
      }
    });
    worker.on('close', () => reject(new Error(`the Django worker exited early: ${stderr}`)));
  });
  worker.kill('SIGKILL');
  await exited;
  assert.ok(fs.statSync(`${real}-wal`).size > 0, 'Django left its session in the WAL');
  return { dir, real, link, key };
}

/** Opens the store; the temp files are this test's alone, so another user's processes, which sql.js cannot inspect, do not count. */
function open(file: string, driver: SqliteDriverChoice): Promise<SessionStore> {
  const env = { ...process.env, [TRUST_UNSEEN_VARIABLE]: '1' };
  return openStore(parseStoreUrl(`sqlite://${file}`, '/', { secretKeys: [SECRET], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }), { sqliteDriver: driver, env });
}

function djangoLoads(file: string, key: string): unknown {
  const config = { engine: 'db', database: { ENGINE: 'django.db.backends.sqlite3', NAME: file }, secret: SECRET, use_tz: true, time_zone: 'UTC' };
  const [[loaded]] = runDjangoScript<[[{ exists: boolean; json: string }]]>('stores_django.py', [JSON.stringify(config)], [{ op: 'load', keys: [key] }]);
  assert.ok(loaded?.exists, 'Django loads the session');
  return JSON.parse(loaded.json);
}

describe('interop: a SQLite database behind a symlink, with a WAL a killed Django left', function () {
  this.timeout(120_000);
  let made: LinkedDatabase | undefined;

  beforeEach(function () {
    requireDjango(this);
  });
  afterEach(() => made && fs.rmSync(made.dir, { recursive: true, force: true }));

  it('sql.js reads the session from the WAL next to the real file, refuses to write saying how to checkpoint it, and then writes the real file', async () => {
    made = await killedDjangoThroughLink();
    const { real, link, key } = made;
    const before = fs.readFileSync(real);
    const store = await open(link, 'sqljs');
    try {
      const record = await store.get(key);
      assert.ok(record?.decoded.ok, 'the session Django saved is read');
      assert.equal(pythonJsonStringify(record.decoded.session.data), '{"cart":[1,2]}');
      let command = '';
      await assert.rejects(store.update(key, (d) => void d.set('ours', 1n)), (e: unknown) => {
        command = /Checkpoint it once with: (sqlite3 .*;")/.exec((e as Error).message)?.[1] ?? '';
        return e instanceof StoreError && e.code === 'write-refused';
      });
      assert.deepEqual(fs.readFileSync(real), before);
      assert.ok(command.startsWith(`sqlite3 ${real} `), command);
      const checkpoint = spawnSync('sh', ['-c', command], { encoding: 'utf8' });
      assert.equal(checkpoint.status, 0, checkpoint.stderr);
      await store.update(key, (d) => void d.set('ours', 1n));
    } finally {
      await store.close();
    }
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link is still a link');
    assert.deepEqual(djangoLoads(link, key), { cart: [1, 2], ours: 1 });
  });

  describe('on node:sqlite', function () {
    if (nodeSqlite()) {
      it('node:sqlite reads the session and writes through the link, and Django loads the change', async () => {
        made = await killedDjangoThroughLink();
        const { link, key } = made;
        const store = await open(link, 'node');
        try {
          assert.ok((await store.get(key))?.decoded.ok);
          await store.update(key, (d) => void d.set('ours', 1n));
        } finally {
          await store.close();
        }
        assert.ok(fs.lstatSync(link).isSymbolicLink());
        assert.deepEqual(djangoLoads(link, key), { cart: [1, 2], ours: 1 });
      });
      return;
    }
    passesInNode22(__filename, 'symlink', /1 passing/);
  });
});
