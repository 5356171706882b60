import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { unloadedEnvNote } from '../../../../engine/src';
import { discoverProjects, settingValueToJson, type DjangoProject } from '../../../../engine/src/project';
import { tempProject } from './tempProject';

const MANAGE = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n';

/** The project in `files` (manage.py and proj/__init__.py added), read with `env` as the process environment. */
async function read(files: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<{ project: DjangoProject; dir: string }> {
  const dir = tempProject({ 'manage.py': MANAGE, 'proj/__init__.py': '', ...files }, 'ds-envcond-');
  const [project] = await discoverProjects(dir, { env });
  return { project: project!, dir };
}

function setting(project: DjangoProject, name: string): unknown {
  const found = project.settings.find((s) => s.name === name);
  return found && settingValueToJson(found.value);
}

describe('env files loaded under a condition', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  const settings = (condition: string, load = 'environ.Env.read_env(str(ENV_FILE))') =>
    [
      'import os',
      'from pathlib import Path',
      'import environ',
      'BASE_DIR = Path(__file__).resolve().parent.parent',
      'env = environ.Env()',
      'ENV_FILE = BASE_DIR / "deploy" / "app.env"',
      `if ${condition}:`,
      `    ${load}`,
      'SESSION_ENGINE = env("SESSION_ENGINE", default="django.contrib.sessions.backends.db")',
      'SESSION_COOKIE_NAME = env("COOKIE", default="sessionid")',
      'SESSION_COOKIE_PATH = os.environ.get("FROM_PROCESS", "/")',
      'from decouple import config',
      'DECOUPLED = config("SESSION_ENGINE", default="db")',
    ].join('\n');
  const appEnv = { 'deploy/app.env': 'SESSION_ENGINE=django.contrib.sessions.backends.signed_cookies\nFROM_PROCESS=/file\n' };

  it('tests whether a file exists (Path.exists(), is_file(), os.path.isfile()) and loads it only if so', async () => {
    for (const condition of ['ENV_FILE.exists()', 'ENV_FILE.is_file()', 'os.path.isfile(ENV_FILE)', 'os.path.exists(str(ENV_FILE))']) {
      const { project, dir } = await read({ 'proj/settings.py': settings(condition), ...appEnv });
      dirs.push(dir);
      assert.equal(setting(project, 'SESSION_ENGINE'), 'django.contrib.sessions.backends.signed_cookies', condition);
      // Creating or deleting the file changes the settings, so it is watched.
      assert.ok(project.envFiles.includes(path.join(dir, 'deploy/app.env')), condition);
    }
    const { project, dir } = await read({ 'proj/settings.py': settings('ENV_FILE.exists()') });
    dirs.push(dir);
    assert.equal(setting(project, 'SESSION_ENGINE'), 'django.contrib.sessions.backends.db');
    assert.ok(project.envFiles.includes(path.join(dir, 'deploy/app.env')));
    const asDir = await read({ 'proj/settings.py': settings('ENV_FILE.is_dir()'), ...appEnv });
    dirs.push(asDir.dir);
    assert.equal(setting(asDir.project, 'SESSION_ENGINE'), 'django.contrib.sessions.backends.db');
  });

  it('makes what a load under an undecidable condition may set unknown, naming the load', async () => {
    const { project, dir } = await read({ 'proj/settings.py': settings('os.environ["DEPLOYED"] == "yes"'), ...appEnv }, { FROM_PROCESS: '/process' });
    dirs.push(dir);
    const file = path.join(dir, 'proj/settings.py');
    const reason = `environment variable SESSION_ENGINE may be set by ${path.join('deploy', 'app.env')} (loaded at ${path.join('proj', 'settings.py')}:8) or not: depends on a condition that cannot be evaluated statically (os.environ["DEPLOYED"] == "yes": needs environment variable DEPLOYED)`;
    assert.deepEqual(project.settings.find((s) => s.name === 'SESSION_ENGINE')?.value, { kind: 'unknown', reason, location: { file, line: 9, column: 17 } });
    // python-decouple's config() reads the environment first, so it is undecided alike.
    assert.deepEqual(setting(project, 'DECOUPLED'), { unresolved: reason });
    // A variable the file does not set, and one the process environment sets (which a loaded file never overrides), stay known.
    assert.equal(setting(project, 'SESSION_COOKIE_NAME'), 'sessionid');
    assert.equal(setting(project, 'SESSION_COOKIE_PATH'), '/process');
    assert.deepEqual(project.stores, []);
  });

  it('makes every variable a load whose file cannot be told may set unknown, after that load', async () => {
    const { project, dir } = await read({
      'proj/settings.py': ['import os', 'from dotenv import load_dotenv', 'A = os.environ.get("X", "before")', 'load_dotenv(os.environ["ENV_PATH"])', 'B = os.environ.get("X", "after")', 'C = os.environ.get("SET")'].join('\n'),
    }, { SET: 'process' });
    dirs.push(dir);
    assert.equal(setting(project, 'A'), 'before');
    assert.deepEqual(setting(project, 'B'), {
      unresolved: `environment variable X may be set by the env file loaded at ${path.join('proj', 'settings.py')}:4, which cannot be told statically (needs environment variable ENV_PATH)`,
    });
    assert.equal(setting(project, 'C'), 'process');
  });
});

