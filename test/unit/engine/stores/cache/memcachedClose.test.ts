import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { MemcachedBackend } from '../../../../../engine/src/stores/cache/memcached/memcachedBackend';
import { StoreError } from '../../../../../engine/src/stores/storeError';

/** A memcached 1.6 that answers `version` and misses every get, and tracks the connections open to it. */
function fakeMemcached(): Promise<{ port: number; opened: () => number; open: net.Socket[]; close: () => void }> {
  const open: net.Socket[] = [];
  let opened = 0;
  const server = net.createServer((socket) => {
    opened++;
    open.push(socket);
    socket.on('close', () => open.splice(open.indexOf(socket), 1));
    socket.on('data', (chunk) => {
      for (const command of chunk.toString('latin1').split('\r\n').filter(Boolean)) {
        socket.write(command === 'version' ? 'VERSION 1.6.21\r\n' : 'EN\r\n');
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as net.AddressInfo).port, opened: () => opened, open, close: () => server.close() }));
  });
}

/** Ends the server's side of every connection and waits until the backend has seen it. */
async function dropConnections(server: { open: net.Socket[] }): Promise<void> {
  server.open.forEach((socket) => socket.destroy());
  await new Promise((r) => setTimeout(r, 50));
}

const isClosedError = (err: unknown) => err instanceof StoreError && err.code === 'connection' && /was closed/.test(err.message);

describe('memcached backend after close', () => {
  it('refuses exchanges and dumps after close instead of opening a new connection', async () => {
    const server = await fakeMemcached();
    try {
      const backend = await MemcachedBackend.open(`127.0.0.1:${server.port}`, 5000);
      assert.equal(await backend.get('k'), undefined);
      await dropConnections(server);
      await backend.close();
      await assert.rejects(backend.get('k'), isClosedError);
      await assert.rejects(backend.scan(undefined, 10), isClosedError);
      assert.equal(server.opened(), 1, 'no connection was opened after close');
    } finally {
      server.close();
    }
  });

  it('closes a connection being reopened when close comes during the reopening', async () => {
    const server = await fakeMemcached();
    try {
      const backend = await MemcachedBackend.open(`127.0.0.1:${server.port}`, 5000);
      await dropConnections(server);
      const pending = backend.get('k');
      await backend.close();
      await assert.rejects(pending, isClosedError);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(server.opened(), 2, 'the reopening reached the server');
      assert.equal(server.open.length, 0, 'no connection is left open');
    } finally {
      server.close();
    }
  });
});
