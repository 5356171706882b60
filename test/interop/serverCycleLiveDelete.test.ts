import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { ProjectModel } from '../../server/src/projectModel';
import { StoreRegistry } from '../../server/src/storeRegistry';
import { tempProject } from '../unit/engine/project/tempProject';
import { startDjangoWriter } from './djangoWriter';
import { pgAdmin, POSTGRES, REDIS, requireService, runTag } from './localServices';
import { requireDjango } from './realDjango';

const SECRET = 'server-cycle-live-delete-key-0123456789-abcdefghijk';
const SETTINGS = { storeUrl: '', settingsModules: {} };
const DB_INDEX = 8;
const DELETER_SECONDS = 4;
/** What a cycle of a session Django deleted meanwhile may say; anything else fails the test. */
const REFUSED = new Set(['conflict', 'not-found']);

interface DeleterResult {
  deleted: string[];
  missing: string[];
}

/** One store: live_deleter.py's config for it, and the lines of the project's settings that name it. */
interface LiveStore {
  config: Record<string, unknown>;
  settings: string[];
}

/**
 * Cycle Key, sent through the server's registry on the sessions the view lists, while a real
 * Django creates sessions and deletes each a few milliseconds later (a logout). A session Django
 * deleted must not live on under a new key, and a cycle refused must leave no copy behind: after
 * the run the store holds only the copies of cycles that went through, each of a session Django
 * then found already gone.
 */
async function cycleNeverRevives(live: LiveStore): Promise<void> {
  const root = tempProject(
    {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
      'proj/__init__.py': '',
      'proj/settings.py': [`SECRET_KEY = "${SECRET}"`, 'USE_TZ = True', 'TIME_ZONE = "UTC"', 'INSTALLED_APPS = ["django.contrib.sessions"]', ...live.settings, ''].join('\n'),
    },
    'djs-server-cycle-',
  );
  const registry = new StoreRegistry(new ProjectModel(() => [root], () => SETTINGS), () => [root], () => undefined);
  try {
    const deleter = await startDjangoWriter<DeleterResult>('live_deleter.py', [], { config: live.config, seconds: DELETER_SECONDS });
    const [store] = await registry.listStores(SETTINGS, true);
    assert.ok(store, 'the project names its store');
    const storeId = store.id;
    /** Old key → new key, of each cycle that went through. */
    const cycled = new Map<string, string>();
    const copies = new Set<string>();
    let refused = 0;
    const started = Date.now();
    while (Date.now() - started < (DELETER_SECONDS - 1) * 1000) {
      const listed = (await registry.listSessions({ storeId, limit: 1000, maskKeys: false })).sessions.filter((row) => !copies.has(row.displayKey));
      for (const row of listed) {
        try {
          const { cycled: moved } = await registry.editSession({ storeId, ref: row.ref, edit: { kind: 'cycleKey' } });
          assert.ok(moved, 'a cycle names the session under its new key');
          const newKey = (await registry.getSession({ storeId, ref: moved.ref, maskKeys: false })).session?.displayKey;
          assert.ok(newKey, 'the new key holds the session');
          cycled.set(row.displayKey, newKey);
          copies.add(newKey);
        } catch (err) {
          const code = (err as { code?: string }).code;
          assert.ok(code !== undefined && REFUSED.has(code), `a cycle failed other than as a refusal: ${(err as Error).message}`);
          refused++;
        }
      }
    }
    const result = await deleter.finished();
    const deletedByDjango = new Set(result.deleted);
    assert.deepEqual(
      [...cycled.keys()].filter((key) => deletedByDjango.has(key)),
      [],
      'no session Django deleted had been cycled: its data would live on under the new key',
    );
    const left = (await registry.listSessions({ storeId, limit: 10_000, maskKeys: false })).sessions.map((row) => row.displayKey);
    assert.deepEqual(left.filter((key) => !copies.has(key)).sort(), [], 'nothing is left but the copies of cycles that went through');
    assert.ok(cycled.size > 0 && refused > 0, `cycles both went through and were refused (${cycled.size} cycled, ${refused} refused, Django deleted ${result.deleted.length})`);
  } finally {
    await registry.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
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

describe('Cycle Key through the server while Django deletes the session', function () {
  this.timeout(120_000);

  before(function () {
    requireDjango(this);
  });

  it('Redis cache sessions (django-redis)', async function () {
    await requireService(this, REDIS);
    const prefix = runTag();
    const cache = { BACKEND: 'django_redis.cache.RedisCache', LOCATION: `redis://127.0.0.1:6379/${DB_INDEX}`, KEY_PREFIX: prefix };
    try {
      await cycleNeverRevives({ config: { secret_key: SECRET, engine: 'cache', cache }, settings: ['SESSION_ENGINE = "django.contrib.sessions.backends.cache"', `CACHES = {"default": ${JSON.stringify(cache)}}`] });
    } finally {
      await dropRedisPrefix(prefix);
    }
  });

  it('db sessions on PostgreSQL', async function () {
    await requireService(this, POSTGRES);
    const name = `fix6_cycle_${runTag().slice(3).toLowerCase()}`;
    await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    try {
      await cycleNeverRevives({
        config: { secret_key: SECRET, engine: 'db', database: { NAME: name } },
        settings: [`DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1", "PORT": 5432, "USER": "postgres", "NAME": "${name}"}}`],
      });
    } finally {
      await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  });

  it('file sessions', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-server-cycle-files-'));
    try {
      await cycleNeverRevives({ config: { secret_key: SECRET, engine: 'file', file_path: dir }, settings: ['SESSION_ENGINE = "django.contrib.sessions.backends.file"', `SESSION_FILE_PATH = "${dir}"`] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
