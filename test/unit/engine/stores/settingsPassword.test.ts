import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { passwordVariables, StoreError } from '../../../../engine/src';
import { PgDriver } from '../../../../engine/src/stores/postgres/pgDriver';
import { projectWithSettings } from '../project/settingsProject';

async function databaseOf(password: string) {
  const project = await projectWithSettings(
    `import os\nSECRET_KEY = "k"\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop", "USER": "app", "HOST": "127.0.0.1", "PASSWORD": ${password}}}\n`,
    {},
    { SET_PASSWORD: 'from-env' },
  );
  return project.stores[0]!;
}

/**
 * A listener that answers as a PostgreSQL server asking for a cleartext password, records the
 * one the client sends, and refuses it: what a driver sends is what this test checks.
 */
async function passwordListener(): Promise<{ port: number; sent: Promise<string>; close: () => void }> {
  let resolveSent: (password: string) => void;
  const sent = new Promise<string>((resolve) => (resolveSent = resolve));
  const server = net.createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let started = false;
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!started && buffer.length >= 8 && buffer.readInt32BE(4) === 80877103) {
        buffer = buffer.subarray(8);
        socket.write('N');
        return;
      }
      if (!started && buffer.length >= 4 && buffer.length >= buffer.readInt32BE(0)) {
        buffer = buffer.subarray(buffer.readInt32BE(0));
        started = true;
        socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
        return;
      }
      if (started && !socket.writableEnded && buffer[0] === 0x70 && buffer.length >= 5 && buffer.length >= 1 + buffer.readInt32BE(1)) {
        resolveSent(buffer.subarray(5, buffer.readInt32BE(1)).toString('utf8'));
        const fields = Buffer.from('SFATAL\0C28P01\0Mpassword authentication failed for user "app"\0\0');
        const error = Buffer.alloc(5);
        error.write('E');
        error.writeInt32BE(4 + fields.length, 1);
        socket.end(Buffer.concat([error, fields]));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, sent, close: () => server.close() };
}

describe("a database password the settings give as a value, as Django connects with it", () => {
  it('is taken from a literal or the default of an unset variable, and then no variable or secret stands in for it', async () => {
    for (const [written, expected] of [
      ['"devpass"', 'devpass'],
      ['os.environ.get("UNSET_PASSWORD", "devpass")', 'devpass'],
    ]) {
      const store = await databaseOf(written!);
      assert.equal((store.database as { password?: string }).password, expected, written);
      assert.deepEqual(passwordVariables(store), [], written);
    }
    const fromEnv = await databaseOf('os.environ["SET_PASSWORD"]');
    assert.equal((fromEnv.database as { password?: string }).password, undefined);
    assert.deepEqual(passwordVariables(fromEnv), ['SET_PASSWORD']);
  });

  it('is the one PostgreSQL is sent, over PGPASSWORD, and a refusal names the settings as its source', async () => {
    const listener = await passwordListener();
    try {
      const connecting = PgDriver.open({ host: '127.0.0.1', port: listener.port, name: 'shop', user: 'app', password: 'devpass', tls: { mode: 'disable' } }, { PGPASSWORD: 'other' });
      await assert.rejects(connecting, (e: unknown) => e instanceof StoreError && /the one tried is the PASSWORD the settings give in DATABASES \(or the store URL's\)/.test(e.message) && !e.message.includes('devpass'));
      assert.equal(await listener.sent, 'devpass');
    } finally {
      listener.close();
    }
  });
});
