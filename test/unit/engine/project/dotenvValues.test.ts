import * as assert from 'node:assert/strict';
import { settingValueToJson, type DjangoProject } from '../../../../engine/src/project';
import { projectWithSettings } from './settingsProject';

const value = (project: DjangoProject, name: string) => settingValueToJson(project.settings.find((s) => s.name === name)!.value);

describe("python-dotenv's dotenv_values()", () => {
  it('gives the named file, or the .env found going up from the settings, as a dict expanded from its own values first, without loading it', async () => {
    const project = await projectWithSettings(
      [
        'import os',
        'from dotenv import dotenv_values',
        'shared = dotenv_values(".env.shared")',
        'config = dotenv_values()',
        'SECRET_KEY = config["SECRET_KEY"]',
        'SESSION_ENGINE = shared.get("SESSION_ENGINE", "django.contrib.sessions.backends.db")',
        'SESSION_COOKIE_NAME = shared["COOKIE"]',
        'MISSING = dotenv_values(".env.nowhere")',
        'LOADED = os.environ.get("COOKIE", "not loaded")',
        'RAW = dotenv_values(".env.shared", interpolate=False)["COOKIE"]',
        '',
      ].join('\n'),
      {
        '.env.shared': 'SESSION_ENGINE=django.contrib.sessions.backends.signed_cookies\nPREFIX=shop\nCOOKIE=${PREFIX}_session\n',
        'app/.env': 'SECRET_KEY=found-beside\n',
      },
      { PREFIX: 'env' },
    );
    assert.deepEqual(
      ['SECRET_KEY', 'SESSION_ENGINE', 'SESSION_COOKIE_NAME', 'MISSING', 'LOADED', 'RAW'].map((name) => value(project, name)),
      ['found-beside', 'django.contrib.sessions.backends.signed_cookies', 'shop_session', {}, 'not loaded', '${PREFIX}_session'],
    );
    assert.equal(project.stores[0]?.engine, 'signed_cookies');
  });

  it('gives None for a name the file writes without a value, which load_dotenv() then does not set, though the file set it before', async () => {
    const project = await projectWithSettings(
      'import os\nfrom dotenv import dotenv_values, load_dotenv\nVALUES = dotenv_values(".env.flags")\nload_dotenv(".env.flags")\nLOADED = os.environ.get("CACHE_URL", "unset")\nAFTER = os.environ["AFTER"]\n',
      { '.env.flags': 'CACHE_URL=redis://cache:6379/1\nCACHE_URL\nAFTER=[${CACHE_URL:-default}]\n' },
    );
    assert.deepEqual(['VALUES', 'LOADED', 'AFTER'].map((name) => value(project, name)), [{ CACHE_URL: null, AFTER: '[]' }, 'unset', '[]']);
  });

  it("reads python-dotenv's README merge `{**dotenv_values(…), **os.environ}` as the environment over the files' values, and items after **os.environ over both", async () => {
    const project = await projectWithSettings(
      [
        'import os',
        'from dotenv import dotenv_values',
        'config = {**dotenv_values(".env.shared"), **dotenv_values(".env.secret"), **os.environ}',
        'SESSION_ENGINE = config.get("SESSION_ENGINE", "django.contrib.sessions.backends.db")',
        'REDIS = [config["REDIS_URL"], config["SECRET"], "HOME" in config]',
        'FORCED = {**os.environ, "REDIS_URL": "redis://forced:6379/0"}["REDIS_URL"]',
        'PLAIN = {**os.environ}.get("SECRET", "not in the environment")',
        'NOT_STR = {"PORT": 6379, **os.environ}',
        '',
      ].join('\n'),
      { '.env.shared': 'SESSION_ENGINE=django.contrib.sessions.backends.signed_cookies\nREDIS_URL=redis://shared:6379/2\n', '.env.secret': 'SECRET=from-secret\n' },
      { REDIS_URL: 'redis://env:6379/1' },
    );
    assert.deepEqual(
      ['SESSION_ENGINE', 'REDIS', 'FORCED', 'PLAIN', 'NOT_STR'].map((name) => value(project, name)),
      [
        'django.contrib.sessions.backends.signed_cookies',
        ['redis://env:6379/1', 'from-secret', false],
        'redis://forced:6379/0',
        'not in the environment',
        { unresolved: "cannot tell the dict unpacking os.environ: its item 'PORT' is not a str, as the environment's values are" },
      ],
    );
  });

  it("makes a dict unknown where it unpacks what cannot be read (`{**somewhere.load()}`), instead of dropping it", async () => {
    const project = await projectWithSettings('import os, somewhere\nSECRET_KEY = "k"\nconfig = {"SESSION_ENGINE": "django.contrib.sessions.backends.db", **somewhere.load()}\nSESSION_ENGINE = config["SESSION_ENGINE"]\n');
    assert.deepEqual(value(project, 'SESSION_ENGINE'), { unresolved: 'cannot tell the items **somewhere.load() puts in the dict (cannot evaluate a call to somewhere.load statically)' });
    assert.deepEqual(project.stores, []);
  });
});
