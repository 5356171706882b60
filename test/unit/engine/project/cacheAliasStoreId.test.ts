import * as assert from 'node:assert/strict';
import { projectWithSettings } from './settingsProject';

const CACHES = 'CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/0"}, "sessions": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": os.environ["SESSIONS_REDIS"]}}\n';

describe('SESSION_CACHE_ALIAS', () => {
  it('names the store even when its cache cannot be read', async () => {
    const project = await projectWithSettings(`import os\nSECRET_KEY = "k"\n${CACHES}SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"\nSESSION_CACHE_ALIAS = "sessions"\n`);
    assert.deepEqual([project.stores[0]?.id, project.stores[0]?.cache], ['cached_db:default+sessions', undefined]);
    assert.ok(project.problems.some((p) => p.message === "CACHES['sessions']['LOCATION']: needs environment variable SESSIONS_REDIS"));
  });

  it('that cannot be read gives no cache, rather than the default one', async () => {
    const project = await projectWithSettings(`import os\nSECRET_KEY = "k"\n${CACHES}SESSION_ENGINE = "django.contrib.sessions.backends.cache"\nSESSION_CACHE_ALIAS = os.environ["ALIAS"]\n`);
    assert.deepEqual([project.stores[0]?.id, project.stores[0]?.cache], ['cache:?', undefined]);
    assert.deepEqual(project.problems.map((p) => p.message), ['SESSION_CACHE_ALIAS: needs environment variable ALIAS']);
  });
});
