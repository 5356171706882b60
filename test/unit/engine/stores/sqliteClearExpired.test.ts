import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Database } from 'sql.js';
import { openStore, parseStoreUrl, type SessionStore } from '../../../../engine/src';
import { nextBatchSize } from '../../../../engine/src/stores/sql/batchSizing';
import { SqlSessionStore } from '../../../../engine/src/stores/sql/sqlSessionStore';
import { NodeSqliteDriver, nodeSqlite } from '../../../../engine/src/stores/sqlite/nodeSqliteDriver';
import { openElsewhereCheck } from '../../../../engine/src/stores/sqlite/openByOthers';
import { SqlJsDriver } from '../../../../engine/src/stores/sqlite/sqlJsDriver';
import { passesInNode22 } from './nodeSqliteRerun';
import { sqliteFromFixture } from './sqliteFixture';
import { TRUSTING_ENV } from './sqlJsTrust';

const ROWS = 3000;
/** Rowids this far apart put the rows over several of the first batch's rowid ranges. */
const ROWID_STEP = 97;

interface Db {
  exec(sql: string): void;
  prepare(sql: string): { run(...p: unknown[]): unknown; get(...p: unknown[]): Record<string, unknown> | undefined };
  close(): void;
}

/** Django's django_session with `ROWS` rows at scattered rowids, every other one expired. */
function sessionsFile(): { file: string; expired: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-clear-'));
  const file = path.join(dir, 'db.sqlite3');
  const db = connect(file);
  db.exec('CREATE TABLE "django_session" ("session_key" varchar(40) NOT NULL PRIMARY KEY, "session_data" text NOT NULL, "expire_date" datetime NOT NULL)');
  db.exec('CREATE INDEX "django_session_expire_date_a5c62663" ON "django_session" ("expire_date")');
  const insert = db.prepare('INSERT INTO django_session (rowid, session_key, session_data, expire_date) VALUES (?, ?, ?, ?)');
  db.exec('BEGIN');
  let expired = 0;
  for (let i = 0; i < ROWS; i++) {
    const past = i % 2 === 0;
    expired += past ? 1 : 0;
    const day = 10 + ((i * 31) % 18);
    insert.run(1 + i * ROWID_STEP, `key${String(i).padStart(29, '0')}`, 'x', `20${past ? '01' : '99'}-01-${day} 00:00:00.${String(i).padStart(6, '0')}`);
  }
  db.exec('COMMIT');
  db.close();
  return { file, expired };
}

function connect(file: string): Db {
  const mod = nodeSqlite()! as unknown as { DatabaseSync: new (f: string) => Db };
  return new mod.DatabaseSync(file);
}

/**
 * Runs `body` with a signal that a real SIGINT aborts, as the CLI's Ctrl-C handler does. `body`
 * gets `press`, which sends the signal: it arrives only when the event loop next polls, so it
 * stops a loop only if that loop gives the event loop a turn.
 */
