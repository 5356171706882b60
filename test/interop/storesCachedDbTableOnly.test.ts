import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tempProject } from '../unit/engine/project/tempProject';
import { cli } from './cliRun';
import { PYTHON, requireDjango } from './realDjango';

/** Runs `code` in real Django with the project's settings (cwd the project, as manage.py runs); returns its last stdout line. */
function django(dir: string, code: string): string {
  const run = spawnSync(PYTHON, ['-c', `import django\ndjango.setup()\nfrom importlib import import_module\nfrom django.conf import settings\nStore = import_module(settings.SESSION_ENGINE).SessionStore\n${code}`], {
    cwd: dir,
    env: { ...process.env, DJANGO_SETTINGS_MODULE: 'proj.settings', PYTHONPATH: dir },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim().split('\n').pop() ?? '';
}

/** A cached_db project on SQLite whose session cache is `backend`, migrated, with one session Django saved; its key. */
function project(backend: string): { dir: string; key: string } {
  const dir = tempProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    'proj/__init__.py': '',
    'proj/settings.py': [
      'SECRET_KEY = "table-only-secret-key-0123456789abcdefghijklmnop"',
      // Django 3.2's default, said: left unset, the product cannot tell it from 5.0's.
      'USE_TZ = False',
      'INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"]',
      'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}',
      `CACHES = {"default": {"BACKEND": "${backend}"}}`,
      'SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"',
      '',
    ].join('\n'),
  });
  django(dir, 'from django.core.management import call_command\ncall_command("migrate", verbosity=0)');
  const key = django(dir, 's = Store()\ns["cart"] = [1, 2]\ns.save()\nprint(s.session_key)');
  return { dir, key };
}

/** The session's data as Django loads it through the cached_db engine, as JSON. */
function djangoData(dir: string, key: string): unknown {
  return JSON.parse(django(dir, `import json\nprint(json.dumps(dict(Store("${key}"))))`));
}

/**
 * cached_db whose cache other programs cannot reach: every session Django saved is in the table,
 * so it is listed from there; changes go to the table under DummyCache, which caches nothing, and
 * are refused under LocMemCache, whose per-process copies Django would serve and save back.
 */
describe('cached_db on a cache only Django processes reach, with real Django', function () {
  this.timeout(60_000);
  before(function () {
    requireDjango(this);
  });

  it('DummyCache: lists the table, and a change is what Django then loads', async () => {
    const { dir, key } = project('django.core.cache.backends.dummy.DummyCache');
    const base = ['--project', dir];
    assert.equal((await cli([...base, 'count'])).out.trim(), '1');
    assert.deepEqual(JSON.parse((await cli([...base, '--json', 'show', key])).out).data, { cart: [1, 2] });
    assert.equal((await cli([...base, 'set', key, 'cart', '[3]'])).code, 0);
    assert.deepEqual(djangoData(dir, key), { cart: [3] });
    assert.equal((await cli([...base, 'flush', key])).code, 0);
    assert.deepEqual(djangoData(dir, key), {});
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('LocMemCache: lists the table, refuses changes with the reason (exit 3), and Django keeps its data', async () => {
    const { dir, key } = project('django.core.cache.backends.locmem.LocMemCache');
    const base = ['--project', dir];
    assert.equal((await cli([...base, 'count'])).out.trim(), '1');
    assert.deepEqual(JSON.parse((await cli([...base, '--json', 'show', key])).out).data, { cart: [1, 2] });
    for (const change of [['set', key, 'cart', '[3]'], ['flush', key], ['expire', key, '--now'], ['logout-user', '1']]) {
      const refused = await cli([...base, ...change]);
      assert.equal(refused.code, 3, change.join(' '));
      assert.match(refused.err, /The session cache is LocMemCache, which each Django process keeps to itself: .*could be undone/, change.join(' '));
    }
    assert.deepEqual(djangoData(dir, key), { cart: [1, 2] });
    const drift = await cli([...base, 'list', '--cache-drift']);
    assert.deepEqual([drift.code, drift.err.trim()], [2, 'django-sessions: --cache-drift: cached_db:default+default is cached_db on LocMemCache, which this tool does not read, so only its table is read.']);
    // Deleting expired rows is what Django's own clearsessions does for cached_db.
    assert.equal((await cli([...base, 'clear-expired'])).code, 0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
