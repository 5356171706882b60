import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { createServer, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';

/** A loopback service the interop tests need: how to tell it answers, and how to start it when it is down. */
export interface LocalService {
  name: string;
  port: number;
  /** The command that starts it, also shown when it could not be started. */
  start: string[];
  /** Whether it serves requests, not merely listens (a database still recovering refuses logins). */
  ready(): Promise<boolean>;
}

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

async function succeeds(attempt: () => Promise<unknown>): Promise<boolean> {
  try {
    await attempt();
    return true;
  } catch {
    return false;
  }
}

/** PostgreSQL with trust auth for user root; every installed cluster is started. */
export const POSTGRES: LocalService = {
  name: 'PostgreSQL',
  port: 5432,
  start: ['sh', '-c', 'for v in $(ls /etc/postgresql 2>/dev/null); do pg_ctlcluster --skip-systemctl-redirect "$v" main start; done'],
  ready: () =>
    succeeds(async () => {
      const c = new Client({ host: '127.0.0.1', port: 5432, user: 'root', database: 'postgres', connectionTimeoutMillis: 3000 });
      await c.connect();
      await c.end();
    }),
};

/** MariaDB with user root and an empty password. */
export const MARIADB: LocalService = {
  name: 'MariaDB',
  port: 3306,
  start: ['start-stop-daemon', '--start', '--oknodo', '--background', '--exec', '/usr/sbin/mariadbd'],
  ready: () => succeeds(async () => (await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '', connectTimeout: 3000 })).end()),
};

/** Where scripts/tlsDatabases.mjs keeps the test CA (`ca.crt`), an unrelated CA (`other-ca.crt`) and a client certificate for user root. */
export const TLS_DIR = '/var/lib/django-sessions-tls';
const TLS_DATABASES = ['node', path.join(__dirname, '..', '..', 'scripts', 'tlsDatabases.mjs')];

/** A PostgreSQL cluster that refuses unencrypted connections; its certificate names `localhost` only. */
export const POSTGRES_TLS: LocalService = {
  name: 'PostgreSQL with TLS only',
  port: 5433,
  start: TLS_DATABASES,
  ready: () =>
    succeeds(async () => {
      const c = new Client({ host: '127.0.0.1', port: 5433, user: 'root', database: 'postgres', ssl: { rejectUnauthorized: false }, connectionTimeoutMillis: 3000 });
      await c.connect();
      await c.end();
    }),
};

/** A MariaDB server that refuses unencrypted connections, with the same certificates. */
export const MARIADB_TLS: LocalService = {
  name: 'MariaDB with TLS only',
  port: 3307,
  start: TLS_DATABASES,
  ready: () => succeeds(async () => (await createConnection({ host: '127.0.0.1', port: 3307, user: 'root', password: '', ssl: { rejectUnauthorized: false }, connectTimeout: 3000 })).end()),
};

export const REDIS: LocalService = {
  name: 'Redis',
  port: 6379,
  start: ['redis-server', '--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no'],
  ready: () => isListening(6379),
};

export const MEMCACHED: LocalService = {
  name: 'memcached',
  port: 11211,
  start: ['memcached', '-d', '-u', 'root', '-l', '127.0.0.1', '-p', '11211'],
  ready: () => isListening(11211),
};

async function waitFor(ready: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await ready()) {
      return true;
    }
    await sleep(200);
  }
  return false;
}

/** Skips the suite loudly when something it needs is missing, unless DJS_REQUIRE_SERVICES=1 makes it a failure. */
export function skipOrFail(suite: Mocha.Context, message: string): never {
  if (process.env.DJS_REQUIRE_SERVICES === '1') {
    throw new Error(message);
  }
  console.warn(`SKIPPED: ${message}`);
  suite.skip();
}

/**
 * Makes sure a service runs on loopback, starting it when it is down. When it cannot be
 * started, the suite is skipped with one loud line, or fails under DJS_REQUIRE_SERVICES=1.
 */
export async function requireService(suite: Mocha.Context, service: LocalService): Promise<void> {
  if (await service.ready()) {
    return;
  }
  const [cmd, ...args] = service.start;
  spawnSync(cmd!, args, { stdio: 'ignore' });
  // A database replaying its log after an unclean stop can take a while to accept logins.
  if (await waitFor(() => service.ready(), 20_000)) {
    return;
  }
  skipOrFail(suite, `${service.name} is not running on 127.0.0.1:${service.port} and could not be started (${service.start.join(' ')}); install or start it to run these interop tests`);
}

/** A key prefix or database name no other run uses; never assume what it names is empty. */
export function runTag(): string {
  return `djs${randomBytes(5).toString('hex')}`;
}

export async function pgAdmin<T>(body: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ host: '127.0.0.1', port: 5432, user: 'root', database: 'postgres' });
  await c.connect();
  try {
    return await body(c);
  } finally {
    await c.end();
  }
}

/** `body` on a connection to the test's own PostgreSQL database `name`, closed after it. */
export async function pgIn<T>(name: string, body: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ host: '127.0.0.1', port: 5432, user: 'root', database: name });
  await c.connect();
  try {
    return await body(c);
  } finally {
    await c.end();
  }
}

export async function mysqlAdmin<T>(body: (c: Awaited<ReturnType<typeof createConnection>>) => Promise<T>): Promise<T> {
  const c = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
  try {
    return await body(c);
  } finally {
    await c.end();
  }
}

/** Extra memcached servers on loopback for one suite; `stop` ends exactly the processes started here. */
export async function startMemcachedServers(ports: number[], extraArgs: string[] = []): Promise<{ stop: () => void }> {
  const children = ports.map((port) => spawn('memcached', ['-u', 'root', '-l', '127.0.0.1', '-p', String(port), '-m', '16', ...extraArgs], { stdio: 'ignore' }));
  const stop = () => {
    for (const child of children) {
      child.kill();
    }
  };
  for (const port of ports) {
    if (!(await waitFor(() => isListening(port, 300), 5000))) {
      stop();
      throw new Error(`memcached did not start on 127.0.0.1:${port}`);
    }
  }
  return { stop };
}

/** A loopback port nothing listens on now, for a test's own scratch server. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
