import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { settingValueToJson, type DjangoProject } from '../../../../engine/src/project';
import { projectWithSettings } from './settingsProject';

const value = (project: DjangoProject, name: string) => settingValueToJson(project.settings.find((s) => s.name === name)!.value);

const SETTINGS = [
  'import environ',
  'env = environ.FileAwareEnv(DEBUG=(bool, False))',
  'SECRET_KEY = env("SECRET_KEY")',
  'DATABASES = {"default": env.db("DATABASE_URL", default="sqlite:///db.sqlite3")}',
  'SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=600)',
  'DEBUG = env("DEBUG")',
  '',
].join('\n');

describe("django-environ's FileAwareEnv", () => {
  it('reads a variable as Env does where NAME_FILE is not set, its schemes and defaults too', async () => {
    const project = await projectWithSettings(SETTINGS, {}, { SECRET_KEY: 'plain' });
    assert.deepEqual(['SECRET_KEY', 'SESSION_COOKIE_AGE', 'DEBUG'].map((name) => value(project, name)), ['plain', 600, false]);
    assert.deepEqual(project.stores.map((store) => store.id), ['db:default']);
  });

  it('reads the whole file NAME_FILE names before NAME itself, as Docker secrets are given, and casts it', async () => {
    const project = await projectWithSettings(SETTINGS, { 'secrets/key': 's3cr3t\n', 'secrets/age': '7200', 'secrets/db': 'postgres://app@db/app' }, {
      SECRET_KEY: 'plain',
      SECRET_KEY_FILE: 'secrets/key',
      SESSION_COOKIE_AGE_FILE: 'secrets/age',
      DATABASE_URL_FILE: 'secrets/db',
    });
    assert.deepEqual(['SECRET_KEY', 'SESSION_COOKIE_AGE'].map((name) => value(project, name)), ['s3cr3t\n', 7200]);
    const database = project.stores[0]?.database;
    assert.deepEqual(database?.vendor === 'postgresql' ? [database.host, database.name, database.user] : database, ['db', 'app', 'app']);
  });

  it('says the settings raise where NAME_FILE names a file that is not there', async () => {
    const project = await projectWithSettings(SETTINGS, {}, { SECRET_KEY_FILE: 'secrets/key' });
    const file = path.join(project.root, 'secrets', 'key');
    assert.deepEqual(project.problems[0]?.message, `the settings raise FileNotFoundError here: SECRET_KEY_FILE names ${file}, which FileAwareEnv cannot read (ENOENT), so Django cannot start with them as they read in this environment`);
  });
});
