// Cache sessions at Redis scale, on a bench Redis started here on its own loopback port:
// enumerating 1,000,000 session keys among 1,000,000 unrelated keys (built with DEBUG POPULATE)
// with our store's SCAN walk, against redis-py's scan_iter(count=1000) and `redis-cli --scan
// --pattern` in the same run; then decoding pickled sessions, against CPython's pickle.loads.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PyDatetime, PyDict, PyTimezone, pickleDumps } from '../engine/src/codec';
import type { CacheSessionStore } from '../engine/src/stores/cache/cacheSessionStore';
import { decodeCacheValue } from '../engine/src/stores/cache/cacheValueCodec';
import { openCacheStore } from '../engine/src/stores/cache/openCacheStore';
import { cacheDescriptor } from '../test/unit/engine/stores/cache/cacheDescriptor';

const PYTHON = process.env.DJS_BENCH_PYTHON ?? '/usr/bin/python3';
const PORT = Number(process.env.DJS_BENCH_REDIS_PORT ?? 6391);
const KEYS = Number(process.env.DJS_BENCH_CACHE_KEYS ?? 1_000_000);
const DECODES = Number(process.env.DJS_BENCH_DECODES ?? 200_000);
const SCAN_TARGET_RATIO = 1;
const DECODE_TARGET_PER_SECOND = 100_000;
// DEBUG POPULATE names keys "<prefix>:<n>"; this prefix makes every such key one of our sessions.
const SESSION_PREFIX = ':1:django.contrib.sessions.cachebenchsession';
const GLOB = ':1:django.contrib.sessions.cache*';

function redisCli(...args: string[]): string {
  const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(PORT), ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(`redis-cli ${args[0]} failed: ${r.stderr}`);
  }
  return r.stdout;
}

