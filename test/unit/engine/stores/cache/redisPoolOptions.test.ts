import * as assert from 'node:assert/strict';
import type { Binding } from '../../../../../engine/src/project/evaluationContext';
import type { SettingValue } from '../../../../../engine/src/project/settingValue';
import { storeDescriptorsFor } from '../../../../../engine/src/project/storeDescriptors';
import { cacheSettingsOf } from '../../../../../engine/src/stores/cache/cacheSettings';
import { parseRedisLocation } from '../../../../../engine/src/stores/cache/redis/redisLocation';
import { StoreError } from '../../../../../engine/src/stores/storeError';

const FILE = '/project/settings.py';
const str = (value: string): SettingValue => ({ kind: 'str', value });
const int = (value: number): SettingValue => ({ kind: 'int', value });
const dict = (entries: Record<string, SettingValue>): SettingValue => ({ kind: 'dict', entries: new Map(Object.entries(entries)) });
const DJANGO = 'django.core.cache.backends.redis.RedisCache';
const DJANGO_REDIS = 'django_redis.cache.RedisCache';

/** The first location's database, user and password, and the problems, for CACHES['default'] of a cache session store. */
function opened(backend: string, location: string, options?: SettingValue) {
  const entry = dict({ BACKEND: str(backend), LOCATION: str(location), ...(options ? { OPTIONS: options } : {}) });
  const values = new Map<string, Binding>([
    ['SESSION_ENGINE', { value: str('django.contrib.sessions.backends.cache'), location: { file: FILE, line: 3, column: 0 } }],
    ['SECRET_KEY', { value: str('s'.repeat(50)), location: { file: FILE, line: 1, column: 0 } }],
    ['CACHES', { value: dict({ default: entry }), location: { file: FILE, line: 10, column: 0 } }],
  ]);
  const { stores, problems } = storeDescriptorsFor(values, FILE, '/project', undefined);
  const settings = cacheSettingsOf(stores[0]!);
  const { db, username, password } = parseRedisLocation(settings.locations[0]!);
  return { db, username, password, problems: problems.map((p) => p.message) };
}

describe("a Redis cache's OPTIONS: the database, user and password redis-py's pool takes from them", () => {
  it("Django's RedisCache: OPTIONS db, username and password, where LOCATION leaves them out", () => {
    assert.deepEqual(opened(DJANGO, 'redis://127.0.0.1:6379', dict({ db: int(9), username: str('app'), password: str('p@ss') })), { db: 9, username: 'app', password: 'p@ss', problems: [] });
    assert.equal(opened(DJANGO, 'redis://127.0.0.1:6379/', dict({ db: str('9') })).db, 9);
    assert.equal(opened(DJANGO, 'redis://127.0.0.1:6379', dict({ db: { kind: 'none' } })).db, 0);
  });

  it('django-redis: CONNECTION_POOL_KWARGS, and PASSWORD below its password', () => {
    assert.deepEqual(opened(DJANGO_REDIS, 'redis://127.0.0.1:6379', dict({ CONNECTION_POOL_KWARGS: dict({ db: int(9), username: str('app') }), PASSWORD: str('pw') })), { db: 9, username: 'app', password: 'pw', problems: [] });
    assert.equal(opened(DJANGO_REDIS, 'redis://127.0.0.1:6379', dict({ CONNECTION_POOL_KWARGS: dict({ password: str('pool') }), PASSWORD: str('pw') })).password, 'pool');
    // Django's own keyword is no pool keyword for django-redis.
    assert.equal(opened(DJANGO_REDIS, 'redis://127.0.0.1:6379', dict({ db: int(9) })).db, 0);
  });

  it("the URL's own database (?db= before the path), user and password win, as in redis-py's from_url", () => {
    const options = dict({ db: int(9), username: str('other'), password: str('other') });
    assert.deepEqual(opened(DJANGO, 'redis://app:pw@127.0.0.1:6379/2', options), { db: 2, username: 'app', password: 'pw', problems: [] });
    assert.equal(opened(DJANGO, 'redis://127.0.0.1:6379/2?db=3', options).db, 3);
    assert.equal(opened(DJANGO, 'unix:///run/redis.sock', options).db, 9);
    assert.equal(opened(DJANGO, 'unix:///run/redis.sock?db=4', options).db, 4);
  });

  it('a database OPTIONS may hold but that cannot be read statically: no store, with a problem, unless LOCATION names it', () => {
    const unreadable = { kind: 'unknown', reason: 'needs environment variable REDIS_DB' } as const;
    for (const [backend, options] of [
      [DJANGO, dict({ db: unreadable })],
      [DJANGO, unreadable],
      [DJANGO_REDIS, dict({ CONNECTION_POOL_KWARGS: dict({ db: unreadable }) })],
      [DJANGO_REDIS, dict({ CONNECTION_POOL_KWARGS: unreadable })],
    ] as const) {
      assert.throws(
        () => opened(backend, 'redis://127.0.0.1:6379', options),
        (e: unknown) => e instanceof StoreError && e.code === 'unsupported' && /may name the Redis database .*needs environment variable REDIS_DB|needs environment variable REDIS_DB.*may name the Redis database/.test(e.message),
      );
      assert.equal(opened(backend, 'redis://127.0.0.1:6379/5', options).db, 5);
    }
  });
});
