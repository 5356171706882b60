import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverProjects, settingValueToJson, type DjangoProject } from '../../../../engine/src/project';
import { fixtureProject } from './fixturePath';
import { tempProject } from './tempProject';

async function only(name: string, env: NodeJS.ProcessEnv = {}): Promise<DjangoProject> {
  const projects = await discoverProjects(fixtureProject(name), { env });
  assert.equal(projects.length, 1);
  return projects[0]!;
}

function setting(project: DjangoProject, name: string): unknown {
  const found = project.settings.find((s) => s.name === name);
  return found && settingValueToJson(found.value);
}

describe('discoverProjects', () => {
  describe("takes a manage.py for Django's only where it imports django or names DJANGO_SETTINGS_MODULE", () => {
    const FLASK_SCRIPT = 'from flask_script import Manager\nfrom app import create_app\n\nmanager = Manager(create_app)\n\nif __name__ == "__main__":\n    manager.run()\n';
    const DJANGO = 'import os\nimport sys\n\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n';
    const SETTINGS = { 'mysite/__init__.py': '', 'mysite/settings.py': 'SECRET_KEY = "k"\n' };
    const found = async (files: Record<string, string>) => {
      const root = tempProject(files);
      try {
        return (await discoverProjects(root, { env: {} })).map((project) => path.relative(root, project.managePy));
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    };

    it("finds no project beside Flask-Script's manage.py, nor beside a task script of that name, even with settings.py files around", async () => {
      assert.deepEqual(await found({ 'manage.py': FLASK_SCRIPT, 'app/__init__.py': '', 'app/settings.py': 'DEBUG = True\n' }), []);
      assert.deepEqual(await found({ 'manage.py': '# django is not used here\nimport subprocess\nsubprocess.run(["make", "release"])\n', ...SETTINGS }), []);
    });

    it("passes another framework's manage.py over for Django's deeper down", async () => {
      assert.deepEqual(await found({ 'manage.py': FLASK_SCRIPT, 'backend/manage.py': DJANGO, ...Object.fromEntries(Object.entries(SETTINGS).map(([file, text]) => [`backend/${file}`, text])) }), ['backend/manage.py']);
    });

    it('takes the manage.py startproject writes, one that only imports django, and a launcher that only sets DJANGO_SETTINGS_MODULE (django-configurations)', async () => {
      assert.deepEqual(await found({ 'manage.py': DJANGO, ...SETTINGS }), ['manage.py']);
      assert.deepEqual(await found({ 'manage.py': 'import django.core.management as m\nm.execute_from_command_line()\n' }), ['manage.py']);
      const configurations = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\nos.environ.setdefault("DJANGO_CONFIGURATION", "Dev")\nfrom configurations.management import execute_from_command_line\nexecute_from_command_line()\n';
      assert.deepEqual(await found({ 'manage.py': configurations, ...SETTINGS }), ['manage.py']);
    });

    it('takes a manage.py that leaves Django to a module of the project it imports, and reads the settings that module sets', async () => {
      const boot = 'import os\n\ndef main(argv):\n    os.environ.setdefault(ENV, "mysite.settings")\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(argv)\n';
      const launcher = 'import sys\nfrom mysite.boot import main\n\nif __name__ == "__main__":\n    main(sys.argv)\n';
      assert.deepEqual(await found({ 'manage.py': launcher, 'mysite/boot.py': `ENV = "DJANGO_SETTINGS_MODULE"\n${boot}`, ...SETTINGS }), ['manage.py']);
      const viaConstant = 'import os\nfrom mysite.names import ENV\nos.environ.setdefault(ENV, "mysite.settings")\nfrom mysite.run import go\ngo()\n';
      const root = tempProject({ 'manage.py': viaConstant, 'mysite/names.py': 'ENV = "DJANGO_SETTINGS_MODULE"\n', ...SETTINGS });
      try {
        assert.deepEqual((await discoverProjects(root, { env: {} })).map((project) => project.settingsModule), ['mysite.settings']);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });

    it('takes a manage.py whose link to Django is two imports of the project away, and passes over a task script whose modules import each other', async () => {
      const launcher = 'import sys\nfrom mysite.cli import main\n\nif __name__ == "__main__":\n    main(sys.argv)\n';
      const cli = 'from mysite.boot import run\n\ndef main(argv):\n    run(argv)\n';
      const boot = 'import os\n\ndef run(argv):\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(argv)\n';
      assert.deepEqual(await found({ 'manage.py': launcher, 'mysite/cli.py': cli, 'mysite/boot.py': boot, ...SETTINGS }), ['manage.py']);
      const tasks = { 'manage.py': 'from tasks.a import run\nrun()\n', 'tasks/__init__.py': '', 'tasks/a.py': 'from .b import helper\n\ndef run():\n    helper()\n', 'tasks/b.py': 'from . import a\n\ndef helper():\n    return a\n' };
      assert.deepEqual(await found({ ...tasks, ...SETTINGS }), []);
    });
  });

  it('reads a settings file named explicitly for the project that holds it only, of several (django-oscar)', async () => {
    const site = (age: number) => ({ 'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n', 'mysite/__init__.py': '', 'mysite/settings.py': `SECRET_KEY = "k"\nSESSION_COOKIE_AGE = ${age}\n`, 'mysite/other.py': `SECRET_KEY = "k"\nSESSION_COOKIE_AGE = ${age + 1}\n` });
    const root = tempProject(Object.fromEntries([...Object.entries(site(60)).map(([file, text]) => [`a/${file}`, text]), ...Object.entries(site(90)).map(([file, text]) => [`b/${file}`, text])]));
    const projects = await discoverProjects(root, { settingsModule: path.join(root, 'a/mysite/other.py'), env: {} });
    assert.deepEqual(projects.map((project) => [path.relative(root, project.settingsFiles[0]!), project.stores[0]?.cookieAgeSeconds]), [['a/mysite/other.py', 61], ['b/mysite/settings.py', 90]]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reads the startproject layout: Path(__file__) BASE_DIR, SQLite, literal SECRET_KEY, defaults', async () => {
    const root = fixtureProject('minimal');
    const project = await only('minimal');
    assert.equal(project.root, root);
    assert.equal(project.managePy, path.join(root, 'manage.py'));
    assert.equal(project.settingsModule, 'mysite.settings');
    assert.deepEqual(project.settingsFiles, [path.join(root, 'mysite/settings.py')]);
    assert.deepEqual(project.problems, []);
    assert.deepEqual(project.stores, [
      {
        id: 'db:default',
        engine: 'db',
        enginePath: 'django.contrib.sessions.backends.db',
        table: 'django_session',
        cookieName: 'sessionid',
        salt: 'django.contrib.sessions.SessionStore',
        serializer: 'json',
        secretKeys: { values: ['django-insecure-minimal-fixture-key'], source: { file: path.join(root, 'mysite/settings.py'), line: 5, column: 0 } },
        cookieAgeSeconds: 1209600,
        expireAtBrowserClose: false,
        useTz: false,
        // The fixture leaves USE_TZ to a default Django 5.0 changed, and no file gives the version.
        assumedTimeSettings: ['USE_TZ'],
        assumedTimeReason: 'USE_TZ is not set, and its default is False before Django 5.0 and True from 5.0, and no requirement or lock file gives the Django version',
        timeZone: 'UTC',
        source: { file: path.join(root, 'mysite/settings.py'), line: 1, column: 0 },
        database: { vendor: 'sqlite', path: path.join(root, 'db.sqlite3') },
      },
    ]);
  });

  it('reads os.path.join BASE_DIR, cached_db with a cache alias, and every SESSION_* value', async () => {
    const root = fixtureProject('ospath');
    const [store] = (await only('ospath')).stores;
    const settingsFile = path.join(root, 'legacy/settings.py');
    assert.deepEqual(store, {
      id: 'cached_db:default+sessions',
      engine: 'cached_db',
      enginePath: 'django.contrib.sessions.backends.cached_db',
      table: 'django_session',
      cookieName: 'legacy_sid',
      salt: 'django.contrib.sessions.SessionStore',
      serializer: 'pickle',
      secretKeys: { values: ['legacy-secret'], source: { file: settingsFile, line: 5, column: 0 } },
      cookieAgeSeconds: 86400,
      expireAtBrowserClose: true,
      useTz: true,
      timeZone: 'America/Chicago',
      source: { file: settingsFile, line: 24, column: 0 },
      database: { vendor: 'sqlite', path: path.join(root, 'data/sessions.sqlite3') },
      cache: { alias: 'sessions', backend: 'django.core.cache.backends.redis.RedisCache', locations: ['redis://127.0.0.1:6379/1'], keyPrefix: 'site', version: 2 },
    });
  });

  it('follows split settings, .env, django-environ, dj_database_url, += and .update()', async () => {
    const root = fixtureProject('split');
    const project = await only('split');
    const base = path.join(root, 'config/settings/base.py');
    const dev = path.join(root, 'config/settings/dev.py');
    assert.equal(project.settingsModule, 'config.settings.dev');
    assert.deepEqual(project.settingsFiles, [dev, base]);
    assert.deepEqual(project.djangoVersion, { version: '4.2.7', exact: true, specifier: '==4.2.7', source: { file: path.join(root, 'requirements.txt'), line: 2, column: 0 } });
    // os.environ.get("CI_MODE") is None where CI_MODE is not set, as Django reads it here: the branch does not run.
    assert.deepEqual(project.problems, []);
    assert.equal(setting(project, 'TIME_ZONE'), undefined, "Django's default");
    const [store] = project.stores;
    assert.equal(store?.id, 'cache:default');
    assert.equal(store?.cookieName, 'devsession');
    assert.equal(store?.cookieAgeSeconds, 3600);
    // The fixture's .env is read as docker-compose or direnv would give it, and said to be.
    assert.deepEqual(store?.secretKeys, { values: ['from-dotenv-secret', 'old-key-1'], source: { file: base, line: 11, column: 0 }, unloadedEnvVariable: 'DJANGO_SECRET_KEY' });
    assert.deepEqual(store?.cache, { alias: 'default', backend: 'django.core.cache.backends.redis.RedisCache', locations: ['redis://cache.internal:6380/2'], keyPrefix: 'dev', version: 1 });
    assert.deepEqual(setting(project, 'MIDDLEWARE'), ['django.contrib.sessions.middleware.SessionMiddleware', 'debug_toolbar.middleware.DebugToolbarMiddleware']);
    assert.deepEqual(setting(project, 'DATABASES'), {
      default: { ENGINE: 'django.db.backends.postgresql', NAME: 'appdb', USER: 'app', PASSWORD: 's3cret!', HOST: 'db.internal', PORT: 5433, CONN_MAX_AGE: 600 },
    });
    assert.equal(setting(project, 'SESSION_COOKIE_SECURE'), true, 'DEBUG defaults to False through environ.Env(DEBUG=(bool, False))');
    assert.equal(project.settings.find((s) => s.name === 'CACHES')?.location.file, dev, 'the .update() in dev.py is the last change');
  });

  it('lets the process environment override .env and branch on it', async () => {
    const project = await only('split', { DJANGO_SECRET_KEY: 'from-process', CI_MODE: '1', DEBUG: 'true' });
    assert.deepEqual(project.stores[0]?.secretKeys.values, ['from-process', 'old-key-1']);
    assert.equal(setting(project, 'TIME_ZONE'), 'Europe/Paris');
    assert.equal(setting(project, 'SESSION_COOKIE_SECURE'), false);
  });

  it('finds manage.py one level deeper and reports missing environment variables with their location', async () => {
    const root = fixtureProject('nested/backend');
    const projects = await discoverProjects(fixtureProject('nested'), { env: {} });
    assert.equal(projects.length, 1);
    const [store] = projects[0]!.stores;
    assert.equal(projects[0]!.root, root);
    assert.equal(store?.engine, 'file');
    assert.equal(store?.fileDir, '/var/tmp/app-sessions');
    assert.deepEqual(store?.secretKeys, { values: [], missing: 'needs environment variable APP_SECRET', source: { file: path.join(root, 'app/settings.py'), line: 2, column: 0 } });
  });

  it('finds manage.py two levels deeper, and only at the shallowest level that has one', async () => {
    const manage = (module: string) => `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${module}")\n`;
    const settings = (engine: string) => `SECRET_KEY = "k"\nSESSION_ENGINE = "django.contrib.sessions.backends.${engine}"\n`;
    const deep = {
      'services/api/manage.py': manage('api.settings'),
      'services/api/api/settings.py': settings('signed_cookies'),
      'services/web/manage.py': manage('web.settings'),
      'services/web/web/settings.py': settings('cache'),
      'node_modules/pkg/manage.py': manage('pkg.settings'),
    };
    const dir = tempProject(deep, 'ds-deep-');
    try {
      const found = await discoverProjects(dir, { env: {} });
      assert.deepEqual(
        found.map((p) => [path.relative(dir, p.root), p.stores.map((s) => s.engine)]),
        [
          [path.join('services', 'api'), ['signed_cookies']],
          [path.join('services', 'web'), ['cache']],
        ],
      );
      // A project one level down is the workspace's: the examples deeper in its tree are not projects of their own.
      fs.mkdirSync(path.join(dir, 'site', 'site'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'site', 'manage.py'), manage('site.settings'));
      fs.writeFileSync(path.join(dir, 'site', 'site', 'settings.py'), settings('db'));
      assert.deepEqual(
        (await discoverProjects(dir, { env: {} })).map((p) => path.relative(dir, p.root)),
        ['site'],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses an explicit settings module over manage.py', async () => {
    const projects = await discoverProjects(fixtureProject('split'), { settingsModule: 'config.settings.base', env: {} });
    assert.equal(projects[0]?.settingsModule, 'config.settings.base');
    assert.equal(projects[0]?.stores[0]?.cookieName, 'sessionid');
  });

  it("gives stores the project's Django version, and DEFAULT_HASHING_ALGORITHM sha1 only where 3.1/3.2 read it", async () => {
    const cases: Array<[string | undefined, Record<string, unknown>]> = [
      ['Django==3.2.25', { djangoVersion: '3.2.25', hashingAlgorithm: 'sha1' }],
      ['Django==4.2.7', { djangoVersion: '4.2.7' }],
      [undefined, { hashingAlgorithm: 'sha1' }],
    ];
    for (const [requirement, expected] of cases) {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-rules-'));
      try {
        fs.mkdirSync(path.join(root, 'site'));
        fs.writeFileSync(path.join(root, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n');
        fs.writeFileSync(path.join(root, 'site/__init__.py'), '');
        fs.writeFileSync(path.join(root, 'site/settings.py'), "SECRET_KEY = 'k'\nDEFAULT_HASHING_ALGORITHM = 'sha1'\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n");
        if (requirement) {
          fs.writeFileSync(path.join(root, 'requirements.txt'), `${requirement}\n`);
        }
        const [project] = await discoverProjects(root, { env: {} });
        const store = project!.stores[0]!;
        assert.deepEqual({ djangoVersion: store.djangoVersion, hashingAlgorithm: store.hashingAlgorithm }, { djangoVersion: undefined, hashingAlgorithm: undefined, ...expected }, requirement);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    }
  });

  it('reads settings and manage.py that start with a byte-order mark, at the columns an editor shows', async () => {
    const root = tempProject({
      'manage.py': '\uFEFFimport os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n',
      'shop/settings.py': '\uFEFFSESSION_COOKIE_AGE = 100\nSECRET_KEY = "x"\n',
    });
    try {
      const [project] = await discoverProjects(root, { env: {} });
      assert.equal(project?.settingsModule, 'shop.settings');
      const age = project.settings.find((s) => s.name === 'SESSION_COOKIE_AGE');
      assert.deepEqual([settingValueToJson(age!.value), age!.location.line, age!.location.column], [100, 1, 0]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('returns no project without manage.py', async () => {
    assert.deepEqual(await discoverProjects(fixtureProject('nested/backend/app')), []);
  });

  it('reads settings named explicitly in a tree without manage.py, at its root', async () => {
    const root = tempProject({ 'app/__init__.py': '', 'app/test_settings.py': "SESSION_ENGINE = 'django.contrib.sessions.backends.file'\nSESSION_FILE_PATH = '/srv/s'\n" });
    for (const settingsModule of ['app.test_settings', path.join(root, 'app/test_settings.py')]) {
      const projects = await discoverProjects(root, { settingsModule, env: {} });
      assert.equal(projects.length, 1, settingsModule);
      assert.equal(projects[0]!.root, root);
      assert.deepEqual(projects[0]!.settingsFiles, [path.join(root, 'app/test_settings.py')]);
      assert.deepEqual(projects[0]!.stores.map((s) => [s.id, s.fileDir]), [['file', '/srv/s']]);
    }
    assert.deepEqual(await discoverProjects(root, { env: {} }), [], 'without a name there is still no project');
  });
});
