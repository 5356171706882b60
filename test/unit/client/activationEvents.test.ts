import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverProjects } from '../../../engine/src';
import { tempProject } from '../engine/project/tempProject';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** VS Code's glob for a workspace-relative path: `*` stays within one folder, `**\/` spans any number of them. */
function globMatches(glob: string, file: string): boolean {
  const source = glob
    .split(/(\*\*\/|\*)/)
    .map((part) => (part === '**/' ? '(?:[^/]+/)*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(file);
}

/** Every file below `dir`, as a `/`-separated path relative to it. */
function filesBelow(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesBelow(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

const WSGI = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n';
const SETTINGS = 'SECRET_KEY = "k"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n';

/** A reusable app's repository: its package and the test settings a test runner's configuration names, no manage.py. */
const REUSABLE_APP = { 'myapp/__init__.py': '', 'myapp/views.py': 'def view(request):\n    request.session["seen"] = True\n', 'tests/__init__.py': '' };

/**
 * Workspace layouts the Sessions view and the language server read as a Django project, without
 * settings named in VS Code, and the settings module discovery reads in each.
 */
const LAYOUTS: Record<string, [Record<string, string>, string]> = {
  'manage.py at the root': [{ 'manage.py': WSGI, 'mysite/settings.py': SETTINGS }, 'mysite.settings'],
  'manage.py two levels down': [{ 'services/api/manage.py': WSGI, 'services/api/mysite/settings.py': SETTINGS }, 'mysite.settings'],
  "a package's wsgi.py at the root": [{ 'mysite/wsgi.py': WSGI, 'mysite/settings.py': SETTINGS }, 'mysite.settings'],
  "a src/ package's wsgi.py": [{ 'src/mysite/wsgi.py': WSGI, 'src/mysite/settings.py': SETTINGS }, 'mysite.settings'],
  "a package's asgi.py two levels down": [{ 'deploy/src/mysite/asgi.py': WSGI, 'deploy/src/mysite/settings.py': SETTINGS }, 'mysite.settings'],
  // pytest-django's and tox's own shapes, as django-formtools, django-hijack and mozilla-django-oidc keep them.
  "a reusable app's pytest.ini": [{ ...REUSABLE_APP, 'pytest.ini': '[pytest]\nDJANGO_SETTINGS_MODULE = tests.settings\n', 'tests/settings.py': SETTINGS }, 'tests.settings'],
  "a reusable app's pyproject.toml": [{ ...REUSABLE_APP, 'pyproject.toml': '[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = "tests.settings"\n', 'tests/settings.py': SETTINGS }, 'tests.settings'],
  "a reusable app's setup.cfg": [{ ...REUSABLE_APP, 'setup.cfg': '[tool:pytest]\naddopts = --ds=tests.test_settings\n', 'tests/test_settings.py': SETTINGS }, 'tests.test_settings'],
  "a reusable app's tox.ini": [{ ...REUSABLE_APP, 'tox.ini': '[testenv]\nsetenv =\n    DJANGO_SETTINGS_MODULE = tests.settings\n', 'tests/settings/__init__.py': SETTINGS }, 'tests.settings'],
  "a reusable app's settings at the root": [{ ...REUSABLE_APP, 'pytest.ini': '[pytest]\nDJANGO_SETTINGS_MODULE = test_settings\n', 'test_settings.py': SETTINGS }, 'test_settings'],
  "a reusable src/ app's settings inside its package": [
    { 'src/myapp/__init__.py': '', 'src/myapp/tests/__init__.py': '', 'src/myapp/tests/settings.py': SETTINGS, 'pyproject.toml': '[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = "myapp.tests.settings"\n' },
    'myapp.tests.settings',
  ],
};

describe('activation events', () => {
  const globs: string[] = manifest.activationEvents.filter((e: string) => e.startsWith('workspaceContains:')).map((e: string) => e.slice('workspaceContains:'.length));

  for (const [name, [files, settingsModule]] of Object.entries(LAYOUTS)) {
    it(`activate the extension in a workspace the server reads a project from: ${name}`, async () => {
      const dir = tempProject(files, 'ds-activation-');
      try {
        const projects = await discoverProjects(dir, { env: {} });
        assert.equal(projects.length, 1, `discovery reads one project from ${Object.keys(files).join(', ')}`);
        assert.equal(projects[0]!.settingsModule, settingsModule);
        assert.ok(projects[0]!.settingsFiles[0]?.startsWith(dir + path.sep), `discovery reads the settings file of ${settingsModule}`);
        const matched = filesBelow(dir).filter((file) => globs.some((glob) => globMatches(glob, file)));
        assert.notDeepEqual(matched, [], `no activation event (${globs.join(', ')}) matches ${Object.keys(files).join(', ')}`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('match as VS Code globs do: one folder per *, any number for **/', () => {
    assert.ok(globMatches('*/wsgi.py', 'mysite/wsgi.py'));
    assert.ok(!globMatches('*/wsgi.py', 'src/mysite/wsgi.py'));
    assert.ok(globMatches('**/manage.py', 'manage.py'));
    assert.ok(globMatches('**/manage.py', 'a/b/c/manage.py'));
    assert.ok(!globMatches('manage.py', 'a/manage.py'));
  });
});
