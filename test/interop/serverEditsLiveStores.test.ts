import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { ProjectModel } from '../../server/src/projectModel';
import type { SessionEdit } from '../../server/src/protocol';
import { StoreRegistry } from '../../server/src/storeRegistry';
import { tempProject } from '../unit/engine/project/tempProject';
import { startDjangoWriter } from './djangoWriter';
import { pgAdmin, POSTGRES, REDIS, requireService, runTag } from './localServices';
import { requireDjango, runDjangoScript } from './realDjango';

const SECRET = 'server-edits-live-stores-key-0123456789-abcdefghijk';
const SETTINGS = { storeUrl: '', settingsModules: {} };
const DB_INDEX = 8;
const WRITER_SECONDS = 5;
const SHARED = 6;
/** What a refused action may say: Django wrote first; anything else fails the test. */
const REFUSED = new Set(['conflict']);

interface WriterResult {
  last: Record<string, number>;
  saves: number;
  lost: Array<{ key: string; saved: number; loaded: number }>;
}

/** One store: live_writer.py's config for it, and the lines of the project's settings that name it. */
interface LiveStore {
  config: Record<string, unknown>;
  settings: string[];
  /**
   * The file engine's one gap (README, Live data): with no lock on either side, a Django save
   * renamed between our last look and our rename is replaced by our change, which holds the
   * counter just before it.
   */
  replacesRacingSave?: true;
}

/**
 * The Sessions view's Edit Value, Remove Value, Set Expiry and document saves, sent through the
 * server's registry from what it read a moment before, while a real Django saves one more on a
 * counter in the same sessions (live_writer.py, which notes each load that finds another counter
 * than its last save). A stale write of ours that went through would set a counter back: Django
 * must never load one, and each of our actions happens or is refused as a conflict.
 */
