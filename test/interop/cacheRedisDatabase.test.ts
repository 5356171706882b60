import * as assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { PyDict } from '../../engine/src/codec';
import { openCacheStore } from '../../engine/src/stores/cache/openCacheStore';
import { StoreError } from '../../engine/src/stores/storeError';
import { cacheDescriptor } from '../unit/engine/stores/cache/cacheDescriptor';
import { cli } from './cliRun';
import { REDIS, requireService, runTag } from './localServices';

describe('a Redis URL naming a database the server does not have', function () {
  let raw: Redis;
  let prefix: string;
  let key: string;

  before(async function () {
    await requireService(this, REDIS);
    prefix = runTag();
    raw = new Redis({ host: '127.0.0.1', port: 6379, db: 0, lazyConnect: true });
    await raw.connect();
    // A session in database 0, where ioredis would quietly stay after a failed SELECT.
    const store = await openCacheStore(cacheDescriptor(`redis://127.0.0.1:6379/0?key_prefix=${prefix}`));
    key = `dbzero${Date.now().toString(36)}`.padEnd(32, '0');
    await store.save(key, new PyDict([['a', 1n]]), { create: true });
    await store.close();
  });
  after(async () => {
    const [, keys] = (await raw?.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 100000)) ?? ['0', []];
    if (keys.length > 0) {
      await raw.del(...keys);
    }
    raw?.disconnect();
  });

  it('is a connection error before any command runs: count does not count database 0, flush deletes nothing', async () => {
    const refusal = await openCacheStore(cacheDescriptor(`redis://127.0.0.1:6379/99?key_prefix=${prefix}`)).then(
      (store) => store.close(),
      (e: unknown) => e,
    );
    assert.ok(refusal instanceof StoreError && refusal.code === 'connection', `opening refused: ${String(refusal)}`);
    const url = `redis://127.0.0.1:6379/99?key_prefix=${prefix}`;
    const count = await cli(['--store', url, 'count']);
    assert.equal(count.code, 3);
    assert.match(count.err, /^django-sessions: Redis at redis:\/\/127\.0\.0\.1:6379\/99 has no database 99 .*Fix the database index in the URL\.\n$/);
    assert.equal(count.out, '');
    assert.equal((await cli(['--store', url, 'flush', key])).code, 3);
    assert.equal((await raw.keys(`${prefix}*`)).length, 1, 'the session in database 0 is still there');
  });
});