/** Starts the bench server; returns a stop function that ends exactly that process. */
function startBenchRedis(dir: string): () => void {
  if (spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(PORT), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG') {
    throw new Error(`Something already listens on 127.0.0.1:${PORT}; set DJS_BENCH_REDIS_PORT to a free port.`);
  }
  const pidFile = path.join(dir, 'redis.pid');
  const started = spawnSync('redis-server', ['--port', String(PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'local', '--daemonize', 'yes', '--pidfile', pidFile, '--dir', dir], { encoding: 'utf8' });
  if (started.status !== 0) {
    throw new Error(`redis-server did not start: ${started.stderr || started.stdout}`);
  }
  const deadline = Date.now() + 10_000;
  while (!fs.existsSync(pidFile) || spawnSync('redis-cli', ['-p', String(PORT), 'ping'], { encoding: 'utf8' }).stdout.trim() !== 'PONG') {
    if (Date.now() > deadline) {
      throw new Error('the bench redis-server did not answer within 10 s');
    }
    spawnSync('sleep', ['0.05']);
  }
  const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  return () => {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
}

async function timeOurs(store: CacheSessionStore): Promise<{ keys: number; ms: number }> {
  let best = Infinity;
  let keys = 0;
  for (let run = 0; run < 2; run++) {
    const started = performance.now();
    keys = 0;
    for await (const batch of store.scanKeys()) {
      keys += batch.length;
    }
    best = Math.min(best, performance.now() - started);
  }
  return { keys, ms: best };
}

function timeRedisCli(): { keys: number; ms: number } {
  const started = performance.now();
  const out = redisCli('--scan', '--pattern', GLOB);
  const ms = performance.now() - started;
  return { keys: out.split('\n').filter((l) => l !== '').length, ms };
}

/** Realistic session dicts: a login, a cart, flash messages, and a datetime expiry on some. */
function sampleSessions(count: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const data = new PyDict([
      ['_auth_user_id', String(i)],
      ['_auth_user_backend', 'django.contrib.auth.backends.ModelBackend'],
      ['_auth_user_hash', 'f'.repeat(64)],
      ['cart', Array.from({ length: i % 7 }, (_, j) => BigInt(j * 11))],
      ['_messages', '[["__json_message", 0, 20, "Saved"]]'],
    ]);
    if (i % 3 === 0) {
      data.set('_session_expiry', PyDatetime.fromDate(new Date(Date.UTC(2030, 0, 1, 0, 0, i % 60)), PyTimezone.pytzUtc));
    }
    out.push(pickleDumps(data, i % 2 === 0 ? 5 : 4));
  }
  return out;
}

function benchDecode(dir: string): void {
  const values = sampleSessions(DECODES);
  for (const v of values.slice(0, 1000)) {
    decodeCacheValue({ bytes: v });
  }
  const started = performance.now();
  let ok = 0;
  for (const bytes of values) {
    if (decodeCacheValue({ bytes }).ok) {
      ok++;
    }
  }
  const ms = performance.now() - started;
  if (ok !== values.length) {
    throw new Error(`only ${ok} of ${values.length} sessions decoded`);
  }
  const file = path.join(dir, 'pickles.bin');
  const chunks: Buffer[] = [];
  for (const v of values) {
    const size = Buffer.alloc(4);
    size.writeUInt32LE(v.length);
    chunks.push(size, Buffer.from(v));
  }
  fs.writeFileSync(file, Buffer.concat(chunks));
  const py = spawnSync(PYTHON, [path.join(__dirname, 'python', 'cache_scan_bench.py'), 'loads', file], { encoding: 'utf8' });
  if (py.status !== 0) {
    throw new Error(`cache_scan_bench.py loads failed: ${py.stderr}`);
  }
  const peer = JSON.parse(py.stdout) as { count: number; seconds: number; python: string };
  const perSecond = values.length / (ms / 1000);
  console.log(`decoding ${values.length} pickled sessions (safe allow-list unpickler, to a session record's decoded form):`);
  console.log(`  ours: ${ms.toFixed(0)} ms = ${Math.round(perSecond).toLocaleString('en-US')}/s (target >= ${DECODE_TARGET_PER_SECOND.toLocaleString('en-US')}/s) ${perSecond >= DECODE_TARGET_PER_SECOND ? 'MET' : 'NOT MET'}`);
  console.log(`  CPython ${peer.python} pickle.loads (C accelerated, executes globals): ${(peer.seconds * 1000).toFixed(0)} ms = ${Math.round(peer.count / peer.seconds).toLocaleString('en-US')}/s; ours takes ${(ms / (peer.seconds * 1000)).toFixed(2)}x its time`);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-cache-bench-'));
  const stop = startBenchRedis(dir);
  let store: CacheSessionStore | undefined;
  try {
    const built = performance.now();
    redisCli('DEBUG', 'POPULATE', String(KEYS), SESSION_PREFIX);
    redisCli('DEBUG', 'POPULATE', String(KEYS), 'views.decorators.cache.cache_page');
    const dbsize = Number(redisCli('DBSIZE').trim());
    console.log(`bench Redis on 127.0.0.1:${PORT}: ${dbsize.toLocaleString('en-US')} keys (${KEYS.toLocaleString('en-US')} sessions + ${KEYS.toLocaleString('en-US')} unrelated) built with DEBUG POPULATE in ${((performance.now() - built) / 1000).toFixed(1)} s`);

    store = await openCacheStore(cacheDescriptor(`redis://127.0.0.1:${PORT}/0`));
    const ours = await timeOurs(store);
    const py = spawnSync(PYTHON, [path.join(__dirname, 'python', 'cache_scan_bench.py'), 'scan', String(PORT), GLOB, '1000'], { encoding: 'utf8' });
    if (py.status !== 0) {
      throw new Error(`cache_scan_bench.py scan failed: ${py.stderr}`);
    }
    const peer = JSON.parse(py.stdout) as { keys: number; seconds: number; redis_py: string; python: string };
    const cli = timeRedisCli();
    if (ours.keys !== KEYS || peer.keys !== KEYS || cli.keys !== KEYS) {
      throw new Error(`the enumerations disagree: ours ${ours.keys}, redis-py ${peer.keys}, redis-cli ${cli.keys}, expected ${KEYS}`);
    }
    const ratio = ours.ms / (peer.seconds * 1000);
    console.log(`enumerating ${KEYS.toLocaleString('en-US')} session keys among ${dbsize.toLocaleString('en-US')} keys (SCAN MATCH, COUNT 1000):`);
    console.log(`  ours (ioredis, session-key check per key, best of 2): ${ours.ms.toFixed(0)} ms`);
    console.log(`  redis-py ${peer.redis_py} scan_iter(count=1000) on CPython ${peer.python} (best of 2): ${(peer.seconds * 1000).toFixed(0)} ms`);
    console.log(`  ratio ours/redis-py: ${ratio.toFixed(2)}x (target <= ${SCAN_TARGET_RATIO}x) ${ratio <= SCAN_TARGET_RATIO ? 'MET' : 'NOT MET'}`);
    console.log(`  redis-cli --scan --pattern (its default COUNT 10, process start and output included): ${cli.ms.toFixed(0)} ms; ours/redis-cli ${(ours.ms / cli.ms).toFixed(2)}x`);

    benchDecode(dir);
  } finally {
    await store?.close();
    stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
