import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { PyDict } from '../../engine/src/codec';
import { TEST_SECRET } from '../unit/engine/stores/cache/cacheDescriptor';
import { cli } from './cliRun';
import { tag } from './codecTagged';
import { REDIS, requireService, runTag } from './localServices';
import { django52ForCases, requireDjango, runDjangoScript } from './realDjango';

/** The database OPTIONS name; LOCATION names none, so database 0 is where a reader ignoring OPTIONS looks. */
const DB_INDEX = 9;

/** A project whose settings.py holds `caches` (a Python literal) as CACHES. */
function project(caches: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-redis-options-'));
  fs.writeFileSync(path.join(dir, 'manage.py'), 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n');
  fs.mkdirSync(path.join(dir, 'conf'));
  fs.writeFileSync(path.join(dir, 'conf', '__init__.py'), '');
  fs.writeFileSync(path.join(dir, 'conf', 'settings.py'), `SECRET_KEY = '${TEST_SECRET}'\nUSE_TZ = True\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'\nCACHES = ${caches}\n`);
  return dir;
}

const CASES = [
  { name: "Django 5.2's RedisCache with OPTIONS {'db': 9}", django52: true, backend: 'django.core.cache.backends.redis.RedisCache', options: { db: DB_INDEX } },
  { name: "django-redis with OPTIONS {'CONNECTION_POOL_KWARGS': {'db': 9}}", django52: false, backend: 'django_redis.cache.RedisCache', options: { CONNECTION_POOL_KWARGS: { db: DB_INDEX } } },
];

describe('a Redis cache whose database is in OPTIONS, not in LOCATION', function () {
  let db: Redis;
  let dbZero: Redis;
  let dir52: string | undefined;

  before(async function () {
    requireDjango(this);
    await requireService(this, REDIS);
    db = new Redis({ host: '127.0.0.1', port: 6379, db: DB_INDEX, lazyConnect: true });
    dbZero = new Redis({ host: '127.0.0.1', port: 6379, db: 0, lazyConnect: true });
    await db.connect();
    await dbZero.connect();
    dir52 = django52ForCases();
  });
  after(() => {
    db?.disconnect();
    dbZero?.disconnect();
  });

  for (const c of CASES) {
    it(`${c.name}: sessions Django wrote there are counted, and logout-user logs the user out for Django`, async function () {
      if (c.django52 && !dir52) {
        this.skip();
      }
      const prefix = runTag();
      const cache = { BACKEND: c.backend, LOCATION: 'redis://127.0.0.1:6379', KEY_PREFIX: prefix, OPTIONS: c.options };
      const django = <T>(ops: object[]) => runDjangoScript<T[]>('cache_django.py', [], { config: { secret_key: TEST_SECRET, engine: 'cache', cache }, ops }, c.django52 ? dir52 : undefined);
      const dir = project(JSON.stringify({ default: cache }));
      try {
        const [created] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['_auth_user_id', '42']])) }]);
        const key = created!.key;
        assert.equal((await db.keys(`${prefix}*`)).length, 1, 'Django wrote to database 9');
        const count = await cli(['--project', dir, 'count', '--user', '42']);
        assert.equal(count.out.trim(), '1', count.err);
        const logout = await cli(['--project', dir, 'logout-user', '42', '--yes']);
        assert.equal(logout.code, 0, logout.err);
        assert.equal(logout.out.trim(), '1 session of user 42 deleted');
        assert.deepEqual(django<{ exists: boolean }>([{ op: 'load', key }])[0]?.exists, false, 'Django no longer finds the session');
        assert.equal((await dbZero.keys(`${prefix}*`)).length, 0, 'nothing was written to database 0');
      } finally {
        const keys = await db.keys(`${prefix}*`);
        if (keys.length > 0) {
          await db.del(...keys);
        }
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
