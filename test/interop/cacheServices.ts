import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';

/** A loopback service the cache interop tests need, and how to start it when it is down. */
export interface LocalService {
  name: string;
  port: number;
  start: string[];
}

export const REDIS: LocalService = { name: 'Redis', port: 6379, start: ['redis-server', '--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no'] };
export const MEMCACHED: LocalService = { name: 'memcached', port: 11211, start: ['memcached', '-d', '-u', 'root', '-l', '127.0.0.1', '-p', '11211'] };
export const POSTGRES: LocalService = { name: 'PostgreSQL', port: 5432, start: ['sh', '-c', 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start'] };

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function isListening(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1', () => done(true));
  });
}

async function waitListening(port: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await isListening(port, 300)) {
      return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Makes sure a service runs on loopback, starting it when it is down. When it cannot be
 * started, the suite is skipped with one loud line, or fails under DJS_REQUIRE_SERVICES=1.
 */
export async function requireService(suite: Mocha.Context, service: LocalService): Promise<boolean> {
  if (await isListening(service.port)) {
    return true;
  }
  const [cmd, ...args] = service.start;
  spawnSync(cmd as string, args, { stdio: 'ignore' });
  if (await waitListening(service.port, 5000)) {
    return true;
  }
  const message = `${service.name} is not running on 127.0.0.1:${service.port} and could not be started (${service.start.join(' ')}); install it to run these interop tests`;
  if (process.env.DJS_REQUIRE_SERVICES === '1') {
    throw new Error(message);
  }
  console.warn(`SKIPPED: ${message}`);
  suite.skip();
  return false;
}

/** A key prefix (or database name) no other run uses. */
export function runTag(): string {
  return `djs${randomBytes(5).toString('hex')}`;
}

/** Extra memcached servers on loopback for one suite; `stop` ends exactly the processes started here. */
export async function startMemcachedServers(ports: number[], extraArgs: string[] = []): Promise<{ stop: () => void }> {
  const { spawn } = await import('node:child_process');
  const children = ports.map((port) => spawn('memcached', ['-u', 'root', '-l', '127.0.0.1', '-p', String(port), '-m', '16', ...extraArgs], { stdio: 'ignore' }));
  const stop = () => {
    for (const child of children) {
      child.kill();
    }
  };
  for (const port of ports) {
    if (!(await waitListening(port, 5000))) {
      stop();
      throw new Error(`memcached did not start on 127.0.0.1:${port}`);
    }
  }
  return { stop };
}
