import * as assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { PyDict, pickleDumps } from '../../engine/src/codec';
import type { CacheSessionStore } from '../../engine/src/stores/cache/cacheSessionStore';
import { openCacheStore } from '../../engine/src/stores/cache/openCacheStore';
import { cacheDescriptor, TEST_SECRET } from '../unit/engine/stores/cache/cacheDescriptor';
import { normalizeTagged, tag, type Tagged } from './codecTagged';
import { runTag } from './localServices';
import { runDjangoScript } from './realDjango';
import { redisDjangoSuite } from './redisDjangoSuite';

const DB_INDEX = 14;

/** A Django and the cache backend it reads sessions with, and the store URL that writes like it. */
const READERS = [
  { name: 'Django 3.2 with django-redis', backend: 'django_redis.cache.RedisCache', client: 'django-redis', django52: false },
  { name: "Django 5.2 with its RedisCache", backend: 'django.core.cache.backends.redis.RedisCache', client: 'django', django52: true },
] as const;

describe('cache pickle protocols: what we write real Django reads', function () {
  let raw: Redis;
  let dir52: string | undefined;

  before(async function () {
    ({ raw, dir52 } = await redisDjangoSuite(this, DB_INDEX));
  });

  after(() => raw?.disconnect());

  for (const reader of READERS) {
    it(`${reader.name}: creates in protocol 4, and edits keep 2, 4 or 5`, async function () {
      if (reader.django52 && !dir52) {
        this.skip();
      }
      const prefix = runTag();
      const django = <T>(ops: object[]) =>
        runDjangoScript<T[]>('cache_django.py', [], { config: { secret_key: TEST_SECRET, engine: 'cache', cache: { BACKEND: reader.backend, LOCATION: `redis://127.0.0.1:6379/${DB_INDEX}`, KEY_PREFIX: prefix } }, ops }, reader.django52 ? dir52 : undefined);
      const store: CacheSessionStore = await openCacheStore(cacheDescriptor(`redis://127.0.0.1:6379/${DB_INDEX}?key_prefix=${prefix}&client=${reader.client}`));
      const protocolOf = async (key: string) => (await raw.getBuffer(store.keys.cacheKey(key)))?.[1];
      const served = (key: string) => normalizeTagged(django<{ data: Tagged }>([{ op: 'load', key }])[0]?.data as Tagged);
      try {
        const created = `create${runTag()}abcdefghijklmn`;
        await store.save(created, new PyDict([['n', 1n]]), { create: true });
        assert.equal(await protocolOf(created), 4);
        assert.deepEqual(served(created), normalizeTagged(tag(new PyDict([['n', 1n]]))));
        for (const protocol of [2, 4, 5]) {
          const key = `edit${protocol}${runTag()}abcdefghijklmn`;
          await raw.set(store.keys.cacheKey(key), Buffer.from(pickleDumps(new PyDict([['p', BigInt(protocol)]]), protocol)), 'EX', 600);
          await store.update(key, (data) => data.set('edited', true));
          assert.equal(await protocolOf(key), protocol);
          assert.deepEqual(served(key), normalizeTagged(tag(new PyDict([['p', BigInt(protocol)], ['edited', true]]))), `protocol ${protocol}`);
        }
      } finally {
        const [, keys] = await raw.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 10000);
        if (keys.length > 0) {
          await raw.del(...keys);
        }
        await store.close();
      }
    });
  }
});
