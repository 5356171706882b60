import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { Redis } from 'ioredis';
import { PyDict } from '../../engine/src/codec';
import { openCacheStore } from '../../engine/src/stores/cache/openCacheStore';
import { cacheDescriptor, TEST_SECRET } from '../unit/engine/stores/cache/cacheDescriptor';
import { cli, cliProject } from './cliRun';
import { tag } from './codecTagged';
import { REDIS, requireService, runTag } from './localServices';
import { PYTHON, requireDjango, runDjangoScript } from './realDjango';

const DB_INDEX = 12;

/** A session pickle holding a value the safe reader refuses (a Fraction), as Django's cache would store it. */
function pickledWithFraction(userId: string): Buffer {
  const script = `import pickle, fractions, sys; sys.stdout.buffer.write(pickle.dumps({'_auth_user_id': ${JSON.stringify(userId)}, 'share': fractions.Fraction(1, 3)}, 4))`;
  return spawnSync(PYTHON, ['-c', script]).stdout;
}

describe('count --user and logout-user with a session that does not decode', function () {
  let raw: Redis;

  before(async function () {
    requireDjango(this);
    await requireService(this, REDIS);
    raw = new Redis({ host: '127.0.0.1', port: 6379, db: DB_INDEX, lazyConnect: true });
    await raw.connect();
  });
  after(() => raw?.disconnect());

  it('report it as unchecked (text, JSON, exit 4 for logout-user) instead of skipping it silently', async () => {
    const prefix = runTag();
    const url = `redis://127.0.0.1:6379/${DB_INDEX}?key_prefix=${prefix}&client=django-redis`;
    const cache = { BACKEND: 'django_redis.cache.RedisCache', LOCATION: `redis://127.0.0.1:6379/${DB_INDEX}`, KEY_PREFIX: prefix };
    const django = <T>(ops: object[]) => runDjangoScript<T[]>('cache_django.py', [], { config: { secret_key: TEST_SECRET, engine: 'cache', cache }, ops });
    const store = await openCacheStore(cacheDescriptor(url));
    const dir = cliProject({ secret: TEST_SECRET, use_tz: true, time_zone: 'UTC' });
    const base = ['--project', dir, '--store', url];
    try {
      const [plain] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['_auth_user_id', '42']])) }]);
      const opaque = `frac${runTag()}abcdefghijklmnopq`;
      await raw.set(store.keys.cacheKey(opaque), pickledWithFraction('42'), 'EX', 600);

      const count = await cli([...base, 'count', '--user', '42']);
      assert.equal(count.out.trim(), '1');
      assert.match(count.err, /warning: .*1 session could not be decoded and was not checked/);
      const counted = JSON.parse((await cli([...base, '--json', 'count', '--user', '42'])).out) as { stores: Array<{ count: number; undecodable?: number }> };
      assert.deepEqual(counted.stores.map((s) => [s.count, s.undecodable]), [[1, 1]]);

      const logout = await cli([...base, 'logout-user', '42', '--yes']);
      assert.equal(logout.code, 4);
      assert.equal(logout.out.trim(), '1 session of user 42 deleted; 1 session could not be decoded and was not checked (list shows why), so the user may still be logged in there');
      assert.equal(django<{ exists: boolean }>([{ op: 'load', key: plain!.key }])[0]?.exists, false);
      assert.equal(await raw.exists(store.keys.cacheKey(opaque)), 1, 'the unchecked session is left as it was');
      const again = await cli([...base, '--json', 'logout-user', '42', '--yes']);
      assert.equal(again.code, 4);
      assert.deepEqual((JSON.parse(again.out) as { stores: Array<{ deleted: number; undecodable?: number }> }).stores.map((s) => [s.deleted, s.undecodable]), [[0, 1]]);
    } finally {
      const keys = await raw.keys(`${prefix}*`);
      if (keys.length > 0) {
        await raw.del(...keys);
      }
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
