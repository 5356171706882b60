import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverProjects, openStore, parseStoreUrl, pythonJsonStringify, type SessionRecord } from '../../engine/src';
import { requireDjango, runDjangoScript } from './realDjango';
import { generateSessionJson } from './sessionDataGenerator';

const SECRET = 'interop-secret-key-with-enough-entropy-0123456789-abcdef';
const SESSIONS = 300;
const repo = path.resolve(__dirname, '../..');

interface DjangoRow {
  key: string;
  json: string;
  expire_date: string;
}

/** A minimal Django project on disk whose settings point at the SQLite file Django wrote. */
function writeProject(dir: string): void {
  fs.writeFileSync(path.join(dir, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_conf.settings")\n');
  fs.mkdirSync(path.join(dir, 'site_conf'));
  fs.writeFileSync(path.join(dir, 'site_conf', '__init__.py'), '');
  fs.writeFileSync(
    path.join(dir, 'site_conf', 'settings.py'),
    [
      'from pathlib import Path',
      'BASE_DIR = Path(__file__).resolve().parent.parent',
      `SECRET_KEY = '${SECRET}'`,
      'USE_TZ = True',
      "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}",
      '',
    ].join('\n'),
  );
}

describe('interop: real Django 3.2 writes SQLite sessions, we read them', function () {
  let dir: string;
  let rows: DjangoRow[];

  before(function () {
    requireDjango(this);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-interop-'));
    writeProject(dir);
    const specs = generateSessionJson(SESSIONS).map((data, i) => ({ data, expiry: i % 3 === 0 ? 3600 + i : i % 3 === 1 ? null : -60 }));
    rows = runDjangoScript<DjangoRow[]>('django_sqlite_sessions.py', [path.join(dir, 'db.sqlite3'), SECRET, '1'], specs);
    assert.equal(rows.length, SESSIONS);
  });

  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it('finds the store from the project settings, with its SECRET_KEY', async () => {
    const [project] = await discoverProjects(dir);
    assert.ok(project);
    const store = project.stores.find((s) => s.engine === 'db');
    assert.ok(store?.database?.vendor === 'sqlite');
    assert.equal(store.database.path, path.join(dir, 'db.sqlite3'));
    assert.deepEqual(store.secretKeys.values, [SECRET]);
  });

  it('decodes every session equal to what Django reads, with a valid signature and the same expiry', async () => {
    const [project] = await discoverProjects(dir);
    const store = await openStore(project!.stores[0]!);
    try {
      assert.equal(await store.count(), SESSIONS);
      const seen: SessionRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list({ limit: 64, cursor });
        seen.push(...page.sessions);
        cursor = page.nextCursor;
      } while (cursor);
      const byKey = new Map(seen.map((r) => [r.key, r]));
      assert.equal(byKey.size, SESSIONS);
      for (const row of rows) {
        const record = byKey.get(row.key);
        assert.ok(record, `session ${row.key.slice(0, 4)} listed`);
        assert.ok(record.decoded.ok, `decodes: ${!record.decoded.ok && record.decoded.message}`);
        assert.equal(record.decoded.session.signature, 'valid');
        assert.equal(pythonJsonStringify(record.decoded.session.data), row.json);
        assert.equal(record.expireDate?.getTime(), new Date(row.expire_date).getTime());
      }
    } finally {
      await store.close();
    }
  });

  it('reads the same through the CLI, by project and by store URL', () => {
    const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(repo, 'cli/src/main.ts'), ...args], { encoding: 'utf8', cwd: repo });
    const count = cli(['--project', dir, 'count', '--json']);
    assert.equal(count.status, 0, count.stderr);
    assert.equal(JSON.parse(count.stdout).stores[0].count, SESSIONS);

    const list = cli(['--project', dir, '--json', 'list', '--limit', String(SESSIONS)]);
    assert.equal(list.status, 0, list.stderr);
    const listed = (JSON.parse(list.stdout) as { stores: Array<{ sessions: Array<{ session_key: string; signature: string; data: unknown }> }> }).stores[0]!;
    const expected = new Map(rows.map((r) => [r.key, JSON.parse(r.json)]));
    assert.equal(listed.sessions.length, SESSIONS);
    for (const s of listed.sessions) {
      assert.equal(s.signature, 'valid');
      assert.deepEqual(s.data, expected.get(s.session_key));
    }

    const byUrl = cli(['--store', `sqlite://${path.join(dir, 'db.sqlite3')}`, 'count']);
    assert.equal(byUrl.status, 0, byUrl.stderr);
    assert.equal(byUrl.stdout.trim(), String(SESSIONS));
  });

  it('opens the store by URL with the same result', async () => {
    const store = await openStore(parseStoreUrl(`sqlite:${path.join(dir, 'db.sqlite3')}`, dir, { secretKeys: [SECRET], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }));
    try {
      assert.equal(await store.count(), SESSIONS);
    } finally {
      await store.close();
    }
  });
});
