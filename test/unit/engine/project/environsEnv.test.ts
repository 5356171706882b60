import * as assert from 'node:assert/strict';
import { evaluatedSettings } from './evaluatedSettings';

/** BookWyrm's settings, cut to what reads the environment through environs. */
const BOOKWYRM = [
  'from environs import Env',
  'env = Env()',
  'env.read_env()',
  'DOMAIN = env("DOMAIN")',
  'SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", 3600 * 24 * 365)',
  'SECRET_KEY = env("SECRET_KEY", None)',
  'DEBUG = env.bool("DEBUG", "false")',
  'ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", [])',
  'DATABASES = {"default": env.dj_db_url("DATABASE_URL", "sqlite:///db.sqlite3")}',
  'if env.bool("USE_DUMMY_CACHE", False):',
  '    SESSION_ENGINE = "django.contrib.sessions.backends.db"',
  'else:',
  '    SESSION_ENGINE = "django.contrib.sessions.backends.cache"',
  'try:',
  '    OPTIONAL = env("OPTIONAL")',
  'except Exception:',
  '    OPTIONAL = "fallback"',
];

describe('environs, as BookWyrm reads its settings', () => {
  it("reads variables and deserializes them as environs does, its defaults too, and .env through read_env()", async () => {
    const { json } = await evaluatedSettings({ 'proj/settings.py': BOOKWYRM.join('\n'), 'proj/.env': 'DOMAIN=localhost\nALLOWED_HOSTS=a.example,b.example\n' }, 'proj/settings.py', { SESSION_COOKIE_AGE: '60', USE_DUMMY_CACHE: 'Yes' });
    assert.deepEqual(
      ['DOMAIN', 'SESSION_COOKIE_AGE', 'SECRET_KEY', 'DEBUG', 'ALLOWED_HOSTS', 'SESSION_ENGINE', 'OPTIONAL'].map(json),
      ['localhost', 60, null, false, ['a.example', 'b.example'], 'django.contrib.sessions.backends.db', 'fallback'],
    );
    assert.deepEqual(json('DATABASES'), { default: { ENGINE: 'django.db.backends.sqlite3', NAME: 'db.sqlite3' } });
  });

  it('says what is needed where a variable has no default, and raises EnvError for a value marshmallow refuses', async () => {
    const { json, result } = await evaluatedSettings({ 'proj/settings.py': BOOKWYRM.join('\n') }, 'proj/settings.py', { USE_DUMMY_CACHE: 'maybe' });
    assert.deepEqual([json('DOMAIN'), json('SESSION_COOKIE_AGE'), json('OPTIONAL')], [{ unresolved: 'needs environment variable DOMAIN' }, 31536000, 'fallback']);
    assert.match(result.problems.map((problem) => problem.message).join('\n'), /the settings raise EnvError here: environs raises EnvError: "maybe" is not a valid boolean/);
  });
});
