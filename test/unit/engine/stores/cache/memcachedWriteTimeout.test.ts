import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { MemcachedBackend } from '../../../../../engine/src/stores/cache/memcached/memcachedBackend';
import { StoreError } from '../../../../../engine/src/stores/storeError';

/** A memcached 1.6 holding one value under every key, that applies writes (perhaps) but never answers them. */
function silentOnWrites(): Promise<{ port: number; close: () => void }> {
  const server = net.createServer((socket) => {
    socket.on('data', (chunk) => {
      for (const command of chunk.toString('latin1').split('\r\n').filter(Boolean)) {
        if (command === 'version') socket.write('VERSION 1.6.21\r\n');
        if (command === 'stats settings') socket.write('STAT item_size_max 1048576\r\nEND\r\n');
        if (command.startsWith('mg ')) socket.write('VA 1 f0 t-1 c7\r\nx\r\n');
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as net.AddressInfo).port, close: () => server.close() }));
  });
}

const outcomeUnknown = (err: unknown) => err instanceof StoreError && err.code === 'connection' && /did not answer.*may or may not have been applied; read the session again/.test(err.message) && !err.message.includes('\n');

describe('memcached writes that time out', () => {
  it('say their outcome is unknown: a CAS replace, a CAS delete, an add', async () => {
    const server = await silentOnWrites();
    const backend = await MemcachedBackend.open(`127.0.0.1:${server.port}`, 200);
    try {
      await assert.rejects(backend.replaceIf('k', Buffer.from('x'), { bytes: Buffer.from('y') }, 60), outcomeUnknown);
      await assert.rejects(backend.deleteIf('k', Buffer.from('x')), outcomeUnknown);
      await assert.rejects(backend.add('k', { bytes: Buffer.from('y') }, 60), outcomeUnknown);
      const [entry] = await backend.getMany(['k']);
      assert.equal(Buffer.from(entry!.value.bytes).toString(), 'x', 'a read after it reconnects and answers');
    } finally {
      await backend.close();
      server.close();
    }
  });
});
