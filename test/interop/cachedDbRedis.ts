import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import type { PyDict } from '../../engine/src/codec';
import type { CachedDbSessionStore } from '../../engine/src/stores/cachedDb/cachedDbSessionStore';
import { openCachedDbStore } from '../../engine/src/stores/cachedDb/openCachedDbStore';
import { PgDriver } from '../../engine/src/stores/postgres/pgDriver';
import type { SessionStore } from '../../engine/src/stores/sessionStore';
import { SqlSessionStore } from '../../engine/src/stores/sql/sqlSessionStore';
import { cacheDescriptor, TEST_SECRET } from '../unit/engine/stores/cache/cacheDescriptor';
import { tag } from './codecTagged';
import { pgAdmin } from './localServices';
import { PYTHON, runDjangoScript } from './realDjango';

/**
 * A cached_db store over the local PostgreSQL database `name` and a Redis cache in Redis logical
 * database `db`, its keys prefixed with `name`: what real Django (cache_django.py) and the engine
 * both open, so a test can have each act on the other's sessions. The cache is django-redis under
 * the machine's Django 3.2, and Django's own RedisCache under the Django on `djangoPath` (5.2).
 */
export interface CachedDbRedis {
  /** Makes the database and Django's session table in it. */
  create(): Promise<void>;
  /** Runs `ops` in one Django process, one result each. */
  django<T = Record<string, unknown>>(ops: object[]): T[];
  /**
   * A Django request loading `key` on a cache miss whose refill lands `delay` seconds after it
   * read the row: `rowRead` settles once it has, `done` when the refill is in.
   */
  slowLoad(key: string, delay: number): { rowRead: Promise<void>; done: Promise<void> };
  /** A Django request saving `data` into `key` whose cache set lands `delay` seconds after the row was saved: `rowWritten` settles then. */
  slowSave(key: string, data: PyDict, delay: number): { rowWritten: Promise<void>; done: Promise<void> };
  /** The engine's store over it; `wrap` stands between it and its table, for a fault no real table makes. */
  open(wrap?: (table: SessionStore) => SessionStore): Promise<CachedDbSessionStore>;
  /** Drops its cache entries and the database. */
  remove(): Promise<void>;
  /** The cache's store URL, as a user would give it with `?cache=`. */
  cacheUrl: string;
}

export function cachedDbRedis(name: string, db: number, djangoPath?: string): CachedDbRedis {
  const config = {
    secret_key: TEST_SECRET,
    engine: 'cached_db',
    cache: { BACKEND: djangoPath ? 'django.core.cache.backends.redis.RedisCache' : 'django_redis.cache.RedisCache', LOCATION: `redis://127.0.0.1:6379/${db}`, KEY_PREFIX: name },
    database: { NAME: name },
  };
  const cacheUrl = `redis://127.0.0.1:6379/${db}?key_prefix=${name}&client=${djangoPath ? 'django' : 'django-redis'}`;
  const django = <T>(ops: object[]) => runDjangoScript<T[]>('cache_django.py', [], { config, ops }, djangoPath);
  /** A Django request running `op` in a process of its own: `marked` settles once it reports `mark`, `done` when it exits. */
  const slowDjango = (op: object, mark: string) => {
    const env = djangoPath ? { ...process.env, PYTHONPATH: djangoPath } : process.env;
    const child = spawn(PYTHON, [path.join(__dirname, 'python', 'cache_django.py')], { stdio: ['pipe', 'ignore', 'pipe'], env });
    child.stdin.end(JSON.stringify({ config, ops: [op] }));
    let stderr = '';
    const marked = new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes(mark)) {
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`Django exited before "${mark}": ${stderr}`)));
    });
    const done = new Promise<void>((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`Django failed (${code}): ${stderr}`)))));
    return { marked, done };
  };
  return {
    cacheUrl,
    async create() {
      await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
      django([]);
    },
    django,
    slowLoad(key, delay) {
      const { marked, done } = slowDjango({ op: 'slow_load', key, delay }, 'row-read');
      return { rowRead: marked, done };
    },
    slowSave(key, data, delay) {
      const { marked, done } = slowDjango({ op: 'slow_update', key, data: tag(data), delay }, 'row-written');
      return { rowWritten: marked, done };
    },
    open(wrap = (table) => table) {
      const descriptor = {
        ...cacheDescriptor(cacheUrl, 'cached_db'),
        database: { vendor: 'postgresql', host: '127.0.0.1', port: 5432, name, user: 'postgres' },
      } as const;
      return openCachedDbStore(descriptor, async (d) => {
        const target = d.database;
        assert.ok(target && target.vendor === 'postgresql');
        return wrap(await SqlSessionStore.open(d, await PgDriver.open(target), `PostgreSQL database ${target.name}`));
      });
    },
    async remove() {
      const raw = new Redis({ host: '127.0.0.1', port: 6379, db, lazyConnect: true });
      await raw.connect();
      const [, keys] = await raw.scan('0', 'MATCH', `${name}*`, 'COUNT', 100000);
      if (keys.length > 0) {
        await raw.del(...keys);
      }
      raw.disconnect();
      await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
