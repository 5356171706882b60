import * as assert from 'node:assert/strict';
import { settingValueToJson, type DjangoProject } from '../../../../engine/src/project';
import { projectWithSettings } from './settingsProject';

const value = (project: DjangoProject, name: string) => settingValueToJson(project.settings.find((s) => s.name === name)!.value);

describe("django-environ's env.prefix", () => {
  it('reads each later variable, and looks its scheme up, under the prefixed name, as often as the prefix changes', async () => {
    const project = await projectWithSettings(
      [
        'import environ',
        'env = environ.Env(DJANGO_DEBUG=(bool, True))',
        'BEFORE = env("SECRET_KEY", default="none")',
        'env.prefix = "DJANGO_"',
        'SECRET_KEY = env.str("SECRET_KEY")',
        'DEBUG = env("DEBUG")',
        'SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=600)',
        'DATABASES = {"default": env.db()}',
        'env.prefix = "APP_"',
        'SESSION_COOKIE_NAME = env("COOKIE", default="sessionid")',
        '',
      ].join('\n'),
      {},
      { SECRET_KEY: 'unprefixed', DJANGO_SECRET_KEY: 'prefixed', DJANGO_SESSION_COOKIE_AGE: '5', DJANGO_DATABASE_URL: 'sqlite:////tmp/app.sqlite3', APP_COOKIE: 'app_session' },
    );
    assert.deepEqual(
      ['BEFORE', 'SECRET_KEY', 'DEBUG', 'SESSION_COOKIE_AGE', 'DATABASES', 'SESSION_COOKIE_NAME'].map((name) => value(project, name)),
      ['unprefixed', 'prefixed', true, 5, { default: { ENGINE: 'django.db.backends.sqlite3', NAME: '/tmp/app.sqlite3' } }, 'app_session'],
    );
  });

  it('makes what env reads unknown after a prefix that cannot be told', async () => {
    const project = await projectWithSettings('import os, environ\nenv = environ.Env()\nenv.prefix = os.environ["PREFIX"]\nSECRET_KEY = env("SECRET_KEY")\n', {}, { SECRET_KEY: 'k' });
    assert.deepEqual(value(project, 'SECRET_KEY'), { unresolved: 'env.prefix is not known statically (needs environment variable PREFIX), so neither is the variable env reads for SECRET_KEY' });
  });
});
