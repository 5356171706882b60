import * as assert from 'node:assert/strict';
import { settingValueToJson, type DjangoProject } from '../../../../engine/src/project';
import { projectWithSettings } from './settingsProject';

const value = (project: DjangoProject, name: string) => settingValueToJson(project.settings.find((s) => s.name === name)!.value);

describe("the prefix django-environ's env.prefix and environs' prefixed() put before a variable's name", () => {
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
    assert.deepEqual(value(project, 'SECRET_KEY'), { unresolved: 'the prefix of env is not known statically (needs environment variable PREFIX), so neither is the variable it reads' });
  });

  it("reads environs' variables under the prefix of Env(prefix=…), and of a with env.prefixed(…) block only within it, nested prefixes joined", async () => {
    const project = await projectWithSettings(
      [
        'from environs import Env',
        'env = Env()',
        'with env.prefixed("APP_"):',
        '    SECRET_KEY = env.str("SECRET_KEY", "none")',
        '    with env.prefixed("SESSION_"):',
        '        SESSION_COOKIE_AGE = env.int("AGE", 600)',
        'SESSION_COOKIE_NAME = env.str("COOKIE", "sessionid")',
        'other = Env(prefix="X_")',
        'SESSION_COOKIE_PATH = other.str("PATH", "/")',
        '',
      ].join('\n'),
      {},
      { SECRET_KEY: 'unprefixed', APP_SECRET_KEY: 'prefixed', APP_SESSION_AGE: '5', COOKIE: 'plain_cookie', APP_COOKIE: 'not_this', X_PATH: '/x' },
    );
    assert.deepEqual(['SECRET_KEY', 'SESSION_COOKIE_AGE', 'SESSION_COOKIE_NAME', 'SESSION_COOKIE_PATH'].map((name) => value(project, name)), ['prefixed', 5, 'plain_cookie', '/x']);
  });
});
