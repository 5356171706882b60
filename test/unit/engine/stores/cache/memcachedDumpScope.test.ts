import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { MemcachedBackend } from '../../../../../engine/src/stores/cache/memcached/memcachedBackend';
import { StoreError } from '../../../../../engine/src/stores/storeError';

/**
 * A memcached 1.6 older than `lru_crawler metadump hash`, which no installable memcached is: it
 * answers `hash` as an unknown slab class, as memcached's own parser does. Records the commands.
 */
function oldMemcached(reply: (command: string) => string): Promise<{ port: number; commands: string[]; close: () => void }> {
  const commands: string[] = [];
  const server = net.createServer((socket) => {
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n'); end !== -1; end = buffered.indexOf('\r\n')) {
        const command = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        commands.push(command);
        socket.write(reply(command));
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as net.AddressInfo).port, commands, close: () => server.close() }));
  });
}

const DUMP = 'key=%3A1%3Adjango.contrib.sessions.cacheabcdefgh12345678 exp=-1 la=1 cas=2 fetch=no cls=1 size=80\r\nEND\r\n';

describe('memcached metadump scope', () => {
  it('falls back to the per-class dump on a memcached without metadump hash, and stays with it', async () => {
    const server = await oldMemcached((command) => {
      if (command === 'version') return 'VERSION 1.6.9\r\n';
      if (command === 'lru_crawler metadump hash') return 'BADCLASS invalid class id\r\n';
      if (command === 'lru_crawler metadump all') return DUMP;
      return 'ERROR\r\n';
    });
    let backend: MemcachedBackend | undefined;
    try {
      backend = await MemcachedBackend.open(`127.0.0.1:${server.port}`, 5000);
      for (let pass = 0; pass < 2; pass++) {
        const keys: string[] = [];
        for await (const batch of backend.scanAll(100)) keys.push(...batch.keys);
        assert.deepEqual(keys, [':1:django.contrib.sessions.cacheabcdefgh12345678']);
      }
      assert.deepEqual(
        server.commands.filter((c) => c.startsWith('lru_crawler')),
        ['lru_crawler metadump hash', 'lru_crawler metadump all', 'lru_crawler metadump all'],
      );
    } finally {
      await backend?.close();
      server.close();
    }
  });

  it("tries a dump refused as busy with another client's crawl again, a bounded number of times, then says what to do", async () => {
    let busy = true;
    const server = await oldMemcached((command) => {
      if (command === 'version') return 'VERSION 1.6.18\r\n';
      if (command === 'lru_crawler metadump hash') return busy ? 'BUSY currently processing crawler request\r\n' : DUMP;
      return 'ERROR\r\n';
    });
    let backend: MemcachedBackend | undefined;
    try {
      const pauses: number[] = [];
      backend = await MemcachedBackend.open(`127.0.0.1:${server.port}`, 5000, async (ms) => {
        pauses.push(ms);
      });
      const opened = backend;
      await assert.rejects(
        (async () => {
          for await (const batch of opened.scanAll(100)) assert.ok(batch);
        })(),
        (e: unknown) => e instanceof StoreError && e.code === 'busy' && /after 6 tries; try again once that listing is done/.test(e.message),
      );
      assert.equal(pauses.length, 5);
      assert.ok(pauses.reduce((a, b) => a + b, 0) <= 2500);
      busy = false;
      const keys: string[] = [];
      for await (const batch of backend.scanAll(100)) keys.push(...batch.keys);
      assert.equal(keys.length, 1);
      assert.deepEqual(server.commands.filter((c) => c.startsWith('lru_crawler')), Array<string>(7).fill('lru_crawler metadump hash'));
    } finally {
      await backend?.close();
      server.close();
    }
  });
});
