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
});
