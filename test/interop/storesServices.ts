import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { createConnection } from 'mysql2/promise';

/** Skips the suite loudly when a service is missing, unless DJS_REQUIRE_SERVICES=1 makes it a failure. */
export function skipOrFail(suite: Mocha.Context, message: string): never {
  if (process.env.DJS_REQUIRE_SERVICES === '1') {
    throw new Error(message);
  }
  console.warn(`SKIPPED: ${message}`);
  suite.skip();
}

async function pgUp(): Promise<boolean> {
  const c = new Client({ host: '127.0.0.1', port: 5432, user: 'root', database: 'postgres', connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function mysqlUp(): Promise<boolean> {
  try {
    const c = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '', connectTimeout: 3000 });
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function ensure(up: () => Promise<boolean>, start: () => void): Promise<boolean> {
  if (await up()) {
    return true;
  }
  start();
  for (let i = 0; i < 40; i++) {
    await sleep(500);
    if (await up()) {
      return true;
    }
  }
  return false;
}

/** PostgreSQL on 127.0.0.1:5432 (trust auth, user root), started when it is down. */
export function ensurePostgres(): Promise<boolean> {
  return ensure(pgUp, () => {
    const versions = fs.existsSync('/etc/postgresql') ? fs.readdirSync('/etc/postgresql') : [];
    for (const v of versions) {
      spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', v, 'main', 'start'], { stdio: 'ignore' });
    }
  });
}

/** MariaDB on 127.0.0.1:3306 (root, empty password), started when it is down. */
export function ensureMariadb(): Promise<boolean> {
  return ensure(mysqlUp, () => {
    spawnSync('start-stop-daemon', ['--start', '--oknodo', '--background', '--exec', '/usr/sbin/mariadbd'], { stdio: 'ignore' });
  });
}

/** A fresh database name for this run; never reuse one, never assume it is empty. */
export function runDatabaseName(): string {
  return `djs_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
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

export async function mysqlAdmin<T>(body: (c: Awaited<ReturnType<typeof createConnection>>) => Promise<T>): Promise<T> {
  const c = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
  try {
    return await body(c);
  } finally {
    await c.end();
  }
}
