import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
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

  it('says a single Redis server is not a cluster, and what a rediss:// URL to a server without TLS met, without a CA hint', async function () {
    this.timeout(60_000);
    await assert.rejects(
      openCacheStore(cacheDescriptor(`redis+cluster://127.0.0.1:${REDIS.port}`)),
      names(/: the server there is a single Redis server, not a Redis Cluster \(it answers "ERR This instance has cluster support disabled"\)\. Name it as redis:\/\/host:port\/db\.$/),
    );
    await assert.rejects(
      openCacheStore(cacheDescriptor(`rediss://127.0.0.1:${REDIS.port}/0`)),
      (err: unknown) => names(/: no TLS handshake was answered in time: nothing answers there, or the server offers no TLS on that port/)(err) && !/ssl_ca_certs|ETIMEDOUT/.test((err as Error).message),
    );
  });

  it('says a server that takes the connection and never answers did so, not "Command timed out"', async function () {
    this.timeout(60_000);
    const held: net.Socket[] = [];
    const silent = net.createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as net.AddressInfo;
      await assert.rejects(openCacheStore(cacheDescriptor(`redis://127.0.0.1:${port}/0`)), names(/: the server took the connection but never answered \(is it paused or overloaded, or is another service listening there\?\)/));
    } finally {
      held.forEach((socket) => socket.destroy());
      silent.close();
    }
  });

  it('exits after refusing a bad key_pattern=, with no connection left open to keep the process alive', function () {
    this.timeout(60_000);
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', '..', 'cli', 'src', 'main.ts'), '--store', `redis://127.0.0.1:${REDIS.port}/10?key_pattern=foo`, 'count'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(run.signal, null, 'the process ended by itself');
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /must contain \{key\} exactly once/);
  });
});
