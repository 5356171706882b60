import * as assert from 'node:assert/strict';
import { discoverProjects, settingValueToJson } from '../../../../engine/src/project';
import { tempProject } from './tempProject';

const SETTINGS = [
  'from configurations import Configuration, values',
  '',
  'class Base(Configuration):',
  '    SECRET_KEY = "dev-only-secret"',
  '    SESSION_ENGINE = "django.contrib.sessions.backends.cache"',
  '    SESSION_COOKIE_AGE = values.IntegerValue(3628800)',
  '    SESSION_COOKIE_SECURE = values.BooleanValue(False)',
  '    DATABASES = values.DatabaseURLValue("postgres://froide@127.0.0.1:5432/froide")',
  '    TIME_ZONE = "Europe/Berlin"',
  '    USE_TZ = True',
  '',
  '    @property',
  '    def CACHES(self):',
  '        return {}',
  '',
  'class Dev(Base):',
  '    SESSION_COOKIE_NAME = "dev_session"',
  '',
].join('\n');

function project(manage: string): string {
  return tempProject({ 'manage.py': manage, 'proj/__init__.py': '', 'proj/settings.py': SETTINGS }, 'ds-configurations-');
}

const MANAGE = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\nos.environ.setdefault("DJANGO_CONFIGURATION", "Dev")\n';

describe('django-configurations settings classes', () => {
  it("reads the class DJANGO_CONFIGURATION names, its bases' settings first, and values.*Value from DJANGO_<NAME> or its default (froide)", async () => {
    const [found] = await discoverProjects(project(MANAGE), { env: { DJANGO_SESSION_COOKIE_SECURE: 'yes' } });
    const value = (name: string) => settingValueToJson(found!.settings.find((s) => s.name === name)!.value);
    assert.deepEqual(
      ['SESSION_ENGINE', 'SESSION_COOKIE_AGE', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_NAME', 'TIME_ZONE'].map(value),
      ['django.contrib.sessions.backends.cache', 3628800, true, 'dev_session', 'Europe/Berlin'],
    );
    assert.match(JSON.stringify(value('CACHES')), /computed by a method of the configuration class at run time/);
    const store = found!.stores[0]!;
    assert.deepEqual([store.engine, store.secretKeys.values, store.useTz, store.timeZone], ['cache', ['dev-only-secret'], true, 'Europe/Berlin']);
  });

  it('reports the class settings as unknown where DJANGO_CONFIGURATION cannot be told, instead of taking Django\'s defaults', async () => {
    const [found] = await discoverProjects(project('import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n'), { env: {} });
    const engine = found!.settings.find((s) => s.name === 'SESSION_ENGINE')!.value;
    assert.deepEqual(settingValueToJson(engine), { unresolved: 'the settings are django-configurations classes, and DJANGO_CONFIGURATION is not set here' });
    assert.deepEqual(found!.stores, []);
  });

  it('reads the URL values from DATABASE_URL and CACHE_URL without a prefix, under their alias, and strips a prefix\'s trailing underscore, as the library does', async () => {
    const root = tempProject(
      {
        'manage.py': MANAGE,
        'proj/__init__.py': '',
        'proj/settings.py': [
          'from configurations import Configuration, values',
          'class Dev(Configuration):',
          '    SECRET_KEY = "k"',
          '    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"',
          '    DATABASES = values.DatabaseURLValue("sqlite:///default.sqlite3")',
          '    CACHES = values.CacheURLValue("locmem://", alias="sessions")',
          '    SESSION_CACHE_ALIAS = "sessions"',
          '    SESSION_COOKIE_AGE = values.IntegerValue(3600, environ_prefix="FROIDE_")',
          '',
        ].join('\n'),
      },
      'ds-configurations-url-',
    );
    const env = { DATABASE_URL: 'postgres://u@db.example.com:5432/real', DJANGO_DATABASES: 'postgres://wrong@nowhere/x', FROIDE_SESSION_COOKIE_AGE: '60' };
    const [found] = await discoverProjects(root, { env });
    const store = found!.stores[0]!;
    const database = store.database?.vendor === 'postgresql' ? store.database : undefined;
    assert.deepEqual([database?.host, database?.name, store.cache?.backend, store.cookieAgeSeconds], ['db.example.com', 'real', 'django.core.cache.backends.locmem.LocMemCache', 60]);
  });

  it('takes the class DJANGO_CONFIGURATION names whose base is imported from another module, its settings known and the base\'s unknown', async () => {
    const root = tempProject(
      {
        'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\nos.environ.setdefault("DJANGO_CONFIGURATION", "Prod")\n',
        'proj/__init__.py': '',
        'proj/base.py': 'from configurations import Configuration\nclass Common(Configuration):\n    SECRET_KEY = "k"\n    SESSION_ENGINE = "django.contrib.sessions.backends.cache"\n',
        'proj/settings.py': 'from .base import Common\n\nclass Prod(Common):\n    SESSION_COOKIE_SECURE = True\n',
      },
      'ds-configurations-imported-',
    );
    const [found] = await discoverProjects(root, { env: {} });
    const value = (name: string) => settingValueToJson(found!.settings.find((s) => s.name === name)!.value);
    assert.equal(value('SESSION_COOKIE_SECURE'), true);
    assert.match(JSON.stringify(value('SESSION_ENGINE')), /may be set by Common, a configuration class imported from another module/);
    assert.deepEqual(found!.stores, []);
  });
});
