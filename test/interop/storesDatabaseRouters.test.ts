import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from './cliRun';
import { PYTHON, requireDjango } from './realDjango';

const SECRET = 'stores-routers-secret-key-0123456789-abcdefghijklmno';
const ROUTERS_WARNING = /DATABASE_ROUTERS may route sessions to another database; the store shown is 'default'/;

const SETTINGS = `SECRET_KEY = '${SECRET}'
USE_TZ = True
TIME_ZONE = 'UTC'
INSTALLED_APPS = ['django.contrib.sessions']
DATABASES = {
    'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'default.sqlite3'},
    'sessions_db': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'sessions.sqlite3'},
}
DATABASE_ROUTERS = ['conf.routers.SessionRouter']
`;

const ROUTER = `class SessionRouter:
    def db_for_read(self, model, **hints):
        return 'sessions_db' if model._meta.app_label == 'sessions' else None

    def db_for_write(self, model, **hints):
        return 'sessions_db' if model._meta.app_label == 'sessions' else None
`;

/** Real Django in the project: both databases migrated, a routed session, and an expired row in 'default' that is not a session of this project's requests. */
const DJANGO = `import json, django
from datetime import timedelta
django.setup()
from django.core.management import call_command
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone
call_command('migrate', verbosity=0)
call_command('migrate', database='sessions_db', verbosity=0)
s = SessionStore(); s['who'] = 'routed'; s.create()
Session.objects.using('default').create(session_key='defaultrow000000000000000000001', session_data='x', expire_date=timezone.now() - timedelta(days=1))
print(json.dumps({'key': s.session_key, 'routed': list(Session.objects.using('sessions_db').values_list('session_key', flat=True))}))
`;

/**
 * Routers are code the product never runs: with DATABASE_ROUTERS set, the 'default' store it
 * shows may not hold the sessions. Real Django routes them to another alias here; the product
 * must say so wherever the store shows and must not clear expired rows there unasked.
 */
describe('interop: DATABASE_ROUTERS make the default store uncertain', function () {
  this.timeout(120_000);
  let root: string;
  let routedKey: string;

  before(function () {
    requireDjango(this);
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-routers-'));
    fs.writeFileSync(path.join(root, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n');
    fs.mkdirSync(path.join(root, 'conf'));
    fs.writeFileSync(path.join(root, 'conf', '__init__.py'), '');
    fs.writeFileSync(path.join(root, 'conf', 'settings.py'), SETTINGS);
    fs.writeFileSync(path.join(root, 'conf', 'routers.py'), ROUTER);
    const run = spawnSync(PYTHON, ['-c', DJANGO], { cwd: root, encoding: 'utf8', env: { ...process.env, DJANGO_SETTINGS_MODULE: 'conf.settings', PYTHONPATH: root } });
    assert.equal(run.status, 0, run.stderr);
    const made = JSON.parse(run.stdout) as { key: string; routed: string[] };
    assert.deepEqual(made.routed, [made.key], 'Django keeps the session in the routed database');
    routedKey = made.key;
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('stores and list warn that the shown store may not be where the sessions are', async () => {
    const stores = await cli(['--project', root, 'stores']);
    assert.equal(stores.code, 0, stores.err);
    assert.match(stores.out, ROUTERS_WARNING);
    const list = await cli(['--project', root, '--json', 'list']);
    assert.equal(list.code, 0, list.err);
    assert.match(list.err, ROUTERS_WARNING);
    const keys = (JSON.parse(list.out) as { stores: Array<{ sessions: Array<{ session_key: string }> }> }).stores[0]!.sessions.map((s) => s.session_key);
    assert.ok(!keys.includes(routedKey), "the product reads 'default', which is why it must warn");
  });

  it('refuses clear-expired and other destructive commands without --yes, deleting nothing', async () => {
    for (const args of [['clear-expired'], ['logout-user', '1'], ['flush', 'defaultrow000000000000000000001']]) {
      const refused = await cli(['--project', root, ...args]);
      assert.equal(refused.code, 2, `${args[0]}: ${refused.err}`);
      assert.match(refused.err, /may change the wrong table: .*DATABASE_ROUTERS.*--yes/);
    }
    const count = await cli(['--project', root, 'count']);
    assert.equal(count.out.trim(), '1', "the expired row in 'default' is still there");
  });
});
