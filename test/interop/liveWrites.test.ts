import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { openStore, parseStoreUrl, StoreError, type SessionRecord, type SessionStore } from '../../engine/src';
import { openCacheStore } from '../../engine/src/stores/cache/openCacheStore';
import { openCachedDbStore } from '../../engine/src/stores/cachedDb/openCachedDbStore';
import { PgDriver } from '../../engine/src/stores/postgres/pgDriver';
import { SqlSessionStore } from '../../engine/src/stores/sql/sqlSessionStore';
import { cacheDescriptor, TEST_SECRET } from '../unit/engine/stores/cache/cacheDescriptor';
import { pgAdmin, POSTGRES, REDIS, requireService, runTag, skipOrFail, startMemcachedServers } from './localServices';
import { startDjangoWriter } from './djangoWriter';
import { django52, requireDjango, runDjangoScript } from './realDjango';

const DB_INDEX = 8;
/** A memcached of this suite's own, so the whole-server dumps of clear-expired meet no other test's keys. */
const MEMCACHED_PORT = 18061;
const WRITER_SECONDS = 5;
const SHARED = 8;
const EXPIRED = 40;
/** Shared sessions whose key we cycle while Django keeps saving them. */
const CYCLED = 2;

interface WriterResult {
  created: string[];
  last: Record<string, number>;
  gone: string[];
  interrupted: number;
  saves: number;
  lost: Array<{ key: string; saved: number; loaded: number }>;
}

interface Loaded {
  key: string;
  exists: boolean;
  django_counter: number | null;
}

/** One store, and the Django settings (and the Django, when not the machine's 3.2) that use it. */
interface LiveStore {
  config: Record<string, unknown>;
  djangoPath?: string;
  open: () => Promise<SessionStore>;
  /**
   * The file engine's one gap (README, Live data): with no lock on either side, a Django save
   * renamed in between our last look and our rename is replaced by our change, which holds the
   * counter that save replaced.
   */
  replacesRacingSave?: true;
}

function counterOf(record: SessionRecord): number {
  return Number(record.decoded.ok ? (record.decoded.session.data.get('django_counter') ?? 0) : NaN);
}

function django<T>(store: LiveStore, request: object): T {
  return runDjangoScript<T>('live_writer.py', [], { config: store.config, ...request }, store.djangoPath);
}

/**
 * Real Django saves sessions in a loop (a new one, then one more on a shared session's counter)
 * while we edit, set the expiry of and cycle the shared sessions and clear expired ones. After:
 * every session Django created is there, each shared session holds the last counter Django
 * saved (or, cycled, its new key does), clear-expired deleted exactly the expired ones, and each
 * of our changes either happened or was refused as a conflict. A file store may also have
 * replaced a save racing one of our changes, and only so (`replacesRacingSave`).
 */
async function keepsEveryDjangoWrite(live: LiveStore): Promise<void> {
  const seeded = django<{ shared: string[]; expired: string[] }>(live, { seed: { shared: SHARED, expired: EXPIRED } });
  const writer = await startDjangoWriter<WriterResult>('live_writer.py', [], { config: live.config, seconds: WRITER_SECONDS, shared: seeded.shared }, live.djangoPath);

  const store = await live.open();
  let attempts = 0;
  let done = 0;
  let conflicts = 0;
  let cleared = 0;
  const cycled = new Map<string, { key: string; counter: number }>();
  /** "key:counter" of each change of ours that went through. */
  const written = new Set<string>();
  const wrote = (key: string, record: SessionRecord): void => void written.add(`${key}:${counterOf(record)}`);
  const ours = async (op: () => Promise<unknown>): Promise<void> => {
    attempts++;
    try {
      await op();
      done++;
    } catch (err) {
      if (!(err instanceof StoreError && err.code === 'conflict')) {
        throw err;
      }
      conflicts++;
    }
  };
  try {
    const started = Date.now();
    for (let round = 0; Date.now() - started < (WRITER_SECONDS - 1) * 1000; round++) {
      await ours(async () => (cleared += await store.clearExpired()));
      for (const [i, key] of seeded.shared.entries()) {
        if (cycled.has(key)) {
          continue;
        }
        if (i < CYCLED && round >= 2) {
          await ours(async () => {
            const moved = await store.cycleKey(key);
            cycled.set(key, { key: moved.key, counter: counterOf(moved) });
          });
        } else if (round % 3 === 1) {
          await ours(async () => wrote(key, await store.setExpiry(key, { kind: 'seconds', seconds: 7200 })));
        } else {
          await ours(async () => wrote(key, await store.update(key, (data) => void data.set('ours', BigInt(round)))));
        }
      }
    }
  } finally {
    await store.close();
  }
  const result = await writer.finished();
  // Only the file engine's gap may replace a Django save: by a change of ours holding the counter before it.
  const replacedByGap = (key: string, saved: number, found: number) => live.replacesRacingSave === true && found === saved - 1 && written.has(`${key}:${found}`);
  assert.deepEqual(
    result.lost.filter((l) => !replacedByGap(l.key, l.saved, l.loaded)),
    [],
    'Django loaded each shared session with the counter it last saved there',
  );
  assert.equal(attempts, done + conflicts, 'each of our changes happened or was refused as a conflict');
  assert.ok(result.saves >= SHARED && done >= SHARED, `both sides wrote (Django ${result.saves} saves, ours ${done})`);
  assert.equal(cleared, EXPIRED, 'clear-expired deleted the expired sessions and no other');
  assert.equal(cycled.size, CYCLED, 'the cycled sessions moved to their new keys');

  const loaded = new Map(django<Loaded[]>(live, { load: [...result.created, ...seeded.shared, ...[...cycled.values()].map((c) => c.key)] }).map((l) => [l.key, l]));
  const lostCreated = result.created.filter((key) => !loaded.get(key)?.exists);
  assert.deepEqual(lostCreated, [], `${lostCreated.length} of the ${result.created.length} sessions Django created are gone`);
  for (const key of seeded.shared) {
    const now = loaded.get(key)!;
    const moved = cycled.get(key);
    if (now.exists) {
      const saved = result.last[key] ?? 0;
      const found = now.django_counter ?? 0;
      assert.ok(found === saved || replacedByGap(key, saved, found), `Django loads the last counter it saved (${saved}, found ${found})`);
    } else {
      assert.ok(moved, 'only a session we cycled has left its key');
    }
    if (moved) {
      const there = loaded.get(moved.key)!;
      assert.ok(there.exists && there.django_counter === moved.counter, 'the new key holds the data cycled');
      assert.ok(now.exists || moved.counter === (result.last[key] ?? 0), 'the cycled data holds the last counter Django saved under the old key');
    }
  }
  assert.deepEqual(
    result.gone.filter((key) => !cycled.has(key)),
    [],
    'only sessions we cycled stopped loading for Django',
  );
}

