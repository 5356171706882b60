import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { lintProject } from '../../engine/src/analysis';
import { tempProject } from '../unit/engine/project/tempProject';
import { TRUSTING_ENV } from '../unit/engine/stores/sqlJsTrust';
import { cli } from './cliRun';
import { itOnEachDjango, PYTHON, requireDjango, requireDjango52, runInProject } from './realDjango';
import { sqliteDjangoProject } from './sqliteDjangoProject';

const SECRET = `serializer-switch-${'x'.repeat(40)}`;
const COUNT = 40;

/** Sessions Django 3.2 stored under PickleSerializer, one per line. */
function pickledSessions(): string[] {
  const script = [
    'import django',
    'from django.conf import settings',
    `settings.configure(SECRET_KEY=${JSON.stringify(SECRET)}, INSTALLED_APPS=["django.contrib.sessions"],`,
    '                   SESSION_SERIALIZER="django.contrib.sessions.serializers.PickleSerializer")',
    'django.setup()',
    'from django.contrib.sessions.backends.db import SessionStore',
    'store = SessionStore()',
    `for n in range(${COUNT}):`,
    '    print(store.encode({"_auth_user_id": str(n), "cart": "x" * n}))',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim().split('\n');
}

/** What a db SessionStore of the Django on `djangoPath` (the machine's 3.2 when undefined) makes of each under JSONSerializer: the dict, or the exception's name. */
function readUnderJson(sessions: string[], djangoPath?: string): string[] {
  const script = [
    'import json, sys',
    'import django',
    'from django.conf import settings',
    `settings.configure(SECRET_KEY=${JSON.stringify(SECRET)}, INSTALLED_APPS=["django.contrib.sessions"], LOGGING_CONFIG=None)`,
    'django.setup()',
    'from django.contrib.sessions.backends.db import SessionStore',
    'for line in json.load(sys.stdin):',
    '    try:',
    '        print(json.dumps(SessionStore().decode(line)))',
    '    except Exception as e:',
    '        print(type(e).__module__ + "." + type(e).__name__)',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(sessions), encoding: 'utf8', ...(djangoPath ? { env: { ...process.env, PYTHONPATH: djangoPath } } : {}) });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim().split('\n');
}

describe("DS206's advice on switching to JSONSerializer, against real Django", function () {
  this.timeout(120_000);
  before(function () {
    requireDjango(this);
  });

  it('Django 3.2 reads the sessions stored as pickles as empty or, for many, raises binascii.Error, as the message for 3.2 says', async () => {
    const outcomes = readUnderJson(pickledSessions());
    assert.equal(outcomes.length, COUNT);
    // Which, depends on the signed text's length: both come up among 40 (each more than a quarter of the time).
    assert.deepEqual([...new Set(outcomes)].sort(), ['binascii.Error', '{}'], outcomes.join(' '));
    const dir = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
      'proj/__init__.py': '',
      'proj/settings.py': 'SECRET_KEY = "k"\nSESSION_SERIALIZER = "django.contrib.sessions.serializers.PickleSerializer"\n',
      'requirements.txt': 'Django==3.2.25\n',
    });
    const [ds206] = (await lintProject(dir, { env: {} })).filter((d) => d.code === 'DS206');
    assert.match(ds206!.message, /use JSONSerializer \(Django 3\.2\.25 raises binascii\.Error for many sessions stored as pickles, a server error for their users: delete the stored sessions when you switch\)\.$/);
  });

  it('Django 5.2 reads them all as empty, as the message for 4.0 and later says', function () {
    const dir = requireDjango52(this);
    assert.deepEqual([...new Set(readUnderJson(pickledSessions(), dir))], ['{}']);
  });

  describe("show's account of a session stored as a pickle, once the settings say JSONSerializer", () => {
    /** A project of `djangoPath`'s Django (3.2 when undefined) whose SQLite sessions were stored under `serializer`. */
    function project(serializer: string, djangoPath: string | undefined): string {
      return sqliteDjangoProject(JSON.stringify(SECRET), [`SESSION_SERIALIZER = "django.contrib.sessions.serializers.${serializer}"`, 'LOGGING_CONFIG = None'], djangoPath);
    }

    itOnEachDjango(async (djangoPath) => {
      // 5.2 has no PickleSerializer: 3.2 stores the pickles, and each Django reads them.
      const root = project('PickleSerializer', undefined);
      try {
        const create = ['from django.core.management import call_command', 'call_command("migrate", verbosity=0)', 'from django.contrib.sessions.backends.db import SessionStore'];
        create.push(`for n in range(${COUNT}):`, '    s = SessionStore()', '    s["cart"] = "x" * n', '    s.create()', '    print(s.session_key)');
        const keys = runInProject(root, create.join('\n'), undefined).split('\n');
        fs.writeFileSync(`${root}/proj/settings.py`, fs.readFileSync(`${root}/proj/settings.py`, 'utf8').replace('PickleSerializer', 'JSONSerializer'));
        fs.writeFileSync(`${root}/requirements.txt`, `Django==${djangoPath ? '5.2' : '3.2.25'}\n`);
        const read = ['from django.contrib.sessions.backends.db import SessionStore', `for key in ${JSON.stringify(keys)}:`, '    try:', '        print(SessionStore(key).load())', '    except Exception as e:', '        print(type(e).__module__ + "." + type(e).__name__)'];
        const outcomes = runInProject(root, read.join('\n'), djangoPath).split('\n');
        assert.deepEqual([...new Set(outcomes)].sort(), djangoPath ? ['{}'] : ['binascii.Error', '{}']);
        for (const [i, key] of keys.entries()) {
          const shown = await cli(['--project', root, 'show', key], TRUSTING_ENV);
          assert.equal(shown.code, 4);
          const says = outcomes[i] === 'binascii.Error' ? /Django 3\.2\.25 raises binascii\.Error on it .*a server error on every request with its cookie; delete it\.$/ : /; Django would start an empty session for it\.$/;
          assert.match(shown.err.trim(), says, `${outcomes[i]}: ${shown.err}`);
        }
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  });
});
