#!/usr/bin/env node
// A local Redis Cluster of three (or more) masters on loopback, for tests and benchmarks.
//
//   node scripts/redisCluster.mjs start [--ports 7100,7101,7102]   prints {"nodes":[...],"started":bool}
//   node scripts/redisCluster.mjs stop  [--ports 7100,7101,7102]   stops only what `start` started
//
// Idempotent: when the ports already serve a healthy cluster it is reused and left alone on stop.
// The processes started are recorded (pid files in a state directory), so `stop` ends exactly
// those, by pid, and removes their files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_PORTS = [7100, 7101, 7102];

function stateDir(ports) {
  return join(tmpdir(), `djs-redis-cluster-${ports.join('-')}`);
}

function cli(port, ...args) {
  return spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8' });
}

function clusterState(port) {
  const out = cli(port, 'cluster', 'info');
  return out.status === 0 ? /cluster_state:(\w+)/.exec(out.stdout)?.[1] : undefined;
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitFor(check, what, ms = 15000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return;
    await sleep(100);
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** Starts (or reuses) the cluster; returns its seed nodes and whether this call started it. */
export async function startCluster(ports = DEFAULT_PORTS) {
  const nodes = ports.map((p) => `127.0.0.1:${p}`);
  if (ports.every((p) => clusterState(p) === 'ok')) {
    return { nodes, started: false };
  }
  const dir = stateDir(ports);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const port of ports) {
    if (cli(port, 'ping').stdout.trim() === 'PONG') {
      throw new Error(`127.0.0.1:${port} runs a Redis that is not part of a healthy cluster; stop it or choose other ports with --ports.`);
    }
    const res = spawnSync('redis-server', [
      '--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes',
      '--cluster-config-file', `nodes-${port}.conf`, '--dir', dir, '--save', '', '--appendonly', 'no',
      '--daemonize', 'yes', '--pidfile', join(dir, `${port}.pid`), '--logfile', join(dir, `${port}.log`),
    ], { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`redis-server failed on port ${port}: ${res.stderr || res.stdout}`);
  }
  await waitFor(() => ports.every((p) => cli(p, 'ping').stdout.trim() === 'PONG'), 'the cluster nodes to answer');
  const create = spawnSync('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' });
  if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stderr || create.stdout}`);
  await waitFor(() => ports.every((p) => clusterState(p) === 'ok'), 'cluster_state:ok');
  writeFileSync(join(dir, 'started.json'), JSON.stringify({ ports }));
  return { nodes, started: true };
}

/** Stops the servers a previous `startCluster` started (by their pid files); a reused cluster is left running. */
export async function stopCluster(ports = DEFAULT_PORTS) {
  const dir = stateDir(ports);
  if (!existsSync(join(dir, 'started.json'))) return false;
  for (const port of ports) {
    const pidFile = join(dir, `${port}.pid`);
    if (!existsSync(pidFile)) continue;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  await waitFor(() => ports.every((p) => cli(p, 'ping').status !== 0 || cli(p, 'ping').stdout.trim() !== 'PONG'), 'the cluster nodes to stop', 10000);
  rmSync(dir, { recursive: true, force: true });
  return true;
}

function portsArg(argv) {
  const i = argv.indexOf('--ports');
  return i >= 0 ? argv[i + 1].split(',').map(Number) : DEFAULT_PORTS;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command] = process.argv.slice(2);
  const ports = portsArg(process.argv);
  if (command === 'start') {
    console.log(JSON.stringify(await startCluster(ports)));
  } else if (command === 'stop') {
    console.log(JSON.stringify({ stopped: await stopCluster(ports) }));
  } else {
    console.error('Usage: node scripts/redisCluster.mjs start|stop [--ports 7100,7101,7102]');
    process.exit(2);
  }
}
