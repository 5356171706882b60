import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { lintProject } from '../../engine/src';
import { tempProject } from '../unit/engine/project/tempProject';
import { PYTHON, requireDjango } from './realDjango';

const HEAD = [
  'import json',
  'import os',
  'SECRET_KEY = "deploy-growing-lists-0123456789abcdefghijklmnopqrstuvwxyz"',
  'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}',
  'INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"]',
  'MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]',
  'SESSION_COOKIE_SECURE = False',
].join('\n');

/**
 * INSTALLED_APPS and MIDDLEWARE grown in ways static reading cannot follow (Label Studio's
 * conditional append, django-oscar's `+ get_core_apps()`, PostHog's try/except ImportError/else,
 * Kiwi TCMS's plugin loop): each still holds the sessions app and middleware, so Django's
 * `check --deploy` gives security.W012, and so must the lint.
 */
const CASES: Record<string, string> = {
  'an append under a condition that cannot be decided': 'if json.loads(os.environ.get("ENABLE_CSP", "true")):\n    MIDDLEWARE.append("django.middleware.security.SecurityMiddleware")',
  'a literal list plus what a call gives': 'INSTALLED_APPS = INSTALLED_APPS + json.loads(os.environ.get("EXTRA_APPS", "[]"))',
  'an append in the else of a try around an import': 'try:\n    import no_such_toolbar_module\nexcept ImportError:\n    pass\nelse:\n    INSTALLED_APPS.append("no_such_toolbar_module")',
  "a project function that extends it with what a module it imports gives (authentik's _update_settings)":
    'import importlib\ndef _update_settings(path):\n    try:\n        module = importlib.import_module(path)\n        INSTALLED_APPS.extend(getattr(module, "INSTALLED_APPS", []))\n    except ImportError:\n        pass\nfor _app in list(INSTALLED_APPS):\n    _update_settings(f"{_app}.settings")',
  "an insert placed by the list's own index (django-debug-toolbar's documented idiom)":
    'MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1, "debug_toolbar.middleware.DebugToolbarMiddleware")',
  'appends in a loop over what a call gives': 'for name in json.loads(os.environ.get("PLUGINS", "[]")):\n    INSTALLED_APPS.append(name)\nMIDDLEWARE += json.loads(os.environ.get("EXTRA_MIDDLEWARE", "[]"))',
};

function djangoDeployChecks(dir: string): string {
  const run = spawnSync(PYTHON, ['manage.py', 'check', '--deploy'], { cwd: dir, encoding: 'utf8', env: { ...process.env, DJANGO_SETTINGS_MODULE: 'proj.settings' } });
  return `${run.stdout}${run.stderr}`;
}

describe('deploy checks on lists grown in ways static reading cannot follow, with real Django', function () {
  this.timeout(60_000);
  before(function () {
    requireDjango(this);
  });

  for (const [name, tail] of Object.entries(CASES)) {
    it(name, async () => {
      const dir = tempProject({
        'manage.py': 'import os, sys\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\nfrom django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n',
        'proj/__init__.py': '',
        'proj/settings.py': `${HEAD}\n${tail}\n`,
      });
      assert.match(djangoDeployChecks(dir), /security\.W012/);
      const codes = (await lintProject(dir, { env: {} })).map((diagnostic) => diagnostic.code);
      assert.ok(codes.includes('security.W012'), codes.join(', '));
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }

  it("and W011 where no way the settings may go installs the app by that name (django-wiki's AppConfig name and debug-toolbar try)", async () => {
    const dir = tempProject({
      'manage.py': 'import os, sys\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\nfrom django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n',
      'proj/__init__.py': '',
      'proj/settings.py': `${HEAD.replace('"django.contrib.sessions"]', '"django.contrib.sessions.apps.SessionsConfig"]')}\ntry:\n    import no_such_toolbar_module\n    INSTALLED_APPS = list(INSTALLED_APPS) + ["no_such_toolbar_module"]\nexcept ImportError:\n    pass\n`,
    });
    const django = djangoDeployChecks(dir);
    assert.match(django, /security\.W011/);
    assert.doesNotMatch(django, /security\.W012/);
    const codes = (await lintProject(dir, { env: {} })).map((diagnostic) => diagnostic.code);
    assert.deepEqual(codes.filter((code) => code.startsWith('security.')), ['security.W011']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('and none where the list may lose the app (a remove that cannot be followed)', async () => {
    const dir = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
      'proj/__init__.py': '',
      'proj/settings.py': `${HEAD}\nif json.loads(os.environ.get("NO_SESSIONS", "false")):\n    INSTALLED_APPS.remove("django.contrib.sessions")\n    MIDDLEWARE.clear()\n`,
    });
    const codes = (await lintProject(dir, { env: {} })).map((diagnostic) => diagnostic.code);
    assert.ok(!codes.some((code) => code.startsWith('security.')), codes.join(', '));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
