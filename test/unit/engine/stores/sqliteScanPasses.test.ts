import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { encodeSessionData, parseSessionJson } from '../../../../engine/src/codec';
import { openStore, parseStoreUrl, type SessionFilter, type SessionStore } from '../../../../engine/src';
import { TRUSTING_ENV } from './sqlJsTrust';

const K = 'k'.repeat(50);
/** Several of the engine's 1000-row scan pages. */
const ROWS = 4500;
/** Users 0..USERS-1 in turn, so each page holds a few sessions of each (sql.js writes the whole file per deletion). */
const USERS = 50;

/**
 * Django's django_session with `rows` signed sessions, for users 0..USERS-1 in turn; every fifth
 * is expired and every seventh has a `cart`. Keys are not in expiry order, so `list`'s order and
 * the scan's primary-key order differ.
 */
async function sessionsFile(rows = ROWS): Promise<string> {
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const db = new SQL.Database();
  db.exec('CREATE TABLE "django_session" ("session_key" varchar(40) NOT NULL PRIMARY KEY, "session_data" text NOT NULL, "expire_date" datetime NOT NULL)');
  db.exec('CREATE INDEX "django_session_expire_date_a5c62663" ON "django_session" ("expire_date")');
  const insert = db.prepare('INSERT INTO django_session VALUES (?, ?, ?)');
  db.exec('BEGIN');
  for (let i = 0; i < rows; i++) {
    const data = parseSessionJson(JSON.stringify({ _auth_user_id: String(i % USERS), ...(i % 7 === 0 ? { cart: [i] } : {}) }));
    const year = i % 5 === 0 ? '2001' : '2099';
    insert.run([`key${String((i * 7919) % rows).padStart(29, '0')}`, encodeSessionData(data, { secretKeys: [K] }), `${year}-01-${10 + (i % 18)} 00:00:00.${String(i).padStart(6, '0')}`]);
  }
  db.exec('COMMIT');
  insert.free();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-scan-'));
  const file = path.join(dir, 'db.sqlite3');
  fs.writeFileSync(file, db.export());
  db.close();
  return file;
}

/** Counts what `list` returns for `filter`, page by page. */
async function listed(store: SessionStore, filter: SessionFilter): Promise<number> {
  let total = 0;
  let cursor: string | undefined;
  do {
    const page = await store.list({ limit: 700, cursor, filter });
    total += page.sessions.length;
    cursor = page.nextCursor;
  } while (cursor);
  return total;
}

describe('whole-store scans on SQLite: deleteByUser and count', function () {
  this.timeout(60_000);
  let file: string;
  let store: SessionStore;
  beforeEach(async () => {
    file = await sessionsFile();
    store = await openStore(parseStoreUrl(`sqlite://${file}`, '/', { secretKeys: [K], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }), { sqliteDriver: 'sqljs', env: TRUSTING_ENV });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('deleteByUser stops between pages on a real Ctrl-C, though SQLite runs each page synchronously', async () => {
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.on('SIGINT', onSigint);
    let pressed = false;
    let deleted: number;
    try {
      deleted = await store.deleteByUser('1', {
        signal: controller.signal,
        onProgress: () => {
          if (!pressed) {
            pressed = true;
            process.kill(process.pid, 'SIGINT');
          }
        },
      });
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
    const ofUser = ROWS / USERS;
    assert.equal(controller.signal.aborted, true);
    assert.ok(deleted > 0 && deleted < ofUser, `a part deleted: ${deleted} of ${ofUser}`);
    assert.equal(await store.count({ userId: '1' }), ofUser - deleted);
  });

  it('deleteByUser stops when a timer aborts it, which needs the scan to give the event loop a turn', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 0);
    const deleted = await store.deleteByUser('2', { signal: controller.signal });
    assert.ok(deleted < ROWS / USERS, `cancelled part way: ${deleted}`);
  });

  it('deleteByUser calls onFinished for a cancellation after the last page was checked, never for one that stopped it part way', async () => {
    const ofUser = ROWS / USERS;
    const early = new AbortController();
    let earlyFinished = false;
    const part = await store.deleteByUser('3', { signal: early.signal, onProgress: () => early.abort(), onFinished: () => (earlyFinished = true) });
    assert.ok(part < ofUser, `stopped part way: ${part} of ${ofUser}`);
    assert.equal(earlyFinished, false);

    const late = new AbortController();
    let lateFinished = false;
    const left = await store.count();
    const whole = await store.deleteByUser('4', {
      signal: late.signal,
      onProgress: (n) => {
        if (n === left) {
          late.abort();
        }
      },
      onFinished: () => (lateFinished = true),
    });
    assert.equal(late.signal.aborted, true);
    assert.equal(whole, ofUser);
    assert.equal(lateFinished, true, 'every session was checked, so nothing was cancelled');
    assert.equal(await store.count({ userId: '4' }), 0);
  });

  it('deleteByUser calls onFinished for a cancellation after a last page that was full, though the scan had not yet seen that no row followed', async () => {
    const rows = 2000;
    const full = await sessionsFile(rows);
    const fullStore = await openStore(parseStoreUrl(`sqlite://${full}`, '/', { secretKeys: [K], useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }), { sqliteDriver: 'sqljs', env: TRUSTING_ENV });
    try {
      const cancel = new AbortController();
      let finished = false;
      const deleted = await fullStore.deleteByUser('5', {
        signal: cancel.signal,
        onProgress: (n) => {
          if (n === rows) {
            cancel.abort();
          }
        },
        onFinished: () => (finished = true),
      });
      assert.equal(deleted, rows / USERS);
      assert.equal(finished, true);
    } finally {
      await fullStore.close();
      fs.rmSync(path.dirname(full), { recursive: true, force: true });
    }
  });

  it('count with a decoding filter counts what list lists, reading each session once with progress', async () => {
    const filters: SessionFilter[] = [{ userId: '1' }, { hasKey: 'cart' }, { text: "'cart'", state: 'active' }, { userId: '0', state: 'expired' }, { userId: 'nobody' }];
    for (const filter of filters) {
      const progress: number[] = [];
      const counted = await store.count(filter, { onProgress: (n) => progress.push(n) });
      assert.equal(counted, await listed(store, filter), JSON.stringify(filter));
      assert.equal(progress.at(-1), ROWS, 'every session read once');
      assert.ok(progress.length > 1, 'one report per page');
    }
    assert.equal(await store.count({ userId: '1' }), ROWS / USERS);
  });
});
