import * as assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { PyDict } from '../../engine/src/codec';
import { openCacheStore } from '../../engine/src/stores/cache/openCacheStore';
import { cacheDescriptor } from '../unit/engine/stores/cache/cacheDescriptor';
import { REDIS, requireService, runTag } from './localServices';

/**
 * Another app's non-string value under the session key prefix (a hash) makes Redis answer
 * WRONGTYPE for that key alone: it is no session, and every other session stays reachable.
 */
describe('a Redis key of another type under the session prefix', function () {
  let raw: Redis;
  let prefix: string;

  before(async function () {
    await requireService(this, REDIS);
    prefix = runTag();
    raw = new Redis({ host: '127.0.0.1', port: 6379, db: 0, lazyConnect: true });
    await raw.connect();
  });
  after(async () => {
    const [, keys] = (await raw?.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 100000)) ?? ['0', []];
    if (keys.length > 0) {
      await raw.del(...keys);
    }
    raw?.disconnect();
  });

  it('is skipped: list, count and logout still see and reach every session, and only those', async () => {
    const store = await openCacheStore(cacheDescriptor(`redis://127.0.0.1:6379/0?key_prefix=${prefix}&client=django`));
    try {
      await store.save('foreignvalues000000000000000001', new PyDict([['_auth_user_id', '5']]), { create: true });
      await store.save('foreignvalues000000000000000002', new PyDict([['_auth_user_id', '6']]), { create: true });
      await raw.hset(`${prefix}:1:django.contrib.sessions.cacheforeignhash00000001`, 'a', 'b');
      assert.deepEqual((await store.list({ limit: 10 })).sessions.map((s) => s.key).sort(), ['foreignvalues000000000000000001', 'foreignvalues000000000000000002']);
      await raw.rpush(`${prefix}:1:django.contrib.sessions.cacheforeignlist00000001`, 'x');
      assert.equal(await store.count(), 2, 'a count without a filter leaves them out too, as list does');
      assert.equal(await store.count({ userId: '5' }), 1);
      assert.equal(await store.deleteByUser('5'), 1);
      assert.equal(await store.get('foreignvalues000000000000000001'), undefined);
      assert.equal(await raw.type(`${prefix}:1:django.contrib.sessions.cacheforeignhash00000001`), 'hash', 'the other app’s key is left alone');
      // Asked for by its key, it is no session either, not a failure.
      assert.equal(await store.get('foreignhash00000001'), undefined);
      await assert.rejects(store.clear('foreignhash00000001'), (err: Error) => /No session/.test(err.message));
    } finally {
      await store.close();
    }
  });
});
