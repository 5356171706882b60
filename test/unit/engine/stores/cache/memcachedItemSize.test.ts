import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { MemcachedBackend } from '../../../../../engine/src/stores/cache/memcached/memcachedBackend';
import { StoreError } from '../../../../../engine/src/stores/storeError';

/** A memcached 1.6 answering `stats settings` with `settings` (or ERROR), and every write as stored; records the commands it got. */
function memcached(settings: string | undefined): Promise<{ port: number; commands: string[]; close: () => void }> {
  const commands: string[] = [];
  const server = net.createServer((socket) => {
    socket.on('data', (chunk) => {
      for (const line of chunk.toString('latin1').split('\r\n').filter(Boolean)) {
        commands.push(line.split(' ')[0]!);
        if (line === 'version') socket.write('VERSION 1.6.21\r\n');
        else if (line === 'stats settings') socket.write(settings === undefined ? 'ERROR\r\n' : `${settings}END\r\n`);
        else if (line.startsWith('ms ')) socket.write('HD\r\n');
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as net.AddressInfo).port, commands, close: () => server.close() }));
  });
}

describe('memcached item size limit', () => {
  it("refuses, without sending it, a write above the server's item_size_max, which memcached would refuse by dropping the stored item", async () => {
    const server = await memcached('STAT maxbytes 67108864\r\nSTAT item_size_max 2048\r\nSTAT slab_chunk_max 1024\r\n');
    const backend = await MemcachedBackend.open(`127.0.0.1:${server.port}`, 2000);
    try {
      assert.equal(await backend.add('k', { bytes: Buffer.alloc(1000) }, 60), true);
      await assert.rejects(
        backend.add('k2', { bytes: Buffer.alloc(3000) }, 60),
        (err: unknown) => err instanceof StoreError && err.code === 'write-refused' && /takes? 3130 bytes in memcached at memcached:\/\/127\.0\.0\.1:\d+, above its item size limit of 2048 bytes/.test(err.message),
      );
      assert.deepEqual(server.commands.filter((c) => c === 'ms'), ['ms'], 'only the first write was sent');
    } finally {
      await backend.close();
      server.close();
    }
  });

  it("takes memcached's default of 1 MiB from a server that does not list its settings", async () => {
    const server = await memcached(undefined);
    const backend = await MemcachedBackend.open(`127.0.0.1:${server.port}`, 2000);
    try {
      assert.equal(await backend.add('k', { bytes: Buffer.alloc(1024 * 1024 - 200) }, 60), true);
      await assert.rejects(backend.add('k', { bytes: Buffer.alloc(1024 * 1024) }, 60), /above its item size limit of 1048576 bytes/);
    } finally {
      await backend.close();
      server.close();
    }
  });
});
