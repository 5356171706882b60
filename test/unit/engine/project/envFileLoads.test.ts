import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPythonParser } from '../../../../engine/src/analysis';
import { discoverProjects, settingValueToJson, type DjangoProject } from '../../../../engine/src/project';
import { evaluateSettingsFile } from '../../../../engine/src/project/settingsEvaluation';
import { fixtureProject } from './fixturePath';
import { tempProject } from './tempProject';

describe('.env files the settings load', () => {
  const root = fixtureProject('envfiles');
  const settingsFile = path.join(root, 'site/settings.py');

  async function read(env: NodeJS.ProcessEnv): Promise<DjangoProject> {
    const [project] = await discoverProjects(root, { env });
    return project!;
  }

  function values(project: DjangoProject): Record<string, unknown> {
    return Object.fromEntries(project.settings.filter((s) => s.name.startsWith('SESSION_')).map((s) => [s.name, settingValueToJson(s.value)]));
  }

  it('merges read_env(path), read_env() and load_dotenv(path) files over the guessed project .env', async () => {
    const project = await read({});
    assert.deepEqual(values(project), {
      SESSION_COOKIE_NAME: 'from-config-env',
      // config/.env is loaded first, so a later file does not change SHARED (override=False).
      SESSION_COOKIE_PATH: '/config',
      SESSION_COOKIE_DOMAIN: 'deploy.example.com',
      SESSION_CACHE_ALIAS: 'config',
      SESSION_FILE_PATH: 'site',
      // Only the guessed root .env sets ROOT_ONLY, and the file line 13 loads, which cannot be told, may set it too.
      SESSION_SERIALIZER: {
        unresolved: "environment variable ROOT_ONLY may be set by the env file loaded at site/settings.py:13, which cannot be told statically ('ENV_FILE_NOT_DEFINED' is not defined statically in this settings module)",
      },
    });
    assert.deepEqual(project.problems[0], {
      message: "cannot tell which .env file this loads ('ENV_FILE_NOT_DEFINED' is not defined statically in this settings module)",
      location: { file: settingsFile, line: 13, column: 0 },
    });
  });

  it("takes a variable with no default in a try as undecided where a load whose file cannot be told may set it, not as a raise (bigO's fallback DATABASES)", async () => {
    const dir = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
      'proj/__init__.py': '',
      'proj/settings.py': [
        'import environ',
        'from django.core.exceptions import ImproperlyConfigured',
        'from dotenv_location import DOTENV_FILE',
        'env = environ.Env()',
        'env.read_env(DOTENV_FILE)',
        'try:',
        '    HOST = env.str("DB_HOST")',
        'except ImproperlyConfigured:',
        '    HOST = env.str("POSTGRES_HOST")',
        '',
      ].join('\n'),
    });
    const [project] = await discoverProjects(dir, { env: {} });
    assert.equal(project!.problems.some((problem) => problem.raises), false);
    assert.match(String((settingValueToJson(project!.settings.find((s) => s.name === 'HOST')!.value) as { unresolved: string }).unresolved), /may be set by the env file loaded at proj\/settings\.py:5/);
  });

  it("reads a file read_env() loads by django-environ's line rules, and the same file load_dotenv() loads by python-dotenv's", async () => {
    const text = 'DJANGO_SECRET_KEY=k3y-with #hash-inside\nDJANGO_SESSION_COOKIE_NAME = spaced\n';
    const settings = (load: string) => ['import environ', 'from dotenv import load_dotenv', load, 'SECRET_KEY = environ.Env()("DJANGO_SECRET_KEY")', 'SESSION_COOKIE_NAME = environ.Env()("DJANGO_SESSION_COOKIE_NAME", default="sessionid")', ''].join('\n');
    const read = async (load: string) => {
      const dir = tempProject({ 'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")\n', 'settings.py': settings(load), 'config.env': text });
      const [project] = await discoverProjects(dir, { env: {} });
      return ['SECRET_KEY', 'SESSION_COOKIE_NAME'].map((name) => settingValueToJson(project!.settings.find((s) => s.name === name)!.value));
    };
    assert.deepEqual(await read('environ.Env.read_env("config.env")'), ['k3y-with #hash-inside', 'sessionid']);
    assert.deepEqual(await read('load_dotenv("config.env")'), ['k3y-with', 'spaced']);
  });

  it('reports a .env that is not UTF-8, which python-dotenv raises UnicodeDecodeError on, instead of reading mangled values', async () => {
    const read = async (load: string, cookie = 'os.environ.get("COOKIE", "sessionid")') => {
      const dir = tempProject({
        'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")\n',
        'settings.py': ['import os', 'from dotenv import dotenv_values, load_dotenv', load, `SESSION_COOKIE_NAME = ${cookie}`, ''].join('\n'),
      });
      // Latin-1 'café', as an editor set to it saves the file.
      fs.writeFileSync(path.join(dir, 'config.env'), Buffer.from('COOKIE=caf\xe9\n', 'latin1'));
      const [project] = await discoverProjects(dir, { env: {} });
      const problems = project!.problems.filter((p) => p.message.includes('UTF-8')).map((p) => `${p.location?.line}: ${p.message}`);
      return { cookie: settingValueToJson(project!.settings.find((s) => s.name === 'SESSION_COOKIE_NAME')!.value), problems };
    };
    const message = "config.env is not UTF-8 text, as the .env loader reads it: loading it raises UnicodeDecodeError, so Django's settings fail to load (save the file as UTF-8)";
    const loaded = 'environment variable COOKIE may be set by config.env, loaded at settings.py:3, which is not UTF-8 (loading it raises UnicodeDecodeError)';
    assert.deepEqual(await read('load_dotenv("config.env")'), {
      cookie: { unresolved: loaded },
      problems: [`3: ${message}`, `4: SESSION_COOKIE_NAME: ${loaded}`],
    });
    assert.deepEqual(await read('', 'dotenv_values("config.env").get("COOKIE", "sessionid")'), { cookie: { unresolved: message }, problems: [`4: SESSION_COOKIE_NAME: ${message}`] });
  });

  it('records every environment file read or looked for, so a change to one (or creating one) is noticed', async () => {
    const project = await read({});
    assert.deepEqual(project.envFiles, [
      // The guessed .env files, beside manage.py and above it.
      path.join(root, '.env'),
      path.join(path.dirname(root), '.env'),
      path.join(root, 'config/.env'),
      // read_env() without a path: the .env beside the settings module.
      path.join(root, 'site/.env'),
      path.join(root, 'deploy/prod.env'),
    ]);
  });

  it('never lets a loaded .env file override the process environment', async () => {
    const project = await read({ PROCESS_WINS: 'process', SHARED: 'process' });
    assert.equal(values(project).SESSION_CACHE_ALIAS, 'process');
    assert.equal(values(project).SESSION_COOKIE_PATH, '/process');
  });

  it('reports os.environ.get without a default as a needed variable, at the call', async () => {
    const project = await read({});
    const secret = project.settings.find((s) => s.name === 'SECRET_KEY');
    assert.deepEqual(secret?.value, { kind: 'unknown', reason: 'needs environment variable DJANGO_SECRET_KEY', location: { file: settingsFile, line: 15, column: 13 }, unsetIsNone: true });
    assert.equal(project.stores[0]?.secretKeys.missing, 'needs environment variable DJANGO_SECRET_KEY');
  });

  it('finds the .env of load_dotenv() and find_dotenv() from the settings file up', async () => {
    const file = path.join(root, 'site/found.py');
    const result = evaluateSettingsFile(await loadPythonParser(), file, root, new Map());
    assert.deepEqual(settingValueToJson(result.values.get('FOUND')!.value), path.join(root, 'site/.env'));
    assert.deepEqual(settingValueToJson(result.values.get('SESSION_COOKIE_NAME')!.value), 'site');
  });
});