async function withRealCtrlC<T>(body: (signal: AbortSignal, press: () => void) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);
  try {
    return await body(controller.signal, () => process.kill(process.pid, 'SIGINT'));
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** Continues on the event loop's check phase, so that the next setImmediate comes after a poll (which delivers signals). */
function afterImmediate(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function open(file: string): Promise<SessionStore> {
  return openStore(parseStoreUrl(`sqlite://${file}`, '/', { secretKeys: ['k'.repeat(50)], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }), { sqliteDriver: 'node' });
}

describe('batch sizing for write locks', () => {
  it('aims each batch at 60% of the lock budget, moving at most 4x at a time, within bounds', () => {
    assert.equal(nextBatchSize(1000, 1200, 2000, 10, 1e9), 1000);
    assert.equal(nextBatchSize(1000, 600, 2000, 10, 1e9), 2000);
    assert.equal(nextBatchSize(1000, 0, 2000, 10, 1e9), 4000);
    assert.equal(nextBatchSize(1000, 3600, 2000, 10, 1e9), 333);
    assert.equal(nextBatchSize(1000, 60_000, 2000, 10, 1e9), 250);
    assert.equal(nextBatchSize(1000, 0, 2000, 10, 1500), 1500);
    assert.equal(nextBatchSize(20, 60_000, 2000, 10, 1e9), 10);
  });
});

describe('clearExpired on node:sqlite', function () {
  if (!nodeSqlite()) {
    passesInNode22(__filename);
    return;
  }
  let file: string;
  let expired: number;
  let store: SessionStore;

  beforeEach(async () => {
    ({ file, expired } = sessionsFile());
    store = await open(file);
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('deletes exactly the expired rows, a rowid range at a time, reporting a growing count', async () => {
    const progress: number[] = [];
    assert.equal(await store.clearExpired({ onProgress: (n) => progress.push(n) }), expired);
    assert.ok(progress.length > 1, `several batches (${progress.join(', ')})`);
    assert.deepEqual([...progress].sort((a, b) => a - b), progress);
    assert.equal(progress.at(-1), expired);
    assert.equal(await store.count({ state: 'expired' }), 0);
    assert.equal(await store.count(), ROWS - expired);
  });

  it('also deletes expired rows written above the last range while it ran', async () => {
    const other = connect(file);
    let written = false;
    const deleted = await store.clearExpired({
      onProgress: () => {
        if (!written) {
          other.prepare("INSERT INTO django_session (rowid, session_key, session_data, expire_date) VALUES (?, 'late0000000000000000000000000000', 'x', '2001-01-01 00:00:00')").run(ROWS * ROWID_STEP * 10);
          written = true;
        }
      },
    });
    other.close();
    assert.equal(deleted, expired + 1);
    assert.equal(await store.count({ state: 'expired' }), 0);
  });

  it('stops after the batch in progress when cancelled, and returns the count so far', async () => {
    const cancel = new AbortController();
    let first = -1;
    const deleted = await store.clearExpired({
      signal: cancel.signal,
      onProgress: (n) => {
        first = first < 0 ? n : first;
        cancel.abort();
      },
    });
    assert.equal(deleted, first);
    assert.equal(await store.count({ state: 'expired' }), expired - deleted);
    assert.ok(expired - deleted > 0);
  });

  it('stops between rowid ranges on a real Ctrl-C, though node:sqlite runs each range synchronously', async () => {
    let pressed = false;
    const { deleted, cancelled } = await withRealCtrlC(async (signal, press) => ({
      deleted: await store.clearExpired({
        signal,
        onProgress: () => {
          if (!pressed) {
            pressed = true;
            press();
          }
        },
      }),
      cancelled: signal.aborted,
    }));
    assert.equal(cancelled, true);
    assert.ok(deleted > 0 && deleted < expired, `a part deleted: ${deleted} of ${expired}`);
    assert.equal(await store.count({ state: 'expired' }), expired - deleted);
  });

  it('deletes by the expire_date index alone when rowids are too large for exact JavaScript numbers', async () => {
    const other = connect(file);
    other.prepare("INSERT INTO django_session (rowid, session_key, session_data, expire_date) VALUES (?, 'huge0000000000000000000000000000', 'x', '2001-01-01 00:00:00')").run(2n ** 62n);
    other.close();
    assert.equal(await store.clearExpired(), expired + 1);
    assert.equal(await store.count({ state: 'expired' }), 0);
    assert.equal(await store.count(), ROWS - expired);
  });

  it('has a bigger page cache only while bulk writes run', async () => {
    const driver = NodeSqliteDriver.open(file, nodeSqlite()!);
    const cacheSize = async () => Number((await driver.all('PRAGMA cache_size', []))[0]?.cache_size);
    const before = await cacheSize();
    const during = await driver.bulkWrites(cacheSize);
    assert.ok(during < before, `${during} KiB (negative) is more than ${before}`);
    assert.equal(await cacheSize(), before);
    await driver.close();
  });
});

describe('clearExpired on sql.js', () => {
  const fixtureUrl = (file: string) => parseStoreUrl(`sqlite://${file}`, '/', { secretKeys: ['k'.repeat(50)], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 });
  const openSqlJs = (file: string) => openStore(fixtureUrl(file), { sqliteDriver: 'sqljs', env: TRUSTING_ENV });

  /** What the file holds, read afresh: the count a new process would see. */
  async function expiredOnDisk(file: string): Promise<number> {
    const fresh = await openSqlJs(file);
    try {
      return await fresh.count({ state: 'expired' });
    } finally {
      await fresh.close();
    }
  }

  it('sees a Ctrl-C pressed before its one statement starts, deletes nothing, and does not call it finished', async () => {
    const file = await sqliteFromFixture('sessions.sql');
    const store = await openSqlJs(file);
    try {
      const expired = await store.count({ state: 'expired' });
      assert.ok(expired > 0);
      await afterImmediate();
      let finished = false;
      const { deleted, cancelled } = await withRealCtrlC(async (signal, press) => {
        // Pressed while the signal has not been handled yet: only a turn of the event loop lets it in.
        press();
        return { deleted: await store.clearExpired({ signal, onFinished: () => (finished = true) }), cancelled: signal.aborted };
      });
      assert.equal(cancelled, true);
      assert.equal(finished, false);
      assert.equal(deleted, 0);
      assert.equal(await store.count({ state: 'expired' }), expired);
    } finally {
      await store.close();
    }
  });

  it('reports a cancellation that comes while its one statement runs, or after it, as a finished deletion of every expired row', async () => {
    for (const when of ['during the statement', 'after the statement'] as const) {
      const file = await sqliteFromFixture('sessions.sql');
      const driver = await SqlJsDriver.open(file, openElsewhereCheck(TRUSTING_ENV));
      const store = await SqlSessionStore.open(fixtureUrl(file), driver, file);
      const cancel = new AbortController();
      if (when === 'during the statement') {
        // A trigger on the snapshot in memory runs inside the DELETE, once per deleted row.
        const db = (driver as unknown as { db: Database }).db;
        db.create_function('cancel_now', () => {
          cancel.abort();
          return 1;
        });
        db.exec('CREATE TEMP TRIGGER cancel_mid_delete AFTER DELETE ON django_session BEGIN SELECT cancel_now(); END');
      }
      try {
        const expired = await store.count({ state: 'expired' });
        assert.ok(expired > 0);
        let finished = false;
        const deleted = await store.clearExpired({
          signal: cancel.signal,
          onProgress: () => {
            if (when === 'after the statement') {
              cancel.abort();
            }
          },
          onFinished: () => (finished = true),
        });
        assert.equal(cancel.signal.aborted, true, when);
        assert.equal(deleted, expired, `${when}: the full count`);
        assert.equal(finished, true, `${when}: done, so a caller does not report it cancelled`);
        assert.equal(await expiredOnDisk(file), 0, `${when}: every expired row is gone from the file`);
      } finally {
        await store.close();
      }
    }
  });
});
