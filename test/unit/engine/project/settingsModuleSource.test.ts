import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintProject } from '../../../../engine/src/analysis';
import { discoverProjects } from '../../../../engine/src/project';
import { tempProject } from './tempProject';

function project(files: Record<string, string>): string {
  return tempProject(files, 'ds-module-');
}

describe('finding the settings module', () => {
  const settings = { 'site/__init__.py': '', 'site/settings.py': 'SECRET_KEY = "a"\n', 'site/other.py': 'SECRET_KEY = "b"\n' };
  const cases: [string, Record<string, string>, NodeJS.ProcessEnv, string | undefined, string[]][] = [
    ['from wsgi.py when manage.py does not say', { 'manage.py': 'import sys\n', 'site/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n', ...settings }, {}, 'site.settings', ['a']],
    ['from asgi.py with the assignment form', { 'manage.py': '', 'site/asgi.py': "import os\nos.environ['DJANGO_SETTINGS_MODULE'] = 'site.other'\n", ...settings }, {}, 'site.other', ['b']],
    ['from .env over manage.py', { 'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n', '.env': 'DJANGO_SETTINGS_MODULE=site.other\n', ...settings }, {}, 'site.other', ['b']],
    ['from the process environment over .env, as load_dotenv and read_env leave it', { 'manage.py': 'from django.core.management import execute_from_command_line\n', '.env': 'DJANGO_SETTINGS_MODULE=site.other\n', ...settings }, { DJANGO_SETTINGS_MODULE: 'site.settings' }, 'site.settings', ['a']],
    ['from the environment over manage.py', { 'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n', ...settings }, { DJANGO_SETTINGS_MODULE: 'site.other' }, 'site.other', ['b']],
    [
      "from a variable manage.py passes to setdefault, not one set only under a condition (weblate's manage.py)",
      { 'manage.py': 'import os\nimport sys\n\n\ndef main():\n    default = "site.settings"\n    if sys.argv[1:2] == ["test"]:\n        default = "site.other"\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default)\n', ...settings },
      {},
      'site.settings',
      ['a'],
    ],
    ['ignoring a commented-out default', { 'manage.py': 'import os\n# os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.other")\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n', ...settings }, {}, 'site.settings', ['a']],
  ];
  for (const [name, files, env, module, secrets] of cases) {
    it(name, async () => {
      const dir = project(files);
      try {
        const [found] = await discoverProjects(dir, { env });
        assert.equal(found?.settingsModule, module);
        assert.deepEqual(found?.stores[0]?.secretKeys.values, secrets);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('names the candidates and reads none where manage.py says nothing and wsgi.py and asgi.py name different settings, as a server may start on either', async () => {
    const entryPoints = {
      'manage.py': 'import sys\nfrom django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n',
      'site/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.other")\n',
      'site/asgi.py': 'import os\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n',
      ...settings,
    };
    const dir = project(entryPoints);
    try {
      const [found] = await discoverProjects(dir, { env: {} });
      assert.deepEqual([found?.settingsModule, found?.stores, found?.problems.map((problem) => [problem.message, problem.location && path.relative(dir, problem.location.file), problem.location?.line])], [
        undefined,
        [],
        [
          [
            'DJANGO_SETTINGS_MODULE is set by neither manage.py, the environment nor a .env, and wsgi.py and asgi.py name 2 different settings modules: site.other (site/wsgi.py:2), site.settings (site/asgi.py:3); pick one of site.other, site.settings with --settings in the CLI or djangoSessions.project.settingsModule in VS Code',
            'site/wsgi.py',
            2,
          ],
        ],
      ]);
      // Named in the environment, the settings are read.
      const [named] = await discoverProjects(dir, { env: { DJANGO_SETTINGS_MODULE: 'site.other' } });
      assert.deepEqual(named?.stores[0]?.secretKeys.values, ['b']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes the module manage.py always assigns over the environment, as Django does, but not one assigned under a condition', async () => {
    const forced = project({ 'manage.py': 'import os\ndef main():\n    os.environ["DJANGO_SETTINGS_MODULE"] = "site.other"\n', '.env': 'DJANGO_SETTINGS_MODULE=site.settings\n', ...settings });
    const conditional = project({ 'manage.py': 'import os, sys\nif "test" in sys.argv:\n    os.environ["DJANGO_SETTINGS_MODULE"] = "site.other"\n', ...settings });
    try {
      const [found] = await discoverProjects(forced, { env: { DJANGO_SETTINGS_MODULE: 'site.settings' } });
      assert.equal(found?.settingsModule, 'site.other');
      assert.deepEqual(found?.stores[0]?.secretKeys.values, ['b']);
      const [notForced] = await discoverProjects(conditional, { env: { DJANGO_SETTINGS_MODULE: 'site.settings' } });
      assert.equal(notForced?.settingsModule, 'site.settings');
    } finally {
      fs.rmSync(forced, { recursive: true, force: true });
      fs.rmSync(conditional, { recursive: true, force: true });
    }
  });

  it('uses SECRET_KEY_FALLBACKS only where the Django version has them (4.1+)', async () => {
    const files = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n',
      'site/__init__.py': '',
      'site/settings.py': 'SECRET_KEY = "new"\nSECRET_KEY_FALLBACKS = ["old"]\n',
    };
    for (const [requirement, values] of [['Django==3.2.25', ['new']], ['Django==4.1', ['new', 'old']]] as const) {
      const dir = project({ ...files, 'requirements.txt': `${requirement}\n` });
      try {
        const [found] = await discoverProjects(dir, { env: {} });
        assert.deepEqual(found?.stores[0]?.secretKeys.values, values, requirement);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('reports a settings module that is not a file, at the line that names it', async () => {
    const dir = project({ 'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "gone.settings")\n' });
    try {
      const [found] = await discoverProjects(dir, { env: {} });
      assert.deepEqual(found?.problems, [
        { message: `settings module 'gone.settings' (from manage.py) is not found in ${dir}, ${path.join(dir, 'src')}`, location: { file: path.join(dir, 'manage.py'), line: 2, column: 0 } },
      ]);
      assert.deepEqual(found?.stores, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a project without manage.py', () => {
  it("is found by the package whose wsgi.py or asgi.py names its settings (Shuup's and Nautobot's launchers)", async () => {
    const dir = tempProject({
      'src/app/__init__.py': '',
      'src/app/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
      'src/app/settings.py': 'SECRET_KEY = "k"\n',
      'docs/conf.py': '',
    });
    const projects = await discoverProjects(dir, { env: {} });
    assert.deepEqual(projects.map((project) => [path.relative(dir, project.root), project.settingsModule, project.stores[0]?.id]), [['src', 'app.settings', 'db:default']]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("a reusable app's settings, named where its tests run", () => {
  const settings = { 'tests/__init__.py': '', 'tests/settings.py': 'SECRET_KEY = "t"\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"\n' };
  const cases: [string, string, string][] = [
    ["tox.ini's setenv (mozilla-django-oidc)", 'tox.ini', '[tox]\nenvlist = py3\n\n[testenv]\nsetenv =\n    PYTHONPATH = {toxinidir}\n    DJANGO_SETTINGS_MODULE = tests.settings\n'],
    ["pyproject.toml's pytest options (django-hijack)", 'pyproject.toml', '[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = "tests.settings"\naddopts = "--tb=short"\n'],
    ["pytest.ini (pytest-django's documented place)", 'pytest.ini', '[pytest]\nDJANGO_SETTINGS_MODULE=tests.settings\n'],
    ["setup.cfg's [tool:pytest]", 'setup.cfg', '[tool:pytest]\nDJANGO_SETTINGS_MODULE: tests.settings\n'],
    ["a Makefile's export (django-formtools)", 'Makefile', 'export DJANGO_SETTINGS_MODULE=tests.settings\n\ntest:\n\tpython -m django test\n'],
    ["pytest.ini's addopts = --ds=… (django-mailman3)", 'pytest.ini', '[pytest]\naddopts = --tb=short --reuse-db --ds=tests.settings -s\n'],
    ["pytest.ini's addopts = --ds … over its DJANGO_SETTINGS_MODULE, as pytest-django takes the option first", 'pytest.ini', '[pytest]\nDJANGO_SETTINGS_MODULE = other.settings\naddopts = --ds tests.settings\n'],
    ["pyproject.toml's addopts list", 'pyproject.toml', '[tool.pytest.ini_options]\naddopts = ["--ds", "tests.settings", "--reuse-db"]\n'],
    ["setup.cfg's [tool:pytest] addopts", 'setup.cfg', '[tool:pytest]\naddopts =\n    --ds=tests.settings\n'],
    ["tox.ini's [pytest] addopts", 'tox.ini', '[tox]\nenvlist = py3\n\n[pytest]\naddopts = --ds=tests.settings\n'],
    ["tox.ini's setenv on one line (Alliance Auth's apps)", 'tox.ini', '[tox]\nenvlist = django42\n\n[testenv]\nsetenv = DJANGO_SETTINGS_MODULE = tests.settings\ndeps =\n    coverage\n'],
    ["tox.ini's setenv for some factors only", 'tox.ini', '[testenv]\nsetenv =\n    py312,py313: DJANGO_SETTINGS_MODULE = tests.settings\n'],
    ["pyproject.toml's pytest-env list", 'pyproject.toml', '[tool.pytest.ini_options]\nenv = ["DJANGO_SETTINGS_MODULE=tests.settings", "DEBUG=0"]\n'],
    ["pytest 9's pytest.toml", 'pytest.toml', '[pytest]\nDJANGO_SETTINGS_MODULE = "tests.settings"\n'],
    ["the hidden .pytest.ini", '.pytest.ini', '[pytest]\nDJANGO_SETTINGS_MODULE = tests.settings\n'],
    ["pyproject.toml's native [tool.pytest] (pytest 9)", 'pyproject.toml', '[tool.pytest]\naddopts = ["--ds=tests.settings"]\n'],
  ];
  for (const [name, file, text] of cases) {
    it(`is read from ${name}`, async () => {
      const dir = tempProject({ [file]: text, ...settings });
      const [found] = await discoverProjects(dir, { env: {} });
      assert.deepEqual([found?.settingsModule, found?.stores[0]?.engine, found?.stores[0]?.secretKeys.values], ['tests.settings', 'cache', ['t']]);
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }

  it('judges such test settings as a test run\'s: no check --deploy warning nor DS205 for a per-process cache, the other rules still (mozilla-django-oidc)', async () => {
    const dir = tempProject({
      'tox.ini': '[testenv]\nsetenv =\n    DJANGO_SETTINGS_MODULE = tests.settings\n',
      'tests/__init__.py': '',
      'tests/settings.py': 'SECRET_KEY = "t"\nINSTALLED_APPS = ["django.contrib.sessions"]\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"\nSESSION_COKIE_AGE = 5\n',
    });
    const codes = (await lintProject(dir, { env: {} })).map((d) => d.code);
    assert.deepEqual(codes, ['DS201']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names a dotted module found under src/ (Sentry) and says when manage.py sets the module from a value it cannot tell', async () => {
    const sentry = tempProject({ 'src/myapp/__init__.py': '', 'src/myapp/conf/__init__.py': '', 'src/myapp/conf/server.py': 'SECRET_KEY = "s"\n' });
    const [named] = await discoverProjects(sentry, { env: {}, settingsModule: 'myapp.conf.server' });
    assert.deepEqual([named?.settingsFiles.map((f) => path.relative(sentry, f)), named?.stores[0]?.secretKeys.values], [[path.join('src', 'myapp', 'conf', 'server.py')], ['s']]);
    const commcare = tempProject({ 'manage.py': 'import os, socket\nmodule = "settings"\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", socket.gethostname())\n' });
    const [unread] = await discoverProjects(commcare, { env: {} });
    assert.deepEqual(unread?.problems.map((p) => [p.message.split(';')[0], p.location?.line]), [
      ['manage.py sets DJANGO_SETTINGS_MODULE from an expression static reading cannot tell (socket.gethostname(): cannot evaluate a call to socket.gethostname statically)', 3],
    ]);
  });

  it("finds a module on the sys.path manage.py extends, a namespace package's too (django-debug-toolbar's example/), and names where it looked when none has it", async () => {
    const dir = tempProject({
      'example/manage.py': 'import os, sys\nsys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example.settings")\n',
      'example/settings.py': 'SECRET_KEY = "dt"\n',
    });
    const [found] = await discoverProjects(path.join(dir, 'example'), { env: {} });
    assert.deepEqual([found?.settingsFiles.map((f) => path.relative(dir, f)), found?.stores[0]?.secretKeys.values], [[path.join('example', 'settings.py')], ['dt']]);
    const [missing] = await discoverProjects(path.join(dir, 'example'), { env: {}, settingsModule: 'example.nosuch' });
    const root = path.join(dir, 'example');
    assert.equal(missing?.problems[0]?.message, `settings module 'example.nosuch' (as given) is not found in ${root}, ${path.join(root, 'src')}, ${dir}`);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the settings module first among the files read when manage.py imports the package first, so W012 and its fix go to the settings (Review Board's `from reviewboard import settings`)", async () => {
    const dir = tempProject({
      'rbapp/__init__.py': 'VERSION = (6, 0)\n',
      'rbapp/manage.py': 'import os, sys\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rbapp.settings")\n    from rbapp import settings\n',
      'rbapp/settings.py': 'SECRET_KEY = "rb"\nINSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\n',
    });
    const [project] = await discoverProjects(dir, { env: {} });
    assert.deepEqual(project?.settingsFiles.map((f) => path.relative(dir, f)), [path.join('rbapp', 'settings.py'), path.join('rbapp', '__init__.py')]);
    const w012 = (await lintProject(dir, { env: {} })).filter((d) => d.code === 'security.W012');
    assert.deepEqual(
      w012.map((d) => [path.relative(dir, d.file), d.fix?.edits.map((edit) => path.relative(dir, edit.file))]),
      [[path.join('rbapp', 'settings.py'), [path.join('rbapp', 'settings.py')]]],
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
