import * as assert from 'node:assert/strict';
import { MemcachedBackend } from '../../../../../engine/src/stores/cache/memcached/memcachedBackend';
import { ShardedMemcachedBackend } from '../../../../../engine/src/stores/cache/memcached/shardedMemcachedBackend';
import { startMemcachedServers } from '../../../../interop/localServices';

/** Ports of this engineer's range (18070..18079). */
const PORTS = [18075, 18076];

describe('memcached servers at an IPv6 address', function () {
  this.timeout(30_000);
  let servers: { stop: () => void };
  before(async () => {
    servers = await startMemcachedServers(PORTS, ['-l', '[::1]']);
  });
  after(() => servers.stop());

  it('are named bracketed, as a URL writes them, one server or several', async () => {
    const one = await MemcachedBackend.open(`[::1]:${PORTS[0]}`, 5000);
    const both = await ShardedMemcachedBackend.open(PORTS.map((port) => `[::1]:${port}`), 5000);
    try {
      assert.equal(one.description, `memcached://[::1]:${PORTS[0]}`);
      assert.equal(both.description, `memcached://[::1]:${PORTS[0]},[::1]:${PORTS[1]}`);
    } finally {
      await one.close();
      await both.close();
    }
  });
});
