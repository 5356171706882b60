import * as assert from 'node:assert/strict';
import { openCacheStore } from '../../engine/src/stores/cache/openCacheStore';
import { StoreError } from '../../engine/src/stores/storeError';
import { cacheDescriptor } from '../unit/engine/stores/cache/cacheDescriptor';
import { REDIS, requireService, startMemcachedServers } from './localServices';

const PORT = 11297;
const names = (pattern: RegExp) => (err: unknown) => err instanceof StoreError && err.code === 'connection' && pattern.test(err.message) && !err.message.includes('\n');

describe('a cache URL that points at the other kind of server', function () {
  let memcached: { stop: () => void } | undefined;

  before(async function () {
    await requireService(this, REDIS);
    memcached = await startMemcachedServers([PORT]);
  });
  after(() => memcached?.stop());

  it('says the server is not memcached, or does not speak Redis, instead of asking for an upgrade or a bug report', async () => {
    await assert.rejects(openCacheStore(cacheDescriptor(`memcached://127.0.0.1:${REDIS.port}`)), names(/^The server at 127\.0\.0\.1:6379 is not memcached: .*that is how Redis answers/));
    await assert.rejects(openCacheStore(cacheDescriptor(`redis://127.0.0.1:${PORT}/0`)), names(/does not speak Redis's protocol \(is it memcached, or another service\?\)/));
  });
});
