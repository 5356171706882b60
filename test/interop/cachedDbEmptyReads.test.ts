import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { discoverProjects, openStore } from '../../engine/src';
import { tempProject } from '../unit/engine/project/tempProject';
import { TRUSTING_ENV } from '../unit/engine/stores/sqlJsTrust';
import { REDIS, requireService } from './localServices';
import { itOnEachDjango, requireDjango, runInProject } from './realDjango';

const DB_INDEX = 7;

/**
 * A cached_db row that Django reads as an empty session (signed with a SECRET_KEY since rotated
 * out) gets `{}` in the cache on Django's next load: that entry is what Django reads from the
 * row, not drift, and dropping it would change nothing.
 */
describe('interop: cached_db entries Django filled from a row it reads as empty', function () {
  this.timeout(120_000);
  before(async function () {
    requireDjango(this);
    await requireService(this, REDIS);
  });

  itOnEachDjango(async (djangoPath) => {
    const prefix = `djs_test_${randomBytes(4).toString('hex')}`;
    const backend = djangoPath ? 'django.core.cache.backends.redis.RedisCache' : 'django_redis.cache.RedisCache';
    const settings = (secret: string) =>
      [
        'import os',
        `SECRET_KEY = "${secret}-${'k'.repeat(40)}"`,
        'INSTALLED_APPS = ["django.contrib.sessions"]',
        'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(os.path.dirname(__file__), "db.sqlite3")}}',
        'SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"',
        `CACHES = {"default": {"BACKEND": "${backend}", "LOCATION": "redis://127.0.0.1:6379/${DB_INDEX}", "KEY_PREFIX": "${prefix}"}}`,
        'USE_TZ = True',
        'LOGGING_CONFIG = None',
        '',
      ].join('\n');
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
      'proj/__init__.py': '',
      'proj/settings.py': settings('old'),
      'requirements.txt': `Django==${djangoPath ? '5.2' : '3.2.25'}\n`,
    });
    const cacheApi = 'from django.core.cache import cache\nfrom django.contrib.sessions.backends.cached_db import SessionStore, KEY_PREFIX';
    let key = '';
    try {
      const create = [cacheApi, 'from django.core.management import call_command', 'call_command("migrate", verbosity=0)', 's = SessionStore()', 's["cart"] = [1, 2]', 's.create()', 'print(s.session_key)'];
      key = runInProject(root, create.join('\n'), djangoPath);
      fs.writeFileSync(`${root}/proj/settings.py`, settings('new'));
      // The entry goes (its TTL, an eviction, a cache restart) and the next request loads the row with the new key.
      const load = [cacheApi, `cache.delete(KEY_PREFIX + "${key}")`, `print(SessionStore("${key}").load())`, `print(cache.get(KEY_PREFIX + "${key}"))`];
      assert.equal(runInProject(root, load.join('\n'), djangoPath), '{}\n{}');
      const [project] = await discoverProjects(root, { env: {} });
      const store = await openStore(project!.stores[0]!, { env: TRUSTING_ENV });
      try {
        const record = await store.get(key);
        assert.equal(record?.decoded.ok && record.decoded.session.signature, 'invalid');
        assert.equal(record?.cacheState, 'in-sync', record?.cacheNote);
      } finally {
        await store.close();
      }
    } finally {
      if (key) {
        runInProject(root, `${cacheApi}\ncache.delete(KEY_PREFIX + "${key}")`, djangoPath);
      }
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
