import * as assert from 'node:assert/strict';
import * as path from 'node:path';
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

  it("reads from AutoConfig(search_path=…)'s directory, or the file it names, as wemake-django-template's components do", async () => {
    const project = await projectWithSettings('from app.components import config\nSECRET_KEY = config("SECRET_KEY")\nAGE = config("AGE", cast=int)\nSESSION_ENGINE = config("SESSION_ENGINE", default="django.contrib.sessions.backends.db")\n', {
      'app/components/__init__.py': 'from pathlib import Path\nfrom decouple import AutoConfig\nBASE_DIR = Path(__file__).parent.parent.parent\nconfig = AutoConfig(search_path=BASE_DIR.joinpath("config"))\n',
      'config/.env': 'SECRET_KEY=from-config-dir\nAGE=60\nSESSION_ENGINE=django.contrib.sessions.backends.signed_cookies\n',
      'app/.env': 'SECRET_KEY=beside-the-settings\n',
    });
    assert.deepEqual(['SECRET_KEY', 'AGE', 'SESSION_ENGINE'].map((name) => value(project, name)), ['from-config-dir', 60, 'django.contrib.sessions.backends.signed_cookies']);
    assert.equal(project.stores[0]?.engine, 'signed_cookies');
    const named = await projectWithSettings('import os\nfrom decouple import AutoConfig\nconfig = AutoConfig(search_path=os.path.join(os.path.dirname(__file__), "env", ".env"))\nSECRET_KEY = config("SECRET_KEY")\n', {
      'app/env/.env': 'SECRET_KEY=named-file\n',
    });
    assert.equal(value(named, 'SECRET_KEY'), 'named-file');
    const none = await projectWithSettings('from decouple import AutoConfig\nconfig = AutoConfig(search_path=None)\nSECRET_KEY = config("SECRET_KEY")\n', { 'app/.env': 'SECRET_KEY=caller-dir\n' });
    assert.equal(value(none, 'SECRET_KEY'), 'caller-dir');
  });

  it('reads the one file of Config(RepositoryEnv(…)) or Config(RepositoryIni(…)), the environment first, and says when that file is missing', async () => {
    const settings = (repository: string) =>
      `import os\nfrom pathlib import Path\nfrom decouple import Config, RepositoryEnv, RepositoryIni\nBASE_DIR = Path(__file__).resolve().parent.parent\nconfig = Config(${repository})\nSECRET_KEY = config("SECRET_KEY")\nDEBUG = config("DEBUG", default=False, cast=bool)\n`;
    const env = await projectWithSettings(settings('RepositoryEnv(str(BASE_DIR / ".env.local"))'), { '.env.local': 'SECRET_KEY=env-local\nDEBUG=on\n', 'app/.env': 'SECRET_KEY=not-this-one\n' });
    assert.deepEqual([value(env, 'SECRET_KEY'), value(env, 'DEBUG')], ['env-local', true]);
    const environment = await projectWithSettings(settings('RepositoryEnv(str(BASE_DIR / ".env.local"))'), { '.env.local': 'SECRET_KEY=env-local\n' }, { SECRET_KEY: 'from-env' });
    assert.equal(value(environment, 'SECRET_KEY'), 'from-env');
    const ini = await projectWithSettings(settings('RepositoryIni(os.path.join(BASE_DIR, "deploy.ini"))'), { 'deploy.ini': '[settings]\nSECRET_KEY=ini-file\nDEBUG=no\n' });
    assert.deepEqual([value(ini, 'SECRET_KEY'), value(ini, 'DEBUG')], ['ini-file', false]);
    const osEnviron = await projectWithSettings(settings('os.environ'), { 'app/.env': 'DEBUG=yes\n' }, { SECRET_KEY: 'only-env' });
    assert.deepEqual([value(osEnviron, 'SECRET_KEY'), value(osEnviron, 'DEBUG')], ['only-env', false]);
    const missing = await projectWithSettings(settings('RepositoryEnv(str(BASE_DIR / ".env.local"))'));
    assert.deepEqual(missing.problems[0], {
      message: `the settings raise FileNotFoundError here: python-decouple's RepositoryEnv opens ${path.join(missing.root, '.env.local')}, which does not exist, so Django cannot start with them as they read in this environment`,
      location: { file: path.join(missing.root, 'app', 'settings.py'), line: 5, column: 0 },
      raises: true,
    });
  });

  it('reads the file only where the settings find it, as the common `if exists: Config(RepositoryEnv(…)) else: from decouple import config` does', async () => {
    const settings = 'import os\nfrom decouple import Config, RepositoryEnv\nDOTENV_FILE = os.path.join(os.path.dirname(__file__), "prod.env")\nif os.path.exists(DOTENV_FILE):\n    config = Config(RepositoryEnv(DOTENV_FILE))\nelse:\n    from decouple import config\nSECRET_KEY = config("SECRET_KEY")\n';
    assert.equal(value(await projectWithSettings(settings, { 'app/prod.env': 'SECRET_KEY=prod-file\n', 'app/.env': 'SECRET_KEY=dotenv\n' }), 'SECRET_KEY'), 'prod-file');
    assert.equal(value(await projectWithSettings(settings, { 'app/.env': 'SECRET_KEY=dotenv\n' }), 'SECRET_KEY'), 'dotenv');
  });
});
