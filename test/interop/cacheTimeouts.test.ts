import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CacheSessionStore } from '../../engine/src/stores/cache/cacheSessionStore';
import type { ExtendedCacheTarget } from '../../engine/src/stores/cache/cacheSettings';
import { openCacheStore } from '../../engine/src/stores/cache/openCacheStore';
import { RedisBackend } from '../../engine/src/stores/cache/redis/redisBackend';
import { StoreError } from '../../engine/src/stores/storeError';
import { cacheDescriptor } from '../unit/engine/stores/cache/cacheDescriptor';
import { freePort, isListening, skipOrFail } from './localServices';

const TIMEOUT_MS = 500;
const KEY = 'frozen0000000000000000000000001';

/** Starts a scratch server of our own on `port`; the caller ends exactly that process. */
async function startServer(suite: Mocha.Context, command: string, args: string[], port: number): Promise<ChildProcess> {
  if (spawnSync(command, ['-h'], { stdio: 'ignore' }).error) {
    skipOrFail(suite, `${command} is not installed, so no scratch server can be frozen; install it to run the timeout tests`);
  }
  const child = spawn(command, args, { stdio: 'ignore' });
  for (let i = 0; i < 50 && !(await isListening(port, 200)); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

function stop(child: ChildProcess | undefined): void {
  if (child?.pid !== undefined && child.exitCode === null) {
    child.kill('SIGCONT');
    child.kill('SIGTERM');
  }
}

const isConnectionError = (where: RegExp) => (err: unknown) => err instanceof StoreError && err.code === 'connection' && where.test(err.message) && !err.message.includes('\n');

/** A server to freeze and thaw: one process, or every node of a cluster. */
interface Freezable {
  pids: number[];
}

/** The state letter in /proc/<pid>/stat (after the parenthesised command name, which may hold spaces). */
function processState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

/**
 * SIGSTOPs every process and waits until each is stopped: the signal is delivered
 * asynchronously, and a server still running could answer the next command, which would then
 * not time out.
 */
async function freeze(server: Freezable): Promise<void> {
  server.pids.forEach((pid) => process.kill(pid, 'SIGSTOP'));
  for (const pid of server.pids) {
    for (let i = 0; processState(pid) !== 'T'; i++) {
      assert.ok(i < 200, `process ${pid} did not stop within 2 s of SIGSTOP`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

function thaw(server: Freezable): void {
  server.pids.forEach((pid) => process.kill(pid, 'SIGCONT'));
}

function freezable(child: ChildProcess): Freezable {
  assert.ok(child.pid !== undefined, 'the scratch server did not start');
  return { pids: [child.pid] };
}

/** Opens a store on `url` with the short command timeout, freezes the server, and expects every kind of call to fail typed. */
async function expectTypedFailures(url: string, server: Freezable, where: RegExp): Promise<void> {
  const descriptor = cacheDescriptor(url);
  descriptor.cache = { ...descriptor.cache!, commandTimeoutMs: TIMEOUT_MS } as ExtendedCacheTarget;
  const store: CacheSessionStore = await openCacheStore(descriptor);
  try {
    assert.equal(await store.get(KEY), undefined, 'the server answers before it is frozen');
    await freeze(server);
    await assert.rejects(store.get(KEY), isConnectionError(where));
    await assert.rejects(store.list({ limit: 10 }), isConnectionError(where));
    await assert.rejects(store.count(), isConnectionError(where));
    thaw(server);
    assert.equal(await store.get(KEY), undefined, 'the store works again once the server answers');
  } finally {
    thaw(server);
    await store.close();
  }
}

describe('a cache server that stops answering fails calls instead of hanging them', function () {
  const started: ChildProcess[] = [];

  after(() => started.forEach(stop));

  it('Redis (SIGSTOP): a StoreError naming the server after the command timeout', async function () {
    const port = await freePort();
    const server = await startServer(this, 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], port);
    started.push(server);
    await expectTypedFailures(`redis://127.0.0.1:${port}/0`, freezable(server), new RegExp(`127\\.0\\.0\\.1:${port}.*did not answer within ${TIMEOUT_MS} ms`));
  });

  it('Redis (SIGSTOP between SCAN and getMany): the pipelined read fails typed instead of reading every key as a miss, and writes say their outcome is unknown', async function () {
    const port = await freePort();
    const server = await startServer(this, 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], port);
    started.push(server);
    const backend = await RedisBackend.open(`redis://127.0.0.1:${port}/0`, 'EX', TIMEOUT_MS);
    try {
      assert.ok(await backend.add(KEY, { bytes: Buffer.from('stored') }, 60));
      const { keys } = await backend.scan(undefined, 100, '*');
      assert.deepEqual(keys, [KEY]);
      await freeze(freezable(server));
      await assert.rejects(backend.getMany(keys), isConnectionError(new RegExp(`127\\.0\\.0\\.1:${port}.*did not answer within ${TIMEOUT_MS} ms`)));
      // A write sent before the server stopped may have been applied.
      const outcomeUnknown = isConnectionError(/did not answer.*may or may not have been applied; read the session again/);
      await assert.rejects(backend.replaceIf(KEY, Buffer.from('stored'), { bytes: Buffer.from('edited') }, 60), outcomeUnknown);
      await assert.rejects(backend.deleteIf(KEY, Buffer.from('stored')), outcomeUnknown);
      thaw(freezable(server));
      const [entry] = await backend.getMany(keys);
      assert.equal(Buffer.from(entry!.value.bytes).toString(), 'edited', 'the key reads again once the server answers, with the write that timed out applied');
    } finally {
      thaw(freezable(server));
      await backend.close();
    }
  });

  it('memcached (SIGSTOP): a StoreError naming the server after the read timeout, the connection ended', async function () {
    const port = await freePort();
    const server = await startServer(this, 'memcached', ['-u', 'root', '-l', '127.0.0.1', '-p', String(port), '-m', '16'], port);
    started.push(server);
    await expectTypedFailures(`memcached://127.0.0.1:${port}`, freezable(server), new RegExp(`127\\.0\\.0\\.1:${port}.*did not answer within ${TIMEOUT_MS} ms`));
  });

  it('Redis Cluster (every node SIGSTOPped): a StoreError naming the cluster after the command timeout', async function () {
    const ports = [7130, 7131, 7132];
    const cluster = (await import(path.join(__dirname, '../../scripts/redisCluster.mjs'))) as {
      startCluster(ports: number[]): Promise<{ started: boolean }>;
      stopCluster(ports: number[]): Promise<boolean>;
    };
    if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error) {
      skipOrFail(this, 'redis-server is not installed, so no scratch cluster can be frozen');
    }
    const { started } = await cluster.startCluster(ports);
    try {
      if (!started) {
        skipOrFail(this, `a cluster this test did not start runs on ${ports.join(',')}; it is not frozen`);
      }
      // The pid files redisCluster.mjs keeps for the processes it started.
      const pids = ports.map((port) => Number(readFileSync(path.join(tmpdir(), `djs-redis-cluster-${ports.join('-')}`, `${port}.pid`), 'utf8').trim()));
      await expectTypedFailures(`redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`, { pids }, new RegExp(`redis\\+cluster://127\\.0\\.0\\.1:${ports[0]}.*did not answer within ${TIMEOUT_MS} ms`));
    } finally {
      await cluster.stopCluster(ports);
    }
  });
});