describe('find_dotenv() by its arguments', () => {
  const root = fixtureProject('finddotenv');
  const file = path.join(root, 'proj/settings.py');
  let values: Map<string, unknown>;

  before(async () => {
    const result = evaluateSettingsFile(await loadPythonParser(), file, root, new Map());
    values = new Map([...result.values].map(([name, binding]) => [name, binding.value.kind === 'unknown' ? `unknown: ${binding.value.reason}` : settingValueToJson(binding.value)]));
  });

  it('looks for the filename given (positional or keyword) from the settings file up, and loads it', () => {
    assert.equal(values.get('LOCAL'), path.join(root, 'proj/.env.local'));
    assert.equal(values.get('KEYWORD'), path.join(root, 'proj/.env.local'));
    assert.equal(values.get('HERE'), path.join(root, 'proj/.env'));
    assert.equal(values.get('SESSION_COOKIE_NAME'), 'from_local');
  });

  it('records each place find_dotenv() looked, up to where it found the file', async () => {
    const result = evaluateSettingsFile(await loadPythonParser(), file, root, new Map());
    assert.ok(result.envFiles.includes(path.join(root, 'proj/.env.local')));
    // .env.missing is looked for in every directory up to the file system root; creating one anywhere there counts.
    assert.ok(result.envFiles.includes(path.join(root, 'proj/.env.missing')));
    assert.ok(result.envFiles.includes(path.join(path.parse(root).root, '.env.missing')));
  });

  it('starts from the project root with usecwd=True', () => {
    assert.equal(values.get('CWD'), path.join(root, '.env'));
  });

  it("gives '' for a file found nowhere, and unknown where it raises or an argument is not known", () => {
    assert.equal(values.get('MISSING'), '');
    assert.equal(values.get('RAISES'), 'unknown: find_dotenv() raises IOError: no .env.missing is found');
    assert.equal(values.get('UNKNOWN_NAME'), "unknown: cannot tell which file find_dotenv() looks for ('NAME_NOT_DEFINED' is not defined statically in this settings module)");
    assert.equal(values.get('MAYBE_RAISES'), 'unknown: cannot tell whether find_dotenv() raises when no .env.missing is found');
  });
});
