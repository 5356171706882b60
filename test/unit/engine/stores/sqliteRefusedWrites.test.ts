import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseStoreUrl, PyDict, StoreError, type SessionStore } from '../../../../engine/src';
import type { SqlParam } from '../../../../engine/src/stores/sql/sqlDriver';
import { SqlSessionStore } from '../../../../engine/src/stores/sql/sqlSessionStore';
import { NodeSqliteDriver, nodeSqlite } from '../../../../engine/src/stores/sqlite/nodeSqliteDriver';
import { ForwardingSqlDriver } from './forwardingSqlDriver';
import { passesInNode22 } from './nodeSqliteRerun';

const EXPIRED = 200_000;

/** Django's django_session with EXPIRED expired rows: several rowid ranges' worth. */
function sessionsFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-refused-'));
  const file = path.join(dir, 'db.sqlite3');
  const db = new (nodeSqlite()!.DatabaseSync)(file);
  db.exec('CREATE TABLE "django_session" ("session_key" varchar(40) NOT NULL PRIMARY KEY, "session_data" text NOT NULL, "expire_date" datetime NOT NULL)');
  db.exec('CREATE INDEX "django_session_expire_date_a5c62663" ON "django_session" ("expire_date")');
  db.exec(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${EXPIRED}) INSERT INTO django_session SELECT printf('k%031d', i), 'x', '2001-01-01 00:00:00' FROM n`,
  );
  db.close();
  return file;
}

/**
 * The store on its own node:sqlite connection, where `pragma` runs once `after` writes have: a
 * PRAGMA that makes SQLite itself refuse the writes after them, as a read-only file or a full
 * disk would (the tests run as root, whom file permissions do not stop).
 */
async function storeRefusingLater(file: string, pragma: string, after: number): Promise<SessionStore> {
  const descriptor = parseStoreUrl(`sqlite://${file}`, '/', { secretKeys: ['k'.repeat(50)], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 });
  let writes = 0;
  const driver = new (class extends ForwardingSqlDriver {
    override async run(sql: string, params: readonly SqlParam[]): Promise<number> {
      if (writes++ === after) {
        await this.real.run(pragma, []);
      }
      return this.real.run(sql, params);
    }
  })(NodeSqliteDriver.open(file, nodeSqlite()!, 50));
  return SqlSessionStore.open(descriptor, driver, file);
}

describe('writes SQLite refuses, on node:sqlite', function () {
  if (!nodeSqlite()) {
    passesInNode22(__filename);
    return;
  }
  let file: string;
  beforeEach(() => (file = sessionsFile()));
  afterEach(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));

  it('a database that turns read-only part way through clearExpired: one line with the fix, and the count deleted before it reported', async () => {
    const store = await storeRefusingLater(file, 'PRAGMA query_only = 1', 2);
    const progress: number[] = [];
    try {
      await assert.rejects(
        store.clearExpired({ onProgress: (n) => progress.push(n) }),
        (err: unknown) => {
          assert.ok(err instanceof StoreError);
          assert.equal(err.code, 'write-refused');
          assert.equal(
            err.message,
            `SQLite may not write ${file} as this user (attempt to write a readonly database). Give this user write access to the file and to its directory, where SQLite writes its journal, as Django's own user has.`,
          );
          return true;
        },
      );
      assert.equal(progress.length, 2);
      assert.equal(await store.count(), EXPIRED - progress.at(-1)!);
    } finally {
      await store.close();
    }
  });

  it('a full disk refuses one change: one line saying nothing was changed', async () => {
    // Lowered to the pages the file has (it cannot go below), so no page is left for the new
    // session's data, random so that signing does not compress it onto a page already there.
    const store = await storeRefusingLater(file, 'PRAGMA max_page_count = 1', 0);
    try {
      await assert.rejects(store.save('n'.repeat(32), new PyDict([['note', randomBytes(50_000).toString('hex')]]), { create: true }), {
        name: 'StoreError',
        code: 'write-refused',
        message: 'The disk holding the database is full (database or disk is full); nothing was changed. Free space on it and retry.',
      });
      assert.equal(await store.get('n'.repeat(32)), undefined);
    } finally {
      await store.close();
    }
  });
});
