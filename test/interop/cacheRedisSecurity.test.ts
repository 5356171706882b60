import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { PyDict } from '../../engine/src/codec';
import { openCacheStore } from '../../engine/src/stores/cache/openCacheStore';
import { openStore } from '../../engine/src/stores/openStore';
import { passwordVariables } from '../../engine/src/stores/passwordVariables';
import { StoreError } from '../../engine/src/stores/storeError';
import { cacheDescriptor } from '../unit/engine/stores/cache/cacheDescriptor';
import { projectWithSettings } from '../unit/engine/project/settingsProject';
import { cli } from './cliRun';
import { freePort, isListening, REDIS, requireService, runTag, skipOrFail } from './localServices';

function run(cmd: string, args: string[], cwd?: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args[0]} failed: ${r.stderr}`);
  }
}

describe('Redis with an ACL user and password, and over TLS (rediss://)', function () {
  it('authenticates as an ACL user, and fails clearly with a wrong password', async function () {
    await requireService(this, REDIS);
    const prefix = runTag();
    const user = `djs-${prefix}`;
    const password = `pw-${runTag()}`;
    const admin = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
    await admin.connect();
    try {
      await admin.call('ACL', 'SETUSER', user, 'on', `>${password}`, `~${prefix}*`, '+@all');
      const url = `redis://${user}@127.0.0.1:6379/6?key_prefix=${prefix}`;
      const store = await openCacheStore(cacheDescriptor(url), { password });
      try {
        const key = `acl${runTag()}abcdefghij`;
        await store.save(key, new PyDict([['a', 1n]]), { create: true });
        assert.deepEqual((await store.list({ limit: 10 })).sessions.map((s) => s.key), [key]);
        assert.equal(await store.delete(key), true);
      } finally {
        await store.close();
      }
      await assert.rejects(openCacheStore(cacheDescriptor(url), { password: 'wrong-password' }), (e: unknown) => {
        return e instanceof StoreError && e.code === 'connection' && /REDISCLI_AUTH/.test(e.message) && !e.message.includes('wrong-password');
      });
      // The settings' password (here in the location, as CACHES' OPTIONS put it there) wins over REDISCLI_AUTH, and a refusal says so.
      const project = await projectWithSettings(
        `SECRET_KEY = "k"\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"\nCACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://${user}@127.0.0.1:6379/6", "KEY_PREFIX": "${prefix}", "OPTIONS": {"PASSWORD": "wrong-password"}}}\n`,
      );
      const inSettings = project.stores[0]!;
      assert.deepEqual(passwordVariables(inSettings), []);
      await assert.rejects(openCacheStore(inSettings, { password }), (e: unknown) => {
        return e instanceof StoreError && /the one the store URL, or the settings' CACHES \(in LOCATION or OPTIONS\), give/.test(e.message) && !e.message.includes('wrong-password');
      });
    } finally {
      await admin.call('ACL', 'DELUSER', user);
      admin.disconnect();
    }
  });

  it('takes the password from a CLI --store URL, as from $REDIS_URL in CI, and never prints it', async function () {
    await requireService(this, REDIS);
    const prefix = runTag();
    const user = `djs-${prefix}`;
    const password = `pw/${runTag()}@x`;
    const admin = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
    await admin.connect();
    try {
      await admin.call('ACL', 'SETUSER', user, 'on', `>${password}`, `~${prefix}*`, '+@all');
      const url = (pw: string) => `redis://${user}:${encodeURIComponent(pw)}@127.0.0.1:6379/6?key_prefix=${prefix}`;
      const store = await openCacheStore(cacheDescriptor(`redis://${user}@127.0.0.1:6379/6?key_prefix=${prefix}`), { password });
      const key = `url${runTag()}abcdefghij`;
      try {
        await store.save(key, new PyDict([['a', 1n]]), { create: true });
      } finally {
        await store.close();
      }
      const env = { DJANGO_SECRET_KEY: 'k' };
      const listed = await cli(['--store', url(password), '--json', 'list', '--show-keys'], env);
      assert.equal(listed.code, 0, listed.err);
      assert.deepEqual((JSON.parse(listed.out) as { stores: { sessions: { session_key: string }[] }[] }).stores[0]!.sessions.map((s) => s.session_key), [key]);
      const stores = await cli(['--store', url(password), '--json', 'stores'], env);
      assert.equal(stores.code, 0, stores.err);
      assert.ok(!stores.out.includes(encodeURIComponent(password)) && !stores.out.includes(password), stores.out);
      const refused = await cli(['--store', url('wrong-password'), 'count'], env);
      assert.notEqual(refused.code, 0);
      assert.match(refused.err, /The password tried is the one the store URL/);
      assert.ok(!refused.err.includes('wrong-password'), refused.err);
    } finally {
      await admin.call('ACL', 'DELUSER', user);
      await admin.select(6);
      const left = await admin.keys(`${prefix}*`);
      if (left.length > 0) await admin.del(...left);
      admin.disconnect();
    }
  });

  it("takes the password from the variable the settings read it from, not set when they were read, and names that variable when it is missing", async function () {
    if (spawnSync('redis-server', ['--version']).status !== 0) {
      skipOrFail(this, 'redis-server is missing, so no Redis with a password can be started; install it to run this test');
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-redis-pw-'));
    const socket = path.join(dir, 'redis.sock');
    const password = `pw-${runTag()}`;
    let pid: number | undefined;
    try {
      run('redis-server', ['--port', '0', '--unixsocket', socket, '--requirepass', password, '--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--pidfile', path.join(dir, 'redis.pid'), '--dir', dir], dir);
      const deadline = Date.now() + 5000;
      while (!fs.existsSync(socket) || !fs.existsSync(path.join(dir, 'redis.pid'))) {
        assert.ok(Date.now() < deadline, 'the Redis with a password did not start');
        await new Promise((r) => setTimeout(r, 50));
      }
      pid = Number(fs.readFileSync(path.join(dir, 'redis.pid'), 'utf8').trim());
      const project = await projectWithSettings(
        `import os\nSECRET_KEY = "k"\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"\nCACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "unix://${socket}?db=0", "OPTIONS": {"PASSWORD": os.environ["REDIS_PASSWORD"]}}}\n`,
      );
      const descriptor = project.stores[0]!;
      // The variable VS Code's Set Store Password… asks for, as it does for a database's PASSWORD.
      assert.deepEqual(passwordVariables(descriptor), ['REDIS_PASSWORD']);
      for (const env of [{ REDIS_PASSWORD: password }, { REDISCLI_AUTH: password }]) {
        const store = await openStore(descriptor, { env });
        try {
          assert.deepEqual((await store.list({ limit: 10 })).sessions, []);
        } finally {
          await store.close();
        }
      }
      await assert.rejects(openStore(descriptor, { env: {} }), (e: unknown) => e instanceof StoreError && e.code === 'connection' && /Give the password in \$REDIS_PASSWORD, which the settings' CACHES read it from/.test(e.message));
    } finally {
      if (pid) {
        process.kill(pid, 'SIGTERM');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('connects over TLS with the CA named by ssl_ca_certs, and explains a certificate failure', async function () {
    if (spawnSync('openssl', ['version']).status !== 0 || spawnSync('redis-server', ['--version']).status !== 0) {
      skipOrFail(this, 'openssl or redis-server is missing, so no TLS Redis can be started; install them to run this test');
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-redis-tls-'));
    // A free port, not a fixed one, so a server left by a run killed part way cannot stand in for ours.
    const tlsPort = await freePort();
    let pid: number | undefined;
    try {
      run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=djs-test-ca', '-keyout', 'ca.key', '-out', 'ca.pem'], dir);
      run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr'], dir);
      fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
      run('openssl', ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', 'san.ext', '-out', 'server.pem'], dir);
      run('redis-server', [
        '--port', '0', '--tls-port', String(tlsPort), '--bind', '127.0.0.1', '--tls-cert-file', 'server.pem', '--tls-key-file', 'server.key',
        '--tls-ca-cert-file', 'ca.pem', '--tls-auth-clients', 'no', '--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--pidfile', path.join(dir, 'redis.pid'), '--dir', dir,
      ], dir);
      const deadline = Date.now() + 5000;
      while (!(await isListening(tlsPort, 200)) || !fs.existsSync(path.join(dir, 'redis.pid'))) {
        assert.ok(Date.now() < deadline, 'the TLS Redis did not start');
        await new Promise((r) => setTimeout(r, 50));
      }
      pid = Number(fs.readFileSync(path.join(dir, 'redis.pid'), 'utf8').trim());
      const store = await openCacheStore(cacheDescriptor(`rediss://127.0.0.1:${tlsPort}/0?ssl_ca_certs=${encodeURIComponent(path.join(dir, 'ca.pem'))}`));
      try {
        const key = `tls${runTag()}abcdefghij`;
        await store.save(key, new PyDict([['secure', true]]), { create: true });
        const record = await store.get(key);
        assert.ok(record?.decoded.ok && record.decoded.session.data.get('secure') === true);
      } finally {
        await store.close();
      }
      await assert.rejects(openCacheStore(cacheDescriptor(`rediss://127.0.0.1:${tlsPort}/0`)), (e: unknown) => e instanceof StoreError && e.code === 'connection' && /ssl_ca_certs/.test(e.message));
    } finally {
      if (pid) {
        process.kill(pid, 'SIGTERM');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