describe('which .env files apply', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  // cookiecutter-django's base.py: the root .env is read only when DJANGO_READ_DOT_ENV_FILE says so.
  const cookiecutter = [
    'from pathlib import Path',
    'import environ',
    'ROOT_DIR = Path(__file__).resolve(strict=True).parent.parent',
    'env = environ.Env()',
    'READ_DOT_ENV_FILE = env.bool("DJANGO_READ_DOT_ENV_FILE", default=False)',
    'if READ_DOT_ENV_FILE:',
    '    env.read_env(str(ROOT_DIR / ".env"))',
    'DATABASES = {"default": env.db("DATABASE_URL", default="postgres:///app")}',
  ].join('\n');
  const rootEnv = { '.env': 'DATABASE_URL=sqlite:///other.sqlite3\n' };

  it('applies the root .env only where the settings load it, when they load it themselves', async () => {
    const off = await read({ 'proj/settings.py': cookiecutter, ...rootEnv });
    const on = await read({ 'proj/settings.py': cookiecutter, ...rootEnv }, { DJANGO_READ_DOT_ENV_FILE: 'True' });
    dirs.push(off.dir, on.dir);
    assert.deepEqual(off.project.stores[0]?.database, { vendor: 'postgresql', host: '', name: 'app' });
    assert.deepEqual(on.project.stores[0]?.database, { vendor: 'sqlite', path: path.join(on.dir, 'other.sqlite3') });
    // Settings that load no env file, or only others, get the root .env as docker-compose or direnv would give it.
    const plain = 'import os\nimport environ\nenv = environ.Env()\nDATABASES = {"default": env.db("DATABASE_URL", default="postgres:///app")}\n';
    for (const source of [plain, `${plain}env.read_env("deploy/other.env")\n`]) {
      const { project, dir } = await read({ 'proj/settings.py': source, ...rootEnv });
      dirs.push(dir);
      assert.deepEqual(project.stores[0]?.database, { vendor: 'sqlite', path: path.join(dir, 'other.sqlite3') }, source);
      // …and say so, for Django run without that file uses other values (GeoNode's and wger's docker-compose .env).
      assert.deepEqual(project.stores[0]?.unloadedEnv, { names: ['DATABASE_URL'], files: [path.join(dir, '.env')] });
    }
    assert.equal(on.project.stores[0]?.unloadedEnv, undefined);
  });

  it("tries each directory's .env with environ.Path.file(), which raises where it is missing (Funkwhale)", async () => {
    const source = [
      'import environ',
      'ROOT_DIR = environ.Path(__file__) - 2',
      'env = environ.Env()',
      'for path in [ROOT_DIR, (ROOT_DIR - 1) + "config"]:',
      '    try:',
      '        env_path = path.file(".env")',
      '    except FileNotFoundError:',
      '        continue',
      '    env.read_env(env_path)',
      '    break',
      'SECRET_KEY = env("DJANGO_SECRET_KEY", default="test")',
    ].join('\n');
    const none = await read({ 'proj/settings.py': source });
    const found = await read({ 'proj/settings.py': source, '.env': 'DJANGO_SECRET_KEY=from-file\n' });
    dirs.push(none.dir, found.dir);
    assert.deepEqual([setting(none.project, 'SECRET_KEY'), setting(found.project, 'SECRET_KEY')], ['test', 'from-file']);
  });

  it("loads what manage.py loads before Django imports the settings, under __main__ or in its main() (Pontoon's .env/.env)", async () => {
    const pontoon = [
      'import os, sys',
      'import dotenv',
      'ROOT = os.path.dirname(__file__)',
      'def path(*args):',
      '    return os.path.join(ROOT, *args)',
      'if __name__ == "__main__":',
      '    if "DOTENV_PATH" in os.environ:',
      '        dotenv.read_dotenv(os.environ.get("DOTENV_PATH"))',
      '    elif os.path.isfile(path(".env", ".env")):',
      '        dotenv.read_dotenv(path(".env", ".env"))',
      '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")',
      '    from django.core.management import execute_from_command_line',
      '    execute_from_command_line(sys.argv)',
    ].join('\n');
    const template = 'import os, sys\nfrom dotenv import load_dotenv\n\ndef main():\n    load_dotenv("deploy/app.env")\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n\nif __name__ == "__main__":\n    main()\n';
    const settings = 'import os\nSECRET_KEY = os.environ.get("SECRET_KEY", "default")\n';
    const loaded = await read({ 'manage.py': pontoon, 'proj/settings.py': settings, '.env/.env': 'SECRET_KEY=from-dotenv-dir\n' });
    const viaMain = await read({ 'manage.py': template, 'proj/settings.py': settings, 'deploy/app.env': 'SECRET_KEY=from-app-env\n' });
    const given = await read({ 'manage.py': pontoon, 'proj/settings.py': settings, '.env/.env': 'SECRET_KEY=from-dotenv-dir\n', 'other.env': 'SECRET_KEY=from-other\n' }, { DOTENV_PATH: 'other.env' });
    dirs.push(loaded.dir, viaMain.dir, given.dir);
    assert.deepEqual([loaded, viaMain, given].map(({ project }) => setting(project, 'SECRET_KEY')), ['from-dotenv-dir', 'from-app-env', 'from-other']);
    assert.equal(loaded.project.stores[0]?.unloadedEnv, undefined, 'a file manage.py loads is loaded');
  });

  it('names the SECRET_KEY read from a .env the settings do not load, and not one the process environment gives', async () => {
    const source = 'import os\nSECRET_KEY = os.getenv("SECRET_KEY", "default-key")\nDEBUG = os.getenv("DEBUG", "0")\n';
    const guessed = await read({ 'proj/settings.py': source, '.env': 'SECRET_KEY=from-env-file\nDEBUG=1\nUNUSED=x\n' });
    const given = await read({ 'proj/settings.py': source, '.env': 'SECRET_KEY=from-env-file\n' }, { SECRET_KEY: 'from-process' });
    dirs.push(guessed.dir, given.dir);
    const store = guessed.project.stores[0]!;
    assert.deepEqual([store.secretKeys.values, store.secretKeys.unloadedEnvVariable, store.unloadedEnv?.names], [['from-env-file'], 'SECRET_KEY', ['DEBUG', 'SECRET_KEY']]);
    assert.equal(unloadedEnvNote(store, (file) => path.relative(guessed.dir, file)), "DEBUG, SECRET_KEY come from .env, which the settings do not load themselves; they are what Django uses only where something loads that file for it (docker-compose, direnv, pipenv, the editor's debugger)");
    assert.deepEqual([given.project.stores[0]?.secretKeys.values, given.project.stores[0]?.unloadedEnv], [['from-process'], undefined]);
  });
});
