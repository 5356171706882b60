import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStore, parseStoreUrl, StoreError, type SqliteDriverChoice } from '../../engine/src';
import { nodeSqlite } from '../../engine/src/stores/sqlite/nodeSqliteDriver';
import { passesInNode22 } from './node22Rerun';
import { startDjangoWriter } from './djangoWriter';
import { PYTHON, requireDjango, runDjangoScript } from './realDjango';

const SECRET = 'stores-safety-secret-key-0123456789-abcdefghijklmnopq';
const WRITER_SECONDS = 4;
const REPORTED = new Set(['conflict', 'busy', 'write-refused']);

interface WriterResult {
  created: string[];
  last: Record<string, number>;
  errors: string[];
}

function djangoOps<T extends unknown[]>(file: string, ops: object[]): T {
  const config = { engine: 'db', database: { ENGINE: 'django.db.backends.sqlite3', NAME: file }, secret: SECRET, use_tz: true, time_zone: 'UTC' };
  return runDjangoScript<T>('stores_django.py', [JSON.stringify(config)], ops);
}

/**
 * A real Django process writes sessions in a loop while we clear expired sessions and edit the
 * sessions it is also editing. Afterwards: every write Django saved is there, the file passes
 * integrity_check, and each of our writes either happened or was reported.
 */
function safety(driver: SqliteDriverChoice, wal: boolean): void {
  it(`keeps every Django write (${wal ? 'WAL' : 'rollback journal'}, ${driver === 'node' ? 'node:sqlite' : 'sql.js'})`, async function () {
    requireDjango(this);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-safety-'));
    try {
      const file = path.join(dir, 'db.sqlite3');
      if (wal) {
        spawnSync(PYTHON, ['-c', 'import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA journal_mode=wal")', file]);
      }
      const [, expired, shared] = djangoOps<[null, Array<{ key: string }>, Array<{ key: string }>]>(file, [
        { op: 'migrate' },
        { op: 'create', specs: Array.from({ length: 200 }, (_, i) => ({ data: `{"old":${i}}`, expiry: -3600 })) },
        { op: 'create', specs: Array.from({ length: 8 }, (_, i) => ({ data: `{"shared":${i}}`, expiry: null })) },
      ]);
      const sharedKeys = shared.map((s) => s.key);
      const writer = await startDjangoWriter<WriterResult>('stores_writer.py', [file, SECRET, String(WRITER_SECONDS), JSON.stringify(sharedKeys)]);

      const descriptor = parseStoreUrl(`sqlite://${file}`, '/', { secretKeys: [SECRET], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 });
      let attempts = 0;
      let done = 0;
      let reported = 0;
      let cleared = 0;
      let refusedReads = 0;
      const started = Date.now();
      for (let round = 0; Date.now() - started < (WRITER_SECONDS - 1) * 1000; round++) {
        // A snapshot that kept changing under a busy writer is refused, not read half-written: that is a reported refusal too.
        const store = await openStore(descriptor, { sqliteDriver: driver }).catch((err: unknown) => {
          if (err instanceof StoreError && err.code === 'busy') {
            refusedReads++;
            return undefined;
          }
          throw err;
        });
        if (!store) {
          continue;
        }
        try {
          const ops: Array<() => Promise<unknown>> = [
            async () => (cleared += await store.clearExpired()),
            ...sharedKeys.map((key) => () => store.update(key, (d) => void d.set('ours', BigInt(round)))),
          ];
          for (const op of ops) {
            attempts++;
            try {
              await op();
              done++;
            } catch (err) {
              if (!(err instanceof StoreError && REPORTED.has(err.code))) {
                throw err;
              }
              assert.match(err.message, /./);
              reported++;
            }
          }
          await store.list({ limit: 20 }).catch((err: unknown) => {
            if (!(err instanceof StoreError && err.code === 'busy')) {
              throw err;
            }
            refusedReads++;
          });
        } finally {
          await store.close();
        }
      }
      const result = await writer.finished();
      assert.equal(attempts, done + reported, 'every write either happened or was reported');
      assert.ok(attempts > 0 && refusedReads < attempts, `the store was read often enough to test writes (${refusedReads} reads refused)`);
      assert.ok(result.created.length > 0, 'Django wrote during the test');

      const integrity = spawnSync(PYTHON, ['-c', 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])', file], { encoding: 'utf8' });
      assert.equal(integrity.stdout.trim(), 'ok');
      const [keys, loaded] = djangoOps<[string[], Array<{ key: string; json: string }>]>(file, [{ op: 'keys' }, { op: 'load', keys: sharedKeys }]);
      const present = new Set(keys);
      const lost = result.created.filter((k) => !present.has(k));
      assert.equal(lost.length, 0, `${lost.length} sessions Django created are gone`);
      for (const s of loaded) {
        assert.equal(JSON.parse(s.json).django_counter ?? 0, result.last[s.key] ?? 0, 'the last counter Django saved is what is stored');
      }
      assert.ok(cleared === 0 || cleared === expired.length);
      if (driver === 'node') {
        assert.ok(done > 0, 'node:sqlite writes go through alongside Django');
        assert.equal(cleared, expired.length);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

describe('safety: a live Django writing SQLite while we clear and edit', function () {
  this.timeout(120_000);
  safety('sqljs', false);
  safety('sqljs', true);

  describe('on node:sqlite', function () {
    if (nodeSqlite()) {
      safety('node', false);
      safety('node', true);
      return;
    }
    passesInNode22(__filename, 'safety', /2 passing/);
  });
});