async function dropRedisPrefix(prefix: string): Promise<void> {
  const raw = new Redis({ host: '127.0.0.1', port: 6379, db: DB_INDEX, lazyConnect: true });
  await raw.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await raw.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 10_000);
      if (keys.length > 0) {
        await raw.del(...keys);
      }
      cursor = next;
    } while (cursor !== '0');
  } finally {
    raw.disconnect();
  }
}

/** keepsEveryDjangoWrite on a Redis cache as `backend` (and our `client`) writes it, its keys deleted after. */
async function onRedis(backend: string, client: 'django-redis' | 'django', djangoPath?: string): Promise<void> {
  const prefix = runTag();
  try {
    await keepsEveryDjangoWrite({
      config: { secret_key: TEST_SECRET, engine: 'cache', cache: { BACKEND: backend, LOCATION: `redis://127.0.0.1:6379/${DB_INDEX}`, KEY_PREFIX: prefix } },
      djangoPath,
      open: () => openCacheStore(cacheDescriptor(`redis://127.0.0.1:6379/${DB_INDEX}?key_prefix=${prefix}&client=${client}`)),
    });
  } finally {
    await dropRedisPrefix(prefix);
  }
}

describe('safety: a live Django saving cache, cached_db and file sessions while we edit, cycle and clear', function () {
  this.timeout(120_000);

  before(function () {
    requireDjango(this);
  });

  it('Redis, Django 3.2 with django-redis', async function () {
    await requireService(this, REDIS);
    await onRedis('django_redis.cache.RedisCache', 'django-redis');
  });

  it("Redis, Django 5.2 with its RedisCache", async function () {
    await requireService(this, REDIS);
    const found = django52();
    if (!found.dir) {
      skipOrFail(this, `Django 5.2 is missing: ${found.why}`);
    }
    await onRedis('django.core.cache.backends.redis.RedisCache', 'django', found.dir);
  });

  it('memcached, Django 3.2 with PyMemcacheCache', async function () {
    const server = await startMemcachedServers([MEMCACHED_PORT]);
    const prefix = runTag();
    try {
      await keepsEveryDjangoWrite({
        config: { secret_key: TEST_SECRET, engine: 'cache', cache: { BACKEND: 'django.core.cache.backends.memcached.PyMemcacheCache', LOCATION: `127.0.0.1:${MEMCACHED_PORT}`, KEY_PREFIX: prefix } },
        open: () => openCacheStore(cacheDescriptor(`memcached://127.0.0.1:${MEMCACHED_PORT}?key_prefix=${prefix}`)),
      });
    } finally {
      server.stop();
    }
  });

  it('cached_db on PostgreSQL and Redis, Django 3.2', async function () {
    await requireService(this, REDIS);
    await requireService(this, POSTGRES);
    const name = `djs_live_${runTag().slice(3)}`;
    await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    try {
      await keepsEveryDjangoWrite({
        config: { secret_key: TEST_SECRET, engine: 'cached_db', cache: { BACKEND: 'django_redis.cache.RedisCache', LOCATION: `redis://127.0.0.1:6379/${DB_INDEX}`, KEY_PREFIX: name }, database: { NAME: name } },
        open: () =>
          openCachedDbStore({ ...cacheDescriptor(`redis://127.0.0.1:6379/${DB_INDEX}?key_prefix=${name}&client=django-redis`, 'cached_db'), database: { vendor: 'postgresql', host: '127.0.0.1', port: 5432, name, user: 'postgres' } }, async (d) => {
            const target = d.database;
            assert.ok(target && target.vendor === 'postgresql');
            return SqlSessionStore.open(d, await PgDriver.open(target), `PostgreSQL database ${target.name}`);
          }),
      });
    } finally {
      await dropRedisPrefix(name);
      await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  });

  it('file, Django 3.2', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-live-'));
    try {
      await keepsEveryDjangoWrite({
        config: { secret_key: TEST_SECRET, engine: 'file', file_path: dir },
        open: () => openStore(parseStoreUrl(`file://${dir}`, '/', { secretKeys: [TEST_SECRET], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 })),
        replacesRacingSave: true,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
