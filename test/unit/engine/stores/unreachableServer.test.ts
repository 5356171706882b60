import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, parseStoreUrl } from '../../../../engine/src';
import { unreachableReason } from '../../../../engine/src/stores/unreachableServer';

/** A port of this engineer's range (18040..18049) that nothing listens on while the tests run. */
const CLOSED_PORT = 18049;

/** The error Node gives a connection to `port` on this machine. */
function refused(port: number): Promise<Error> {
  return new Promise((resolve) => {
    const socket = new net.Socket();
    socket.once('error', (err) => {
      socket.destroy();
      resolve(err);
    });
    socket.connect(port, '127.0.0.1');
  });
}

describe('a server that cannot be reached, as a Django developer reads it', () => {
  it("says nothing answers at the address, where Node says 'connect ECONNREFUSED'", async () => {
    const err = await refused(CLOSED_PORT);
    assert.match(err.message, /ECONNREFUSED/);
    assert.equal(unreachableReason(err), `nothing answers at 127.0.0.1:${CLOSED_PORT} (the connection was refused: no server listens on that port)`);
  });

  it("names a Unix socket by its path, no port, where nothing listens on it or the file is missing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-socket-'));
    try {
      // What a server whose process died leaves behind: the file, with nothing listening on it.
      const stale = path.join(dir, 'stale.sock');
      fs.writeFileSync(stale, '');
      const failure = (socket: string) => new Promise<Error>((resolve) => net.connect(socket).once('error', resolve));
      assert.equal(unreachableReason(await failure(stale)), `nothing answers at the socket ${stale} (the connection was refused: the file is there but no server listens on it)`);
      const missing = path.join(dir, 'none.sock');
      assert.equal(unreachableReason(await failure(missing)), `nothing answers at the socket ${missing} (there is no such file: no server made it there)`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the host a name lookup did not find, and leaves any other failure to its own message', () => {
    assert.equal(unreachableReason(Object.assign(new Error('getaddrinfo ENOTFOUND db'), { code: 'ENOTFOUND', hostname: 'db' })), 'the host name db is not known here (DNS finds no such host)');
    assert.equal(unreachableReason({ code: 'ETIMEDOUT' }, { host: 'db', port: 5432 }), 'nothing answers at db:5432 (the connection timed out)');
    assert.equal(unreachableReason(Object.assign(new Error('password authentication failed'), { code: '28P01' })), undefined);
  });

  // An IPv6 address is written as the URL gives it, bracketed, so its last colon is not read as the port's.
  for (const host of ['127.0.0.1', '[::1]']) {
    for (const url of [`postgres://app@${host}:${CLOSED_PORT}/app`, `mysql://app@${host}:${CLOSED_PORT}/app`, `redis://${host}:${CLOSED_PORT}/6`, `redis+cluster://${host}:${CLOSED_PORT}`, `memcached://${host}:${CLOSED_PORT}`]) {
      it(`says so for ${url.split(':')[0]} at ${host}, with no errno code and no TLS attempt named`, async () => {
        const store = openStore(parseStoreUrl(url, '/', { secretKeys: ['k'.repeat(50)], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }), { env: {} });
        try {
          await assert.rejects(
            (async () => (await store).count())(),
            (err: Error) => err.message.includes(`nothing answers at ${host}:${CLOSED_PORT} (the connection was refused`) && !/ECONNREFUSED|TLS:|sslmode=/.test(err.message),
          );
        } finally {
          await (await store.catch(() => undefined))?.close();
        }
      });
    }
  }

  describe('a server that takes the connection and never answers (paused, overloaded, another service)', () => {
    let silent: net.Server;
    let port: number;
    const held: net.Socket[] = [];
    before(async () => {
      silent = net.createServer((socket) => void held.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      port = (silent.address() as net.AddressInfo).port;
    });
    after(async () => {
      held.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
    });

    for (const [scheme, vendor] of [
      ['postgres', 'PostgreSQL'],
      ['mysql', 'MySQL'],
    ]) {
      it(`says so for ${scheme}, not as a TLS attempt that timed out`, async function () {
        this.timeout(60_000);
        const url = `${scheme}://app@127.0.0.1:${port}/app`;
        const store = openStore(parseStoreUrl(url, '/', { secretKeys: ['k'.repeat(50)], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }), { env: {} });
        try {
          await assert.rejects(
            (async () => (await store).count())(),
            (err: Error) =>
              err.message.includes(`127.0.0.1:${port} took the connection but did not answer within 10 s, where ${vendor} answers at once`) && !/TLS:|sslmode=|ETIMEDOUT|timeout expired/.test(err.message),
          );
        } finally {
          await (await store.catch(() => undefined))?.close();
        }
      });
    }
  });
});
