import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { nodeSqlite } from '../../engine/src/stores/sqlite/nodeSqliteDriver';
import { ProjectModel } from '../../server/src/projectModel';
import { StoreRegistry } from '../../server/src/storeRegistry';
import { cli } from './cliRun';
import { trustSqlJsWrites } from './djangoDatabases';
import { passesInNode22 } from './node22Rerun';
import { requireDjango, runDjangoScript } from './realDjango';

const SECRET = 'change-watch-interop-key-0123456789-abcdefghijklmn';
const REPO = path.resolve(__dirname, '../..');
const SETTINGS = { storeUrl: '', settingsModules: {} };
/** The registry gathers changes for a second; this is that many times over, on a loaded machine. */
const QUIET_MS = 3000;
/** The driver the registry opens SQLite with on this runtime. */
const DRIVER = nodeSqlite() ? 'node:sqlite' : 'sql.js';

/** A Django project on `settings`, in a fresh temporary folder. */
function project(settings: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-change-watch-'));
  fs.writeFileSync(path.join(root, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n');
  fs.mkdirSync(path.join(root, 'site'));
  fs.writeFileSync(path.join(root, 'site', 'settings.py'), `SECRET_KEY = "${SECRET}"\nUSE_TZ = True\nTIME_ZONE = "UTC"\n${settings}`);
  return root;
}

/** The store ids the registry reports changed, and a wait for the next report. */
function reports(registry: StoreRegistry): { ids: string[]; next: () => Promise<string> } {
  const ids: string[] = [];
  let waiting: ((id: string) => void) | undefined;
  registry.onSessionsChanged((id) => {
    ids.push(id);
    waiting?.(id);
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no change was reported within 15 s')), 15_000);
      waiting = (id) => {
        clearTimeout(timer);
        waiting = undefined;
        resolve(id);
      };
    });
  return { ids, next };
}

/**
 * The Sessions view follows Django: real Django 3.2 writes sessions into the store while the
 * server's registry watches it, and the registry reports each change, but not its own edits.
 */
describe('the registry reports changes real Django makes to stores kept in files', function () {
  let root: string;
  let registry: StoreRegistry;
  let untrust: () => void;

  before(function () {
    requireDjango(this);
    untrust = trustSqlJsWrites();
  });
  after(() => untrust?.());
  afterEach(async () => {
    await registry?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it(`on an SQLite database in WAL mode, through ${DRIVER}: a session Django creates or saves, not a value the view changes`, async () => {
    root = project('DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n');
    const database = path.join(root, 'db.sqlite3');
    const config = { engine: 'db', database: { ENGINE: 'django.db.backends.sqlite3', NAME: database }, secret: SECRET, use_tz: true, time_zone: 'UTC' };
    const django = <T extends unknown[]>(ops: object[]) => runDjangoScript<T>('stores_django.py', [JSON.stringify(config)], ops);
    django([{ op: 'migrate' }]);
    const wal = spawnSync('/usr/bin/python3', ['-c', 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("pragma journal_mode=wal").fetchone()[0])', database], { encoding: 'utf8' });
    assert.equal(wal.stdout.trim(), 'wal');
    registry = new StoreRegistry(new ProjectModel(() => [root], () => SETTINGS), () => [root], () => undefined);
    const changes = reports(registry);
    const [store] = await registry.listStores(SETTINGS, true);

    let reported = changes.next();
    const [[created]] = django<[Array<{ key: string }>]>([{ op: 'create', specs: [{ data: '{"cart": [1]}', expiry: null }] }]);
    assert.equal(await reported, store!.id);

    const row = (await registry.listSessions({ storeId: store!.id, limit: 100, maskKeys: true })).sessions.find((s) => s.displayKey.startsWith(created!.key.slice(0, 4)));
    assert.ok(row);
    await registry.editSession({ storeId: store!.id, ref: row.ref, edit: { kind: 'setValue', key: 'cart', json: '[1, 2]' } });
    await sleep(QUIET_MS);
    assert.equal(changes.ids.length, 1, "the view's own change is not reported back to it");

    reported = changes.next();
    const [saved] = django<[boolean]>([{ op: 'update', key: created!.key, set: { coupon: 'X' } }]);
    assert.equal(saved, true);
    assert.equal(await reported, store!.id);
    const [[loaded]] = django<[Array<{ json: string }>]>([{ op: 'load', keys: [created!.key] }]);
    assert.equal(loaded!.json, '{"cart":[1,2],"coupon":"X"}', "Django read the view's change and added its own");
  });

  it("on a file engine's directory: a session Django creates", async () => {
    root = project('SESSION_ENGINE = "django.contrib.sessions.backends.file"\nSESSION_FILE_PATH = "/tmp/placeholder"\n');
    const sessions = path.join(root, 'sessions');
    fs.mkdirSync(sessions);
    fs.writeFileSync(path.join(root, 'site', 'settings.py'), fs.readFileSync(path.join(root, 'site', 'settings.py'), 'utf8').replace('/tmp/placeholder', sessions));
    const config = { engine: 'file', file_path: sessions, secret: SECRET, use_tz: true, time_zone: 'UTC' };
    registry = new StoreRegistry(new ProjectModel(() => [root], () => SETTINGS), () => [root], () => undefined);
    const changes = reports(registry);
    const [store] = await registry.listStores(SETTINGS, true);
    assert.equal(store!.engine, 'file');

    const reported = changes.next();
    runDjangoScript('stores_django.py', [JSON.stringify(config)], [{ op: 'create', specs: [{ data: '{"n": 1}', expiry: null }] }]);
    assert.equal(await reported, store!.id);
    assert.equal((await registry.listSessions({ storeId: store!.id, limit: 10, maskKeys: true })).sessions.length, 1);
  });

  it("list --watch prints an SQLite store's first page again when Django creates a session, one JSON document per line, and stops on Ctrl-C", async () => {
    root = project('DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n');
    const database = path.join(root, 'db.sqlite3');
    const config = { engine: 'db', database: { ENGINE: 'django.db.backends.sqlite3', NAME: database }, secret: SECRET, use_tz: true, time_zone: 'UTC' };
    const django = <T extends unknown[]>(ops: object[]) => runDjangoScript<T>('stores_django.py', [JSON.stringify(config)], ops);
    const [, [first]] = django<[null, Array<{ key: string }>]>([{ op: 'migrate' }, { op: 'create', specs: [{ data: '{"n": 1}', expiry: null }] }]);
    const watching = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'cli/src/main.ts'), '--project', root, 'list', '--watch', '--json'], { cwd: REPO });
    let out = '';
    let err = '';
    watching.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    watching.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const documents = () => out.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { stores: Array<{ sessions: Array<{ session_key: string }> }> });
    const keysIn = (n: number) => documents()[n]!.stores[0]!.sessions.map((s) => s.session_key).sort();
    const until = async (check: () => boolean, what: string) => {
      const deadline = Date.now() + 20_000;
      while (!check()) {
        assert.ok(Date.now() < deadline, `${what} within 20 s; stdout: ${out}; stderr: ${err}`);
        await sleep(100);
      }
    };
    try {
      await until(() => documents().length === 1, 'the first listing');
      assert.deepEqual(keysIn(0), [first!.key]);
      const [[second]] = django<[Array<{ key: string }>]>([{ op: 'create', specs: [{ data: '{"n": 2}', expiry: null }] }]);
      await until(() => documents().length === 2, 'a second listing after Django wrote');
      assert.deepEqual(keysIn(1), [first!.key, second!.key].sort());
      await sleep(QUIET_MS);
      assert.equal(documents().length, 2, 'nothing is printed again while nothing changes');
    } finally {
      watching.kill('SIGINT');
    }
    const code = await new Promise<number | null>((resolve) => watching.on('exit', resolve));
    assert.equal(code, 0, err);
    const refused = await cli(['--project', root, 'list', '--watch', '--cursor', 'WyIiLCIiXQ']);
    assert.deepEqual([refused.code, refused.err.trim()], [2, 'django-sessions: --watch follows the first page as it changes; it takes no --cursor.']);
  });

  describe('through node:sqlite', function () {
    if (!nodeSqlite()) {
      passesInNode22(__filename, 'change watch', /1 passing/);
    }
  });
});
