import * as assert from 'node:assert/strict';
import { parseStoreUrl, PyDict, StoreError } from '../../../../../engine/src';
import { CacheSessionStore } from '../../../../../engine/src/stores/cache/cacheSessionStore';
import { cacheSettingsOf } from '../../../../../engine/src/stores/cache/cacheSettings';
import { CachedDbSessionStore } from '../../../../../engine/src/stores/cachedDb/cachedDbSessionStore';
import type { SqlParam, SqlRow } from '../../../../../engine/src/stores/sql/sqlDriver';
import { ForwardingSqlDriver } from '../forwardingSqlDriver';
import { SqlSessionStore } from '../../../../../engine/src/stores/sql/sqlSessionStore';
import { openElsewhereCheck } from '../../../../../engine/src/stores/sqlite/openByOthers';
import { SqlJsDriver } from '../../../../../engine/src/stores/sqlite/sqlJsDriver';
import { sqliteFromFixture } from '../sqliteFixture';
import { TRUSTING_ENV } from '../sqlJsTrust';
import { cacheDescriptor } from './cacheDescriptor';
import { MemoryCache } from './memoryCache';

const K = 'k'.repeat(50);
const KEY = 'plainjson00000000000000000000001';
const ROW_READ = /^SELECT .* WHERE session_key = \?$/;

/** A real SQLite driver that logs each statement, and can run another writer's statement just before our next write. */
class LoggingDriver extends ForwardingSqlDriver {
  readonly log: Array<{ kind: 'all' | 'run'; sql: string }> = [];
  beforeNextWrite?: () => Promise<unknown>;

  override all(sql: string, params: readonly SqlParam[]): Promise<SqlRow[]> {
    this.log.push({ kind: 'all', sql });
    return this.real.all(sql, params);
  }
  override async run(sql: string, params: readonly SqlParam[]): Promise<number> {
    const other = this.beforeNextWrite;
    this.beforeNextWrite = undefined;
    await other?.();
    this.log.push({ kind: 'run', sql });
    return this.real.run(sql, params);
  }

  /** The row reads logged before the first write since the log was last cleared. */
  rowReadsBeforeWrite(): number {
    const firstWrite = this.log.findIndex((e) => e.kind === 'run');
    return this.log.slice(0, firstWrite < 0 ? undefined : firstWrite).filter((e) => e.kind === 'all' && ROW_READ.test(e.sql)).length;
  }
}

/** A cached_db store on a real SQLite file (sql.js) with an in-memory cache. */
async function open(): Promise<{ store: CachedDbSessionStore; driver: LoggingDriver; cache: MemoryCache; cacheKey: string; cacheKeyOf: (sessionKey: string) => string; file: string }> {
  const file = await sqliteFromFixture('sessions.sql');
  const db = parseStoreUrl(`sqlite://${file}`, '/', { secretKeys: [K], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 });
  const descriptor = cacheDescriptor('redis://h?client=django-redis', 'cached_db', { database: db.database, secretKeys: db.secretKeys });
  const driver = new LoggingDriver(await SqlJsDriver.open(file, openElsewhereCheck(TRUSTING_ENV)));
  const cache = new MemoryCache();
  const view = new CacheSessionStore(descriptor, cacheSettingsOf(descriptor), cache);
  const store = new CachedDbSessionStore(descriptor, await SqlSessionStore.open({ ...descriptor, engine: 'db' }, driver, file), view, 10);
  return { store, driver, cache, cacheKey: view.keys.cacheKey(KEY), cacheKeyOf: (k) => view.keys.cacheKey(k), file };
}

const edits: Array<[string, (s: CachedDbSessionStore) => Promise<{ key: string }>]> = [
  ['update', (s) => s.update(KEY, (d) => d.set('b', 2n))],
  ['clear', (s) => s.clear(KEY)],
  ['setExpiry', (s) => s.setExpiry(KEY, { kind: 'seconds', seconds: 60 })],
  ['cycleKey', (s) => s.cycleKey(KEY)],
];

describe('cached_db edits read the row once', () => {
  it('reads the row once before writing it (every edit), and the write lands with the cache entry gone', async () => {
    for (const [name, edit] of edits) {
      const { store, driver, cache, cacheKey } = await open();
      try {
        cache.values.set(cacheKey, { bytes: new Uint8Array([1]) });
        driver.log.length = 0;
        const written = await edit(store);
        assert.equal(driver.rowReadsBeforeWrite(), 1, `${name}: ${driver.log.map((e) => e.sql).join(' | ')}`);
        assert.equal(cache.values.has(cacheKey), false, `${name}: the cache entry is gone`);
        assert.ok((await store.get(written.key))?.decoded.ok, `${name}: the written row reads back`);
      } finally {
        await store.close();
      }
    }
  });

  it('still refuses, as a conflict, a write that lands in the row after that one read', async () => {
    const { store, driver, file } = await open();
    try {
      driver.beforeNextWrite = () => driver.run(`UPDATE django_session SET session_data = 'e30:1r31eq:mxsqktGezvWYK0Di-uP2g9iwv86zUZom0PisE84KEXc' WHERE session_key = ?`, [KEY]);
      await assert.rejects(
        store.update(KEY, (d) => d.set('b', 2n)),
        (e: unknown) => e instanceof StoreError && e.code === 'conflict',
      );
      const fresh = await SqlJsDriver.open(file, openElsewhereCheck(TRUSTING_ENV));
      assert.equal((await fresh.all('SELECT session_data AS d FROM django_session WHERE session_key = ?', [KEY]))[0]?.d, 'e30:1r31eq:mxsqktGezvWYK0Di-uP2g9iwv86zUZom0PisE84KEXc', 'the other write is kept');
      await fresh.close();
    } finally {
      await store.close();
    }
  });

  it('refuses an orphan (an entry without a row) from that one read, leaving the entry', async () => {
    const { store, driver, cache, cacheKeyOf } = await open();
    const orphan = 'orphan00000000000000000000000009';
    const orphanKey = cacheKeyOf(orphan);
    try {
      cache.values.set(orphanKey, { bytes: new Uint8Array([1]) });
      driver.log.length = 0;
      await assert.rejects(
        store.save(orphan, new PyDict(), { expectedRaw: 'x' }),
        (e: unknown) => e instanceof StoreError && e.code === 'write-refused',
      );
      await assert.rejects(
        store.update(orphan, () => undefined),
        (e: unknown) => e instanceof StoreError && e.code === 'write-refused',
      );
      assert.equal(driver.log.filter((e) => ROW_READ.test(e.sql)).length, 2, 'one read per edit');
      assert.equal(cache.values.has(orphanKey), true);
    } finally {
      await store.close();
    }
  });
});
