import * as assert from 'node:assert/strict';
import { settingValueToJson, type DjangoProject } from '../../../../engine/src/project';
import { projectWithSettings } from './settingsProject';

const value = (project: DjangoProject, name: string) => settingValueToJson(project.settings.find((s) => s.name === name)!.value);

describe("python-decouple's config()", () => {
  it('reads the .env beside the settings, not loaded into os.environ, and casts to bool by its own words', async () => {
    const project = await projectWithSettings(
      [
        'import os',
        'from decouple import config',
        'SECRET_KEY = config("SECRET_KEY")',
        'AGE = config("AGE", default=1209600, cast=int)',
        'T = config("T", default="t", cast=bool)',
        'OFF = config("OFF", cast=bool)',
        'EMPTY = config("EMPTY", cast=bool)',
        'BAD = config("BAD", cast=bool)',
        'DEFAULTED = config("UNSET", default=False, cast=bool)',
        'QUOTED = config("QUOTED")',
        'VIA_OS = os.environ.get("SECRET_KEY", "not in os.environ")',
      ].join('\n'),
      { 'app/.env': 'SECRET_KEY=decouple-secret\nAGE = 7200\nOFF=off\nEMPTY=\nBAD=maybe\nQUOTED="a # b"\n' },
    );
    assert.equal(value(project, 'SECRET_KEY'), 'decouple-secret');
    assert.equal(value(project, 'AGE'), 7200);
    assert.equal(value(project, 'T'), true);
    assert.equal(value(project, 'OFF'), false);
    assert.equal(value(project, 'EMPTY'), false);
    assert.deepEqual(value(project, 'BAD'), { unresolved: 'python-decouple raises ValueError: Invalid truth value: maybe' });
    assert.equal(value(project, 'DEFAULTED'), false);
    assert.equal(value(project, 'QUOTED'), 'a # b');
    assert.equal(value(project, 'VIA_OS'), 'not in os.environ');
  });

  it("finds settings.ini's [settings] from the settings directory upwards, before a .env beside it, behind the environment", async () => {
    const settings = 'from decouple import config\nSECRET_KEY = config("SECRET_KEY")\nSESSION_ENGINE = config("SESSION_ENGINE")\nPATH = config("data_path")\n';
    const ini = '[DEFAULT]\nroot = /srv\n[settings]\nSECRET_KEY=ini-secret\nsession_engine = django.contrib.sessions.backends.signed_cookies\nDATA_PATH = %(root)s/data\n';
    const above = await projectWithSettings(settings, { 'settings.ini': ini });
    assert.deepEqual(['SECRET_KEY', 'SESSION_ENGINE', 'PATH'].map((name) => value(above, name)), ['ini-secret', 'django.contrib.sessions.backends.signed_cookies', '/srv/data']);
    assert.equal(above.stores[0]?.engine, 'signed_cookies');
    assert.equal(value(await projectWithSettings(settings, { 'settings.ini': ini }, { SECRET_KEY: 'from-env' }), 'SECRET_KEY'), 'from-env');
    const beside = await projectWithSettings(settings, { 'app/settings.ini': ini, 'app/.env': 'SECRET_KEY=from-dotenv\n' });
    assert.equal(value(beside, 'SECRET_KEY'), 'ini-secret');
  });

  it("stands its file before the project's .env, which is only guessed to be in the environment", async () => {
    const project = await projectWithSettings('from decouple import config\nSECRET_KEY = config("SECRET_KEY")\nOTHER = config("OTHER")\n', {
      'app/settings.ini': '[settings]\nSECRET_KEY=ini-secret\n',
      '.env': 'SECRET_KEY=from-project-dotenv\nOTHER=only-in-dotenv\n',
    });
    assert.deepEqual([value(project, 'SECRET_KEY'), value(project, 'OTHER')], ['ini-secret', 'only-in-dotenv']);
  });

  it('parses a database URL with cast=dj_database_url.parse', async () => {
    const project = await projectWithSettings('from decouple import config\nfrom dj_database_url import parse as db_url\nDATABASES = {"default": config("DATABASE_URL", cast=db_url)}\n', {
      'app/.env': 'DATABASE_URL=sqlite:///sessions.sqlite3\n',
    });
    assert.deepEqual(value(project, 'DATABASES'), { default: { ENGINE: 'django.db.backends.sqlite3', NAME: 'sessions.sqlite3' } });
  });
});
