import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverProjects, envFileVariablesNote } from '../../../../engine/src';
import { tempProject } from './tempProject';

describe('variables the settings need that a project env file writes down', () => {
  it("names them and the files, where the settings load .env only under a condition (cookiecutter-django's DJANGO_READ_DOT_ENV_FILE)", async () => {
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")\n',
      'config/__init__.py': '',
      'config/settings.py': [
        'import environ',
        'from pathlib import Path',
        'BASE_DIR = Path(__file__).resolve().parent.parent',
        'env = environ.Env()',
        'if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):',
        '    env.read_env(str(BASE_DIR / ".env"))',
        'SECRET_KEY = "k"',
        'DATABASES = {"default": env.db("DATABASE_URL")}',
        'CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": env("REDIS_URL")}}',
        'SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"',
        '',
      ].join('\n'),
      '.env': 'DATABASE_URL=postgres://app@127.0.0.1/shop\nREDIS_URL=redis://127.0.0.1:6379/1\n',
      // A name without a value writes none down: DATABASE_URL is named for .env only.
      '.envs/.local/.django': 'REDIS_URL=redis://redis:6379/0\nUNRELATED=1\nDATABASE_URL\n',
    });
    try {
      const [project] = await discoverProjects(root, { env: {} });
      const note = envFileVariablesNote(project!, (file) => path.relative(root, file));
      assert.equal(
        note,
        'DATABASE_URL, REDIS_URL are not set here, but written in .env (DATABASE_URL, REDIS_URL) and .envs/.local/.django (REDIS_URL), which the settings as read here do not load (they load such a file only under a condition, or docker-compose or direnv loads it for Django); set them in the environment VS Code or the CLI starts from, or name the store with a URL',
      );
      // Set where the settings are read, they resolve, and there is nothing to say.
      const [withEnv] = await discoverProjects(root, { env: { DJANGO_READ_DOT_ENV_FILE: 'True' } });
      assert.equal(envFileVariablesNote(withEnv!, (file) => file), undefined);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
