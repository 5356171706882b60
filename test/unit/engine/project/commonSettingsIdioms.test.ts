import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { settingValueToJson, type DjangoProject } from '../../../../engine/src/project';
import { projectWithSettings } from './settingsProject';

const values = (project: DjangoProject, ...names: string[]) => names.map((name) => settingValueToJson(project.settings.find((s) => s.name === name)!.value));

describe('settings idioms read statically', () => {
  it('reads a switch on sys.argv as `manage.py runserver` runs the settings: a test run\'s branch is not taken', async () => {
    const project = await projectWithSettings(
      'import sys\nSECRET_KEY = "k-123456789012345"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\nTESTING = "test" in sys.argv\nif TESTING:\n    SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\nif sys.argv[1:2] == ["test"]:\n    SESSION_COOKIE_AGE = 60\nSERVING = "runserver" in sys.argv\n',
    );
    assert.deepEqual([values(project, 'TESTING', 'SERVING'), project.stores.map((store) => `${store.id} ${store.cookieAgeSeconds}`), project.problems], [[false, true], ['db:default 1209600'], []]);
  });

  it('takes pytest for not imported where runserver reads the settings, so a test run\'s `"pytest" in sys.modules` branch is not taken, and leaves other modules unknown', async () => {
    const project = await projectWithSettings(
      'import sys\nSECRET_KEY = "k-123456789012345"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\nTESTING = "test" in sys.argv or "pytest" in sys.modules\nif TESTING:\n    SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\nDEBUGGER = "pydevd" in sys.modules\n',
    );
    assert.deepEqual(
      [values(project, 'TESTING', 'DEBUGGER'), project.stores.map((store) => store.id), project.problems],
      [[false, { unresolved: 'cannot evaluate "pydevd" in sys.modules statically' }], ['db:default'], []],
    );
  });

  it("reads Path(__file__).resolve().parents[n], as startproject's BASE_DIR is also written", async () => {
    const project = await projectWithSettings('from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parents[1]\nTOP = Path(__file__).parents[-1]\nNAME = BASE_DIR / "db.sqlite3"\n');
    assert.deepEqual(values(project, 'BASE_DIR', 'TOP', 'NAME'), [project.root, '/', path.join(project.root, 'db.sqlite3')]);
  });

  it("keeps the first of each INSTALLED_APPS item with a set's add() in a comprehension, and set() of a list (CommCare's dedupe)", async () => {
    const project = await projectWithSettings(
      'INSTALLED_APPS = ["a", "django.contrib.sessions", "a", "b"]\nseen = set()\nINSTALLED_APPS = [x for x in INSTALLED_APPS if x not in seen and not seen.add(x)]\nUNIQUE = sorted(set(["b", "a", "b"]))\n',
    );
    assert.deepEqual(values(project, 'INSTALLED_APPS', 'UNIQUE'), [['a', 'django.contrib.sessions', 'b'], ['a', 'b']]);
  });

  it('formats known strings and numbers with % and str.format(), and reports what Python would refuse', async () => {
    const project = await projectWithSettings(
      [
        'HOST = "cache"',
        'PORT = 6379',
        'A = "redis://%s:6379/1" % HOST',
        'B = "redis://%s:%d/%s" % (HOST, PORT, 2.0)',
        'C = "%(host)s:%(port)s %%" % {"host": HOST, "port": PORT}',
        'D = "redis://{}:{}/2".format(HOST, PORT)',
        'E = "redis://{0}:{port}/{0}{{x}}".format(HOST, port=PORT)',
        'F = "%s %s" % (HOST,)',
        'G = "%d" % HOST',
        'H = "{:>8}".format(HOST)',
      ].join('\n'),
    );
    assert.deepEqual(values(project, 'A', 'B', 'C', 'D', 'E'), ['redis://cache:6379/1', 'redis://cache:6379/2.0', 'cache:6379 %', 'redis://cache:6379/2', 'redis://cache:6379/cache{x}']);
    for (const [name, value] of values(project, 'F', 'G', 'H').entries()) {
      assert.ok(typeof value === 'object' && value !== null && 'unresolved' in value, `${name}: ${JSON.stringify(value)}`);
    }
  });

  it("reads old cookiecutter-django's environ.Path: - n, .path(), calls and str()", async () => {
    const project = await projectWithSettings(
      'import environ\nROOT_DIR = environ.Path(__file__) - 2\nAPPS_DIR = ROOT_DIR.path("app")\nSESSIONS = str(APPS_DIR("sessions"))\nDOT_ENV = str(ROOT_DIR.path(".env"))\nSAME = environ.Path(__file__, is_file=True)\n',
    );
    assert.deepEqual(values(project, 'ROOT_DIR', 'APPS_DIR', 'SESSIONS', 'DOT_ENV', 'SAME'), [
      project.root,
      path.join(project.root, 'app'),
      path.join(project.root, 'app/sessions'),
      path.join(project.root, '.env'),
      path.join(project.root, 'app'),
    ]);
  });

  it("gives os.environ.get('X') or 'default' the default when X is not set, as os.environ.get('X', 'default') does", async () => {
    const settings = 'import os\nSESSION_ENGINE = os.environ.get("ENGINE") or "django.contrib.sessions.backends.signed_cookies"\nSESSION_COOKIE_AGE = int(os.getenv("AGE") or 3600)\nSECRET_KEY = os.environ.get("SECRET_KEY")\n';
    const unset = await projectWithSettings(settings);
    assert.deepEqual(values(unset, 'SESSION_ENGINE', 'SESSION_COOKIE_AGE', 'SECRET_KEY'), ['django.contrib.sessions.backends.signed_cookies', 3600, { unresolved: 'needs environment variable SECRET_KEY' }]);
    assert.deepEqual([unset.stores[0]?.engine, unset.stores[0]?.cookieAgeSeconds], ['signed_cookies', 3600]);
    const set = await projectWithSettings(settings, {}, { ENGINE: 'django.contrib.sessions.backends.cache', AGE: '60' });
    assert.deepEqual(values(set, 'SESSION_ENGINE', 'SESSION_COOKIE_AGE'), ['django.contrib.sessions.backends.cache', 60]);
  });
  it("builds a cache from another with dict.copy(), which shares what it holds, and with Python 3.9's | merge", async () => {
    const project = await projectWithSettings(
      [
        'SESSION_ENGINE = "django.contrib.sessions.backends.cache"',
        'SESSION_CACHE_ALIAS = "sessions"',
        '_BASE = {"BACKEND": "django_redis.cache.RedisCache", "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"}}',
        'CACHES = {"default": _BASE | {"LOCATION": "redis://cache:6379/1"}}',
        'CACHES["sessions"] = CACHES["default"].copy()',
        'CACHES["sessions"]["LOCATION"] = "redis://cache:6379/5"',
        'CACHES["sessions"]["OPTIONS"]["PASSWORD"] = "shared"',
        '',
      ].join('\n'),
    );
    const options = { CLIENT_CLASS: 'django_redis.client.DefaultClient', PASSWORD: 'shared' };
    assert.deepEqual(values(project, 'CACHES'), [
      {
        default: { BACKEND: 'django_redis.cache.RedisCache', OPTIONS: options, LOCATION: 'redis://cache:6379/1' },
        sessions: { BACKEND: 'django_redis.cache.RedisCache', OPTIONS: options, LOCATION: 'redis://cache:6379/5' },
      },
    ]);
    assert.deepEqual([project.stores[0]?.id, project.stores[0]?.cache?.locations], ['cache:sessions', ['redis://:shared@cache:6379/5']]);
  });
  it("reads a copy of os.environ (Wagtail bakerydemo's env = os.environ.copy()) as the environment was when copied", async () => {
    const settings = [
      'import os',
      'env = os.environ.copy()',
      'if "REDIS_URL" in env:',
      '    SESSION_ENGINE = "django.contrib.sessions.backends.cache"',
      '    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": env["REDIS_URL"]}}',
      'env["REDIS_URL"] = "redis://elsewhere:6379/0"',
      'os.environ["LATER"] = "set"',
      'READ = [env.get("SECRET", "none"), os.environ.get("REDIS_URL", "unset"), env.get("LATER", "not in the copy"), dict(os.environ).get("LATER")]',
      '',
    ].join('\n');
    const unset = await projectWithSettings(settings);
    assert.deepEqual([unset.stores[0]?.engine, values(unset, 'READ')], ['db', [['none', 'unset', 'not in the copy', 'set']]]);
    const set = await projectWithSettings(settings, {}, { REDIS_URL: 'redis://cache:6379/5', SECRET: 's' });
    assert.deepEqual([set.stores[0]?.cache?.locations, values(set, 'READ')], [['redis://cache:6379/5'], [['s', 'redis://cache:6379/5', 'not in the copy', 'set']]]);
  });
});
