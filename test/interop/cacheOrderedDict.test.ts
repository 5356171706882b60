import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { openCacheStore } from '../../engine/src/stores/cache/openCacheStore';
import { cacheDescriptor, TEST_SECRET } from '../unit/engine/stores/cache/cacheDescriptor';
import { cli, cliProject } from './cliRun';
import { runTag } from './localServices';
import { PYTHON, runDjangoScript } from './realDjango';
import { redisDjangoSuite } from './redisDjangoSuite';

const DB_INDEX = 15;

describe('a cache session holding a collections.OrderedDict', function () {
  let raw: Awaited<ReturnType<typeof redisDjangoSuite>>['raw'];

  before(async function () {
    ({ raw } = await redisDjangoSuite(this, DB_INDEX));
  });
  after(() => raw?.disconnect());

  it('is counted by user and edited, and Django 3.2 (django-redis) reads the OrderedDict back, in order', async () => {
    const prefix = runTag();
    const url = `redis://127.0.0.1:6379/${DB_INDEX}?key_prefix=${prefix}&client=django-redis`;
    const cache = { BACKEND: 'django_redis.cache.RedisCache', LOCATION: `redis://127.0.0.1:6379/${DB_INDEX}`, KEY_PREFIX: prefix };
    const store = await openCacheStore(cacheDescriptor(url));
    const dir = cliProject({ secret: TEST_SECRET, use_tz: true, time_zone: 'UTC' });
    const base = ['--project', dir, '--store', url];
    try {
      const key = `odict${runTag()}abcdefghijklmnopq`;
      const script = "import pickle, collections, sys; sys.stdout.buffer.write(pickle.dumps({'_auth_user_id': '8', 'steps': collections.OrderedDict([('z', 1), ('a', 2)])}, 4))";
      await raw.set(store.keys.cacheKey(key), spawnSync(PYTHON, ['-c', script]).stdout, 'EX', 600);
      assert.equal((await cli([...base, 'count', '--user', '8'])).out.trim(), '1');
      const set = await cli([...base, 'set', key, 'cart', '"x"']);
      assert.equal(set.code, 0, set.err);
      const [loaded] = runDjangoScript<{ repr: string }[]>('cache_django.py', [], { config: { secret_key: TEST_SECRET, engine: 'cache', cache }, ops: [{ op: 'load_repr', key }] });
      assert.equal(loaded!.repr, "{'_auth_user_id': '8', 'steps': OrderedDict([('z', 1), ('a', 2)]), 'cart': 'x'}");
    } finally {
      const keys = await raw.keys(`${prefix}*`);
      if (keys.length > 0) {
        await raw.del(...keys);
      }
      await store.close();
    }
  });
});
