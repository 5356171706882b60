import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { PyDict } from '../../engine/src/codec';
import type { CachedDbSessionStore } from '../../engine/src/stores/cachedDb/cachedDbSessionStore';
import { openCachedDbStore } from '../../engine/src/stores/cachedDb/openCachedDbStore';
import { PgDriver } from '../../engine/src/stores/postgres/pgDriver';
import type { SessionStore } from '../../engine/src/stores/sessionStore';
import { SqlSessionStore } from '../../engine/src/stores/sql/sqlSessionStore';
import { StoreError } from '../../engine/src/stores/storeError';
import { cacheDescriptor, TEST_SECRET } from '../unit/engine/stores/cache/cacheDescriptor';
import { normalizeTagged, tag, type Tagged } from './codecTagged';
import { pgAdmin, POSTGRES, REDIS, requireService, runTag } from './localServices';
import { PYTHON, requireDjango, runDjangoScript } from './realDjango';

const DB_INDEX = 8;

/**
 * The table of a cached_db store whose writes are applied and then lose their reply, as when
 * PostgreSQL commits and the connection drops before the answer comes; a logout everywhere loses
 * it after its first deletion is reported, or with `unreported`, the reply of that deletion
 * itself. `losing` turns that on.
 */
function replyLosingTable(table: SessionStore): { table: SessionStore; losing: { on: boolean; unreported?: boolean } } {
  const losing: { on: boolean; unreported?: boolean } = { on: false };
  const connectionLost = () => new StoreError('connection', 'The connection to PostgreSQL was lost (Connection terminated unexpectedly); the next action connects again. Refresh to see what the store holds now.');
  const lost = async <T>(write: Promise<T>): Promise<T> => {
    const result = await write;
    if (losing.on) {
      throw connectionLost();
    }
    return result;
  };
  const writes: Partial<SessionStore> = {
    update: (...args) => lost(table.update(...args)),
    delete: (key) => lost(table.delete(key)),
    deleteByUser: (userId, options) =>
      table.deleteByUser(userId, {
        ...options,
        onDeleted: async (key) => {
          if (!(losing.on && losing.unreported)) {
            await options?.onDeleted?.(key);
          }
          if (losing.on) {
            throw connectionLost();
          }
        },
      }),
  };
  const wrapped = new Proxy(table, {
    get(target, prop) {
      const value: unknown = (prop in writes ? writes : target)[prop as keyof SessionStore];
      return typeof value === 'function' && !(prop in writes) ? value.bind(target) : value;
    },
  });
  return { table: wrapped, losing };
}

describe('cached_db when the connection to the table is lost during our write, against real Django 3.2', function () {
  let name: string;
  let store: CachedDbSessionStore;
  let losing: { on: boolean; unreported?: boolean };

  const config = () => ({
    secret_key: TEST_SECRET,
    engine: 'cached_db',
    cache: { BACKEND: 'django_redis.cache.RedisCache', LOCATION: `redis://127.0.0.1:6379/${DB_INDEX}`, KEY_PREFIX: name },
    database: { NAME: name },
  });

  function django<T = Record<string, unknown>>(ops: object[]): T[] {
    return runDjangoScript<T[]>('cache_django.py', [], { config: config(), ops });
  }

  /** A Django request loading `key` on a cache miss whose refill lands a second after it read the row: `rowRead` resolves once it has. */
  function slowDjangoLoad(key: string): { rowRead: Promise<void>; done: Promise<void> } {
    const child = spawn(PYTHON, [path.join(__dirname, 'python', 'cache_django.py')], { stdio: ['pipe', 'ignore', 'pipe'] });
    child.stdin.end(JSON.stringify({ config: config(), ops: [{ op: 'slow_load', key, delay: 1 }] }));
    let stderr = '';
    const rowRead = new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('row-read')) {
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`Django exited before reading the row: ${stderr}`)));
    });
    const done = new Promise<void>((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`Django failed (${code}): ${stderr}`)))));
    return { rowRead, done };
  }

  /** Django's session `key` after a request that read its row before our write refilled the cache once that write had lost its connection. */
  async function servedAfterLostReply(key: string, write: () => Promise<unknown>): Promise<{ exists: boolean; data: Tagged }> {
    django([{ op: 'cache_delete', key }]);
    const load = slowDjangoLoad(key);
    await load.rowRead;
    losing.on = true;
    try {
      await assert.rejects(write(), (err: unknown) => err instanceof StoreError && err.code === 'connection' && /connection to PostgreSQL was lost/.test(err.message));
    } finally {
      losing.on = false;
    }
    await load.done;
    const [cached] = django<{ value: Tagged | null }>([{ op: 'cache_get', key }]);
    assert.notEqual(cached?.value, null, 'Django refilled the cache from the row it read before our write');
    await store.settled();
    const [served] = django<{ exists: boolean; data: Tagged }>([{ op: 'load', key }]);
    return served!;
  }

  before(async function () {
    requireDjango(this);
    await requireService(this, REDIS);
    await requireService(this, POSTGRES);
    name = `djs_lost_reply_${runTag().slice(3)}`;
    await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    django([]);
    store = await openCachedDbStore({ ...cacheDescriptor(`redis://127.0.0.1:6379/${DB_INDEX}?key_prefix=${name}&client=django-redis`, 'cached_db'), database: { vendor: 'postgresql', host: '127.0.0.1', port: 5432, name, user: 'postgres' } }, async (d) => {
      const target = d.database;
      assert.ok(target && target.vendor === 'postgresql');
      const losingTable = replyLosingTable(await SqlSessionStore.open(d, await PgDriver.open(target), `PostgreSQL database ${target.name}`));
      losing = losingTable.losing;
      return losingTable.table;
    });
  });

  after(async () => {
    await store?.close();
    if (name) {
      const raw = new Redis({ host: '127.0.0.1', port: 6379, db: DB_INDEX, lazyConnect: true });
      await raw.connect();
      const [, keys] = await raw.scan('0', 'MATCH', `${name}*`, 'COUNT', 100000);
      if (keys.length > 0) {
        await raw.del(...keys);
      }
      raw.disconnect();
      await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  });

  it("undoes the stale refill after an edit whose reply was lost, so Django serves the row it wrote", async () => {
    const [made] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['v', 1n]])) }]);
    const served = await servedAfterLostReply(made!.key as string, () => store.update(made!.key as string, (d) => d.set('v', 2n)));
    assert.deepEqual(normalizeTagged(served.data), normalizeTagged(tag(new PyDict([['v', 2n]]))));
  });

  it('undoes the stale refill after a flush whose reply was lost, so Django no longer serves the session', async () => {
    const [made] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['_auth_user_id', '9']])) }]);
    const served = await servedAfterLostReply(made!.key as string, () => store.delete(made!.key as string));
    assert.equal(served.exists, false);
  });

  it('undoes the stale refill after a logout everywhere that lost its connection part way, so Django no longer serves the session deleted', async () => {
    const [made] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['_auth_user_id', '11']])) }]);
    const served = await servedAfterLostReply(made!.key as string, () => store.deleteByUser('11'));
    assert.equal(served.exists, false);
  });

  it('undoes the stale refill after a logout everywhere whose deletion of the rows lost its reply, so Django no longer serves the session deleted', async () => {
    const [made] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['_auth_user_id', '12']])) }]);
    losing.unreported = true;
    try {
      const served = await servedAfterLostReply(made!.key as string, () => store.deleteByUser('12'));
      assert.equal(served.exists, false);
    } finally {
      losing.unreported = false;
    }
  });
});
