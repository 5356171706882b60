import * as assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { PyDict } from '../../engine/src/codec';
import { openCacheStore } from '../../engine/src/stores/cache/openCacheStore';
import type { CacheSessionStore } from '../../engine/src/stores/cache/cacheSessionStore';
import { cacheDescriptor } from '../unit/engine/stores/cache/cacheDescriptor';
import { FaultProxy } from './faultProxy';
import { REDIS, requireService, runTag } from './localServices';

const DB = 3;
/** The commands of a cycle on Redis, as they go over the wire: the copy under the new key, then the compare-and-delete of the old one. */
const COPY = '$2\r\nNX\r\n';
const DELETE_OLD = "return redis.call('DEL'";
/** The compare-and-swap of an edit. */
const REPLACE = "redis.call('SET', KEYS[1]";

/**
 * Cycle Key on a Redis cache store whose connection is lost part way: the copy under the new key
 * or the deletion of the old one may have run with its reply lost, and ioredis sends a command
 * whose reply it lost again once it reconnects. Whatever happened, the session is under exactly
 * one key afterwards, and the store says which.
 */
describe('cache sessions on Redis: Cycle Key and edits whose connection is lost', function () {
  this.timeout(60_000);
  let prefix: string;
  let proxy: FaultProxy;
  let raw: Redis;
  let n = 0;

  before(async function () {
    await requireService(this, REDIS);
    prefix = `djs_fix1_${runTag()}`;
    raw = new Redis({ host: '127.0.0.1', port: 6379, db: DB, lazyConnect: true });
    await raw.connect();
    proxy = await FaultProxy.start(0, 6379);
  });

  after(async () => {
    if (raw) {
      const keys = await raw.keys(`${prefix}*`);
      if (keys.length > 0) {
        await raw.del(...keys);
      }
      raw.disconnect();
    }
    await proxy?.close();
  });

  /** The session keys stored under the test's prefix. */
  async function sessionKeys(): Promise<string[]> {
    return (await raw.keys(`${prefix}*`)).map((key) => key.slice(key.lastIndexOf('django.contrib.sessions.cache') + 'django.contrib.sessions.cache'.length)).sort();
  }

  async function withSession(body: (store: CacheSessionStore, key: string) => Promise<void>): Promise<void> {
    const store = await openCacheStore(cacheDescriptor(`redis://127.0.0.1:${proxy.port}/${DB}?key_prefix=${prefix}&client=django-redis`));
    const key = `cyclelost${String(++n).padStart(23, '0')}`;
    try {
      for (const stale of await raw.keys(`${prefix}*`)) {
        await raw.del(stale);
      }
      await store.save(key, new PyDict([['_auth_user_id', '7'], ['cart', [1n, 2n]]]), { create: true });
      await body(store, key);
    } finally {
      proxy.restore();
      await store.close().catch(() => undefined);
    }
  }

  it('reports an edit whose reply was lost as made, not as a conflict, when the store holds what it wrote', async () => {
    await withSession(async (store, key) => {
      proxy.loseAt(REPLACE, 'reply');
      const edited = await store.update(key, (data) => data.set('cart', [3n]));
      const stored = await store.get(key);
      assert.equal(stored?.raw, edited.raw);
      assert.ok(stored?.decoded.ok);
      assert.deepEqual(stored.decoded.session.data.get('cart'), [3n]);
    });
  });

  for (const [what, marker] of [
    ['the copy under the new key', COPY],
    ['the deletion of the old key', DELETE_OLD],
  ] as const) {
    for (const when of ['reply', 'request'] as const) {
      it(`leaves the session under exactly one key, and says which, when the ${when === 'reply' ? 'reply to' : 'request for'} ${what} is lost`, async () => {
        await withSession(async (store, key) => {
          proxy.loseAt(marker, when);
          let cycled: string | undefined;
          let said: Error | undefined;
          try {
            cycled = (await store.cycleKey(key)).key;
          } catch (err) {
            said = err as Error;
          }
          const keys = await sessionKeys();
          assert.equal(keys.length, 1, `one session, not ${keys.length} (${said?.message ?? 'cycled'})`);
          if (cycled) {
            assert.deepEqual(keys, [cycled], 'the session is under the key the cycle returned');
          } else {
            assert.deepEqual(keys, [key], `the session is still under its key, as the error says: ${said?.message}`);
            assert.match(said!.message, /still under its key/);
          }
        });
      });
    }
  }
});