async function viewKeepsDjangoWrites(live: LiveStore): Promise<void> {
  const django = <T>(request: object) => runDjangoScript<T>('live_writer.py', [], { config: live.config, ...request });
  const root = tempProject(
    {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
      'proj/__init__.py': '',
      'proj/settings.py': [`SECRET_KEY = "${SECRET}"`, 'USE_TZ = True', 'TIME_ZONE = "UTC"', 'INSTALLED_APPS = ["django.contrib.sessions"]', ...live.settings, ''].join('\n'),
    },
    'djs-server-live-',
  );
  const registry = new StoreRegistry(new ProjectModel(() => [root], () => SETTINGS), () => [root], () => undefined);
  try {
    const seeded = django<{ shared: string[] }>({ seed: { shared: SHARED, expired: 0 } });
    const [store] = await registry.listStores(SETTINGS, true);
    assert.ok(store, 'the project names its store');
    const storeId = store.id;
    const writer = await startDjangoWriter<WriterResult>('live_writer.py', [], { config: live.config, seconds: WRITER_SECONDS, shared: seeded.shared });
    const outcomes = { done: 0, refused: 0 };
    const attempt = async (action: () => Promise<unknown>) => {
      try {
        await action();
        outcomes.done++;
      } catch (err) {
        const code = (err as { code?: string }).code;
        assert.ok(code !== undefined && REFUSED.has(code), `an action failed other than as a conflict: ${(err as Error).message}`);
        outcomes.refused++;
      }
    };
    const started = Date.now();
    for (let round = 0; Date.now() - started < (WRITER_SECONDS - 2) * 1000; round++) {
      const listed = (await registry.listSessions({ storeId, limit: 1000, maskKeys: true })).sessions;
      for (const row of listed) {
        const session = { storeId, ref: row.ref };
        const shown = (await registry.getSession({ ...session, maskKeys: true })).session;
        const counter = shown?.data.find((node) => node.key === 'django_counter')?.json;
        if (!shown || counter === undefined) {
          continue;
        }
        const ours = shown.data.find((node) => node.key === 'ours')?.json;
        await new Promise((resolve) => setTimeout(resolve, 20));
        const edits: SessionEdit[] = [
          // Writing back the counter as shown loses Django's saves since, unless refused.
          { kind: 'setValue', key: 'django_counter', json: counter, expected: counter },
          { kind: 'setValue', key: 'ours', json: String(round), ...(ours === undefined ? {} : { expected: ours }) },
          { kind: 'deleteValue', key: 'ours', expected: String(round) },
          { kind: 'setExpiry', expiry: { kind: 'seconds', seconds: 3600 + round } },
        ];
        for (const edit of edits) {
          await attempt(() => registry.editSession({ ...session, edit }));
        }
        const document = (await registry.sessionDocument({ ...session, maskKeys: true }, SETTINGS)).text;
        if (document === undefined) {
          continue;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
        const header = document.split('\n').filter((line) => line.startsWith('//'));
        const body = document.split('\n').filter((line) => !line.startsWith('//')).join('\n');
        const edited = (n: number) => [...header, body.replace(/^\{/, `{\n  "ours": ${n},`)].join('\n');
        // Saved twice at once, then again from the same text, as an editor that has not reloaded would.
        await Promise.all([attempt(() => registry.saveSessionDocument({ ...session, text: edited(round * 10 + 1) }, SETTINGS)), attempt(() => registry.saveSessionDocument({ ...session, text: edited(round * 10 + 2) }, SETTINGS))]);
        await attempt(() => registry.saveSessionDocument({ ...session, text: edited(round * 10 + 3) }, SETTINGS));
      }
    }
    const result = await writer.finished();
    const replacedByGap = (saved: number, found: number) => live.replacesRacingSave === true && found === saved - 1;
    assert.deepEqual(
      result.lost.filter((l) => !replacedByGap(l.saved, l.loaded)),
      [], 'Django loaded each shared session with the counter it last saved there');
    assert.ok(result.saves >= SHARED && outcomes.done > 0 && outcomes.refused > 0, `both sides wrote, and some of ours were refused (Django ${result.saves} saves; ours ${outcomes.done} done, ${outcomes.refused} refused)`);
    const loaded = django<Array<{ key: string; exists: boolean; django_counter: number | null }>>({ load: seeded.shared });
    for (const session of loaded) {
      assert.ok(session.exists, 'Django still loads the session');
      const saved = result.last[session.key] ?? 0;
      assert.ok(session.django_counter === saved || replacedByGap(saved, session.django_counter ?? 0), `Django loads the last counter it saved (${saved}, found ${session.django_counter})`);
    }
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

/** A PostgreSQL database of its own for `body`, dropped after. */
async function withPgDatabase(body: (name: string) => Promise<void>): Promise<void> {
  const name = `fix6_live_${runTag().slice(3).toLowerCase()}`;
  await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  try {
    await body(name);
  } finally {
    await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

const pgSetting = (name: string) => `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1", "PORT": 5432, "USER": "postgres", "NAME": "${name}"}}`;
const redisCache = (prefix: string) => ({ BACKEND: 'django_redis.cache.RedisCache', LOCATION: `redis://127.0.0.1:6379/${DB_INDEX}`, KEY_PREFIX: prefix });

describe('server actions from stale reads racing a live Django', function () {
  this.timeout(120_000);

  before(function () {
    requireDjango(this);
  });

  it('Redis cache sessions (django-redis)', async function () {
    await requireService(this, REDIS);
    const prefix = runTag();
    try {
      await viewKeepsDjangoWrites({
        config: { secret_key: SECRET, engine: 'cache', cache: redisCache(prefix) },
        settings: ['SESSION_ENGINE = "django.contrib.sessions.backends.cache"', `CACHES = {"default": ${JSON.stringify(redisCache(prefix))}}`],
      });
    } finally {
      await dropRedisPrefix(prefix);
    }
  });

  it('db sessions on PostgreSQL', async function () {
    await requireService(this, POSTGRES);
    await withPgDatabase((name) => viewKeepsDjangoWrites({ config: { secret_key: SECRET, engine: 'db', database: { NAME: name } }, settings: [pgSetting(name)] }));
  });

  it('cached_db sessions on PostgreSQL and Redis', async function () {
    await requireService(this, REDIS);
    await requireService(this, POSTGRES);
    await withPgDatabase(async (name) => {
      try {
        await viewKeepsDjangoWrites({
          config: { secret_key: SECRET, engine: 'cached_db', cache: redisCache(name), database: { NAME: name } },
          settings: ['SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"', pgSetting(name), `CACHES = {"default": ${JSON.stringify(redisCache(name))}}`],
        });
      } finally {
        await dropRedisPrefix(name);
      }
    });
  });

  it('file sessions', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-server-live-files-'));
    try {
      await viewKeepsDjangoWrites({ config: { secret_key: SECRET, engine: 'file', file_path: dir }, settings: ['SESSION_ENGINE = "django.contrib.sessions.backends.file"', `SESSION_FILE_PATH = "${dir}"`], replacesRacingSave: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
