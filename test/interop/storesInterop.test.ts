import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  decodeSignedCookie,
  openStore,
  parseStoreUrl,
  PyDict,
  pythonJsonParse,
  pythonJsonStringify,
  signSessionCookie,
  StoreError,
  type SessionRecord,
  type SessionStore,
  type SqliteDriverChoice,
  type StoreDescriptor,
} from '../../engine/src';
import { nodeSqlite } from '../../engine/src/stores/sqlite/nodeSqliteDriver';
import { requireDjango, requireDjango52, runDjangoScript } from './realDjango';
import { MARIADB, mysqlAdmin, pgAdmin, POSTGRES, requireService, runTag } from './localServices';
import { passesInNode22 } from './node22Rerun';
import { TRUSTING_ENV } from '../unit/engine/stores/sqlJsTrust';

const SECRET = 'stores-interop-secret-key-0123456789-abcdefghijklmnop';
const AGE = 1209600;
const SESSIONS = 60;

interface DjangoConfig {
  engine: 'db' | 'file' | 'signed_cookies';
  database?: Record<string, unknown>;
  file_path?: string;
  secret: string;
  use_tz: boolean;
  time_zone: string;
}

interface Created {
  key: string;
  json: string;
  expire_ts: number;
}

interface Loaded {
  key: string;
  exists: boolean;
  json: string | null;
}

/** One store under test: how we open it, how Django is configured for it, and a copy for clearsessions. */
interface Backend {
  descriptor: StoreDescriptor;
  django: DjangoConfig;
  sqliteDriver?: SqliteDriverChoice;
  /** The Django to run (on PYTHONPATH): undefined for the machine's 3.2. */
  djangoPath?: string;
  /** A second store holding the same rows, for Django's clearsessions to work on. */
  copy(): Promise<{ descriptor: StoreDescriptor; django: DjangoConfig }>;
  drop(): Promise<void>;
}

function django<T extends unknown[]>(config: DjangoConfig, ops: object[], djangoPath?: string): T {
  return runDjangoScript<T>('stores_django.py', [JSON.stringify(config)], ops, djangoPath);
}

function descriptorFor(url: string, config: DjangoConfig): StoreDescriptor {
  return parseStoreUrl(url, '/', { secretKeys: [config.secret], useTz: config.use_tz, timeZone: config.time_zone, cookieAgeSeconds: AGE });
}

/** Sessions of every shape: default, custom and browser-close expiry, expired, logged-in users. */
function specs(): Array<{ data: string; expiry: number | null }> {
  return Array.from({ length: SESSIONS }, (_, i) => {
    const kind = i % 6;
    const data = kind === 3 ? { _auth_user_id: '42', n: i } : kind === 5 ? { _auth_user_id: '7', n: i } : { n: i, cart: [1, 2.5, 'Zoë'], big: 12345678901234567890n };
    const text = JSON.stringify(data, (_, v) => (typeof v === 'bigint' ? `@@${v}` : v)).replace(/"@@(\d+)"/g, '$1');
    return { data: text, expiry: kind === 1 ? 3600 : kind === 2 ? -3600 : kind === 4 ? 0 : null };
  });
}

async function listAll(store: SessionStore): Promise<SessionRecord[]> {
  const all: SessionRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ limit: 7, cursor });
    all.push(...page.sessions);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

function jsonOf(record: SessionRecord | undefined): string {
  assert.ok(record?.decoded.ok, `decodes: ${record && !record.decoded.ok ? record.decoded.message : 'missing'}`);
  return pythonJsonStringify(record.decoded.session.data);
}

/** Makes a store for the Django on `djangoPath` (undefined: the machine's 3.2), for Django to create sessions in. */
type BackendMaker = (suite: Mocha.Context, djangoPath: string | undefined) => Promise<Backend>;

/**
 * Both directions against real Django (3.2, or 5.2 from .cache/django52), then clearExpired
 * against clearsessions on a copy.
 */
function interop(title: string, make: BackendMaker, { toleranceMs = 1000, version = '3.2' }: { toleranceMs?: number; version?: '3.2' | '5.2' } = {}): void {
  describe(title, function () {
    let backend: Backend;
    let created: Created[];
    let store: SessionStore;
    const djangoOf = <T extends unknown[]>(config: DjangoConfig, ops: object[]): T => django<T>(config, ops, backend.djangoPath);

    before(async function () {
      requireDjango(this);
      const djangoPath = version === '5.2' ? requireDjango52(this) : undefined;
      backend = { ...(await make(this, djangoPath)), djangoPath };
      let ran: string;
      [ran, , created] = djangoOf<[string, null, Created[]]>(backend.django, [{ op: 'version' }, { op: 'migrate' }, { op: 'create', specs: specs() }]);
      assert.ok(ran.startsWith(`${version}.`), `Django ${version} ran, not ${ran}`);
      store = await openStore(backend.descriptor, { sqliteDriver: backend.sqliteDriver, env: TRUSTING_ENV });
    });

    after(async () => {
      await store?.close();
      await backend?.drop();
    });

    it('lists, counts and reads every session Django created, with its expiry', async () => {
      assert.equal(await store.count(), SESSIONS);
      assert.equal(await store.count({ state: 'expired' }), SESSIONS / 6);
      const listed = new Map((await listAll(store)).map((r) => [r.key, r]));
      assert.equal(listed.size, SESSIONS);
      for (const row of created) {
        const record = listed.get(row.key);
        assert.equal(jsonOf(record), row.json);
        assert.equal(record!.decoded.ok && record!.decoded.session.signature, 'valid');
        assert.ok(Math.abs(record!.expireDate!.getTime() - row.expire_ts * 1000) <= toleranceMs, `expiry ${record!.expireDate!.toISOString()} vs ${new Date(row.expire_ts * 1000).toISOString()}`);
      }
      if (backend.django.engine === 'db') {
        const [stored] = djangoOf<[Record<string, number>]>(backend.django, [{ op: 'expire_dates', keys: created.map((c) => c.key) }]);
        for (const row of created) {
          assert.equal(listed.get(row.key)!.expireDate!.getTime(), Math.floor(stored[row.key]! * 1000 + 1e-6), 'expire_date as stored');
        }
      }
      const ascending: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list({ limit: 9, cursor, order: 'asc' });
        ascending.push(...page.sessions.map((s) => s.key));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual([...ascending].sort(), [...listed.keys()].sort(), 'oldest-first paging sees every session once');
      const user = await store.list({ limit: 100, filter: { userId: '7' } });
      assert.equal(user.sessions.length, SESSIONS / 6);
    });

    it('reports corrupt and foreign sessions one by one, and keeps listing', async () => {
      const corrupt = 'corruptrow000000000000000000000a';
      const foreign = 'foreignrow000000000000000000000b';
      const foreignData = 'eyJmb28iOiJiYXIifQ:1r31eq:zqTfX9Rg8Lj5l0PzO68tJWUYmfMp1ARrmNG9GP7lFKo';
      if (backend.django.engine === 'db') {
        djangoOf(backend.django, [
          { op: 'raw_insert', key: corrupt, data: 'definitely not session data' },
          { op: 'raw_insert', key: foreign, data: foreignData },
        ]);
      } else {
        fs.writeFileSync(path.join(backend.django.file_path!, `sessionid${corrupt}`), 'definitely not session data');
        fs.writeFileSync(path.join(backend.django.file_path!, `sessionid${foreign}`), foreignData);
      }
      await store.close();
      store = await openStore(backend.descriptor, { sqliteDriver: backend.sqliteDriver, env: TRUSTING_ENV });
      const listed = new Map((await listAll(store)).map((r) => [r.key, r]));
      assert.equal(listed.size, SESSIONS + 2);
      const bad = listed.get(corrupt)!;
      assert.ok(!bad.decoded.ok && bad.decoded.message.length > 0);
      const other = listed.get(foreign)!;
      assert.ok(other.decoded.ok && other.decoded.session.signature === 'invalid');
      await assert.rejects(store.clear(corrupt), (e: unknown) => e instanceof StoreError && e.code === 'undecodable');
      assert.equal(await store.delete(corrupt), true);
      assert.equal(await store.delete(foreign), true);
    });

    it('changes sessions so that Django then sees exactly that', async () => {
      const key = (i: number) => created[i]!.key;
      await store.update(key(0), (d) => void d.set('ours', pythonJsonParse('[1,"x",2.0]')));
      const extended = await store.setExpiry(key(1), { kind: 'seconds', seconds: 7200 });
      if (backend.django.engine === 'db') {
        const [stored] = djangoOf<[Record<string, number>]>(backend.django, [{ op: 'expire_dates', keys: [key(1)] }]);
        assert.ok(Math.abs(stored[key(1)]! * 1000 - extended.expireDate!.getTime()) < 1000, 'Django reads the expire_date we wrote as the same moment');
      }
      await store.clear(key(6));
      await store.update(key(7), (d) => void d.delete('n'));
      assert.equal(await store.delete(key(12)), true);
      await store.setExpiry(key(18), { kind: 'now' });
      const cycled = await store.cycleKey(key(24));
      assert.equal(await store.deleteByUser('42'), SESSIONS / 6);

      const seen = new Map(
        djangoOf<[Loaded[]]>(backend.django, [{ op: 'load', keys: [key(0), key(1), key(6), key(7), key(12), key(18), key(24), cycled.key, ...created.filter((_, i) => i % 6 === 3).map((c) => c.key)] }])[0].map((l) => [l.key, l]),
      );
      assert.deepEqual(JSON.parse(seen.get(key(0))!.json!).ours, [1, 'x', 2.0]);
      assert.equal(JSON.parse(seen.get(key(1))!.json!)._session_expiry, 7200);
      assert.equal(seen.get(key(6))!.json, '{}');
      assert.equal(JSON.parse(seen.get(key(7))!.json!).n, undefined);
      assert.equal(seen.get(key(12))!.exists, false, 'a flushed session is gone for Django');
      assert.equal(seen.get(key(18))!.exists, false, 'an expired session does not load');
      assert.equal(seen.get(key(24))!.exists, false, 'the old key of a cycled session is gone');
      assert.equal(seen.get(cycled.key)!.json, created[24]!.json);
      for (const c of created.filter((_, i) => i % 6 === 3)) {
        assert.equal(seen.get(c.key)!.exists, false, 'logged out everywhere');
      }
    });

    it('refuses to overwrite a session Django changed after we read it', async () => {
      const key = created[30]!.key;
      const read = await store.get(key);
      const [saved] = djangoOf<[boolean]>(backend.django, [{ op: 'update', key, set: { django: 1 } }]);
      assert.equal(saved, true);
      const mine = new PyDict([['ours', 1n]]);
      await assert.rejects(store.save(key, mine, { expectedRaw: read!.raw }), (e: unknown) => e instanceof StoreError && (e.code === 'conflict' || e.code === 'write-refused'));
      const [[after]] = djangoOf<[Loaded[]]>(backend.django, [{ op: 'load', keys: [key] }]);
      assert.equal(JSON.parse(after!.json!).django, 1);
      assert.equal(JSON.parse(after!.json!).ours, undefined);
    });

    it('clears expired sessions exactly as clearsessions does on a copy', async () => {
      await store.close();
      store = await openStore(backend.descriptor, { sqliteDriver: backend.sqliteDriver, env: TRUSTING_ENV });
      if (backend.django.engine === 'file') {
        // An empty session file, long untouched: Django's load() never expires it, so clearsessions keeps it.
        const empty = path.join(backend.django.file_path!, 'sessionidemptyfile00000000000000000a');
        fs.writeFileSync(empty, '');
        const past = Date.now() / 1000 - AGE - 3600;
        fs.utimesSync(empty, past, past);
      }
      const copy = await backend.copy();
      const [, djangoKeys] = djangoOf<[null, string[]]>(copy.django, [{ op: 'clearsessions' }, { op: 'keys' }]);
      const before = await store.count();
      const deleted = await store.clearExpired();
      const [ourKeys] = djangoOf<[string[]]>(backend.django, [{ op: 'keys' }]);
      assert.ok(deleted > 0);
      assert.equal(before - deleted, ourKeys.length);
      assert.deepEqual(ourKeys, djangoKeys);
      if (backend.django.engine === 'file') {
        assert.ok(ourKeys.includes('emptyfile00000000000000000a'));
      }
    });
  });
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'djs-stores-'));
}

/** `dbTimeZone` is DATABASES['default']['TIME_ZONE'], given to us as db_time_zone=. */
function sqliteBackend(driver: SqliteDriverChoice, wal: boolean, useTz: boolean, dbTimeZone?: string): BackendMaker {
  return async () => {
    const dir = tempDir();
    const file = path.join(dir, 'db.sqlite3');
    const config: DjangoConfig = {
      engine: 'db',
      database: { ENGINE: 'django.db.backends.sqlite3', NAME: file, ...(dbTimeZone ? { TIME_ZONE: dbTimeZone } : {}) },
      secret: SECRET,
      use_tz: useTz,
      time_zone: useTz ? 'UTC' : 'America/Chicago',
    };
    const query = dbTimeZone ? `?db_time_zone=${dbTimeZone}` : '';
    if (wal) {
      const r = spawnSync('/usr/bin/python3', ['-c', 'import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA journal_mode=wal")', file]);
      assert.equal(r.status, 0);
    }
    return {
      descriptor: descriptorFor(`sqlite://${file}${query}`, config),
      django: config,
      sqliteDriver: driver,
      async copy() {
        const copyFile = path.join(dir, 'copy.sqlite3');
        fs.copyFileSync(file, copyFile);
        const copyConfig = { ...config, database: { ...config.database, NAME: copyFile } };
        return { descriptor: descriptorFor(`sqlite://${copyFile}${query}`, copyConfig), django: copyConfig };
      },
      async drop() {
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

describe('interop with real Django 3.2: database and file stores', function () {
  interop('SQLite, rollback journal, sql.js', sqliteBackend('sqljs', false, true));
  interop('SQLite, WAL, USE_TZ=False, sql.js', sqliteBackend('sqljs', true, false));
  interop('SQLite, USE_TZ=True with DATABASES TIME_ZONE=Asia/Kathmandu, sql.js', sqliteBackend('sqljs', false, true, 'Asia/Kathmandu'));

  describe('SQLite through node:sqlite', function () {
    if (nodeSqlite()) {
      interop('SQLite, rollback journal, node:sqlite', sqliteBackend('node', false, true));
      interop('SQLite, WAL, USE_TZ=False, node:sqlite', sqliteBackend('node', true, false));
      return;
    }
    passesInNode22(__filename, 'interop', /[1-9]\d* passing/);
  });

  interop('PostgreSQL, USE_TZ=False', postgresBackend(false, 'America/Chicago'));

  interop('MariaDB, USE_TZ=True', mariadbBackend());
  interop('MariaDB, USE_TZ=True with DATABASES TIME_ZONE=America/New_York', mariadbBackend('America/New_York'));

  interop('file engine', fileBackend, { toleranceMs: 2000 });
});

describe('interop with real Django 5.2: database and file stores', function () {
  interop('SQLite, WAL, sql.js', sqliteBackend('sqljs', true, true), { version: '5.2' });

  describe('SQLite through node:sqlite', function () {
    if (nodeSqlite()) {
      interop('SQLite, rollback journal, USE_TZ=False, node:sqlite', sqliteBackend('node', false, false), { version: '5.2' });
      return;
    }
    passesInNode22(__filename, 'interop', /[1-9]\d* passing/);
  });

  interop('PostgreSQL, USE_TZ=True', postgresBackend(true, 'Europe/Paris'), { version: '5.2' });
  interop('MariaDB, USE_TZ=False', mariadbBackend(undefined, false), { version: '5.2' });
  interop('file engine', fileBackend, { toleranceMs: 2000, version: '5.2' });
});

describe('PostgreSQL: exact counts reused only while nothing committed, and prepared statements', function () {
  this.timeout(120_000);
  const name = runTag();
  let config: DjangoConfig;
  let store: SessionStore;
  let other: import('pg').Client;

  before(async function () {
    requireDjango(this);
    await requireService(this, POSTGRES);
    await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    config = { engine: 'db', database: { ENGINE: 'django.db.backends.postgresql', NAME: name, USER: 'root', HOST: '127.0.0.1', PORT: 5432 }, secret: SECRET, use_tz: true, time_zone: 'UTC' };
    django(config, [{ op: 'migrate' }, { op: 'create', specs: specs().slice(0, 12) }]);
    store = await openStore(descriptorFor(`postgres://root@127.0.0.1:5432/${name}`, config));
    const { Client } = await import('pg');
    other = new Client({ host: '127.0.0.1', user: 'root', database: name });
    await other.connect();
  });

  after(async () => {
    await other?.end();
    await store?.close();
    await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });

  it('counts what Django and other connections committed, never what is uncommitted', async () => {
    assert.equal(await store.count(), 12);
    assert.equal(await store.count(), 12);
    django(config, [{ op: 'create', specs: specs().slice(0, 1) }]);
    assert.equal(await store.count(), 13);
    await other.query('BEGIN');
    await other.query("DELETE FROM django_session WHERE session_key IN (SELECT session_key FROM django_session LIMIT 2)");
    assert.equal(await store.count(), 13, 'an uncommitted delete is not counted');
    await other.query('COMMIT');
    assert.equal(await store.count(), 11);
    await other.query('BEGIN');
    await other.query("INSERT INTO django_session VALUES ('rolledback000000000000000000000a', 'x', now())");
    assert.equal(await store.count(), 11);
    await other.query('ROLLBACK');
    assert.equal(await store.count(), 11);
    await other.query('TRUNCATE django_session');
    assert.equal(await store.count(), 0);
    assert.equal(await store.count({ state: 'expired' }), 0);
  });

  it('keeps working when a migration changes a column type under its prepared statements', async () => {
    const [created] = django<[Created[]]>(config, [{ op: 'create', specs: specs().slice(0, 3) }]);
    const key = created[0]!.key;
    assert.equal((await store.get(key))?.key, key);
    assert.equal((await store.list({ limit: 10 })).sessions.length, 3);
    await other.query('ALTER TABLE django_session ALTER COLUMN session_data TYPE varchar(100000)');
    assert.equal((await store.get(key))?.key, key);
    assert.equal((await store.list({ limit: 10 })).sessions.length, 3);
    assert.equal(await store.count(), 3);
  });
});

describe('interop with real Django 3.2: signed_cookies', function () {
  const config: DjangoConfig = { engine: 'signed_cookies', secret: SECRET, use_tz: true, time_zone: 'UTC' };
  const context = { secretKeys: { values: [SECRET] }, serializer: 'json' as const, cookieAgeSeconds: AGE };

  before(function () {
    requireDjango(this);
  });

  it('reads the cookies Django signs, and Django loads the ones we sign', () => {
    const data = '{"cart":[1,2],"name":"Zo\\u00eb","_auth_user_id":"3"}';
    const [cookie, mine] = django<[string, { ok: boolean; json: string }]>(config, [
      { op: 'sign', data },
      { op: 'unsign', value: signSessionCookie(pythonJsonParse(data) as PyDict, context) },
    ]);
    const decoded = decodeSignedCookie(cookie, context);
    assert.ok(decoded.ok);
    assert.equal(pythonJsonStringify(decoded.session.data), data);
    assert.deepEqual(mine, { ok: true, json: data });
  });

  it('agrees with Django that a tampered or old cookie is refused', () => {
    const [cookie] = django<[string]>(config, [{ op: 'sign', data: '{"a":1}' }]);
    const tampered = cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const old = signSessionCookie(new PyDict([['a', 1n]]), context, Date.now() / 1000 - AGE - 10);
    const [t, o] = django<[{ ok: boolean }, { ok: boolean }]>(config, [
      { op: 'unsign', value: tampered },
      { op: 'unsign', value: old },
    ]);
    assert.equal(t.ok, false);
    assert.equal(o.ok, false);
    assert.ok(!decodeSignedCookie(tampered, context).ok);
    assert.ok(!decodeSignedCookie(old, context).ok);
  });
});

/**
 * `dbTimeZone` is DATABASES['default']['TIME_ZONE'], given to us as db_time_zone=; without
 * USE_TZ, naive datetimes are wall-clock time in Asia/Tokyo.
 */
function mariadbBackend(dbTimeZone?: string, useTz = true): BackendMaker {
  return async (suite) => {
    await requireService(suite, MARIADB);
    const name = runTag();
    const copyName = `${name}_copy`;
    const query = dbTimeZone ? `?db_time_zone=${dbTimeZone}` : '';
    await mysqlAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    const config: DjangoConfig = {
      engine: 'db',
      database: { ENGINE: 'django.db.backends.mysql', NAME: name, USER: 'root', PASSWORD: '', HOST: '127.0.0.1', PORT: 3306, ...(dbTimeZone ? { TIME_ZONE: dbTimeZone } : {}) },
      secret: SECRET,
      use_tz: useTz,
      time_zone: useTz ? 'UTC' : 'Asia/Tokyo',
    };
    return {
      descriptor: descriptorFor(`mysql://root@127.0.0.1:3306/${name}${query}`, config),
      django: config,
      async copy() {
        await mysqlAdmin(async (c) => {
          await c.query(`CREATE DATABASE ${copyName}`);
          await c.query(`CREATE TABLE ${copyName}.django_session LIKE ${name}.django_session`);
          await c.query(`INSERT INTO ${copyName}.django_session SELECT * FROM ${name}.django_session`);
        });
        const copyConfig = { ...config, database: { ...config.database, NAME: copyName } };
        return { descriptor: descriptorFor(`mysql://root@127.0.0.1:3306/${copyName}${query}`, copyConfig), django: copyConfig };
      },
      async drop() {
        await mysqlAdmin(async (c) => {
          await c.query(`DROP DATABASE IF EXISTS ${name}`);
          await c.query(`DROP DATABASE IF EXISTS ${copyName}`);
        });
      },
    };
  };
}

/** PostgreSQL with Django's USE_TZ and TIME_ZONE as given. */
function postgresBackend(useTz: boolean, timeZone: string): BackendMaker {
  return async (suite, djangoPath) => {
    await requireService(suite, POSTGRES);
    const name = runTag();
    const copyName = `${name}_copy`;
    await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    const config: DjangoConfig = { engine: 'db', database: { ENGINE: 'django.db.backends.postgresql', NAME: name, USER: 'root', HOST: '127.0.0.1', PORT: 5432 }, secret: SECRET, use_tz: useTz, time_zone: timeZone };
    return {
      descriptor: descriptorFor(`postgres://root@127.0.0.1:5432/${name}`, config),
      django: config,
      async copy() {
        await pgAdmin((c) => c.query(`CREATE DATABASE ${copyName}`));
        const copyConfig = { ...config, database: { ...config.database, NAME: copyName } };
        const copyStore = descriptorFor(`postgres://root@127.0.0.1:5432/${copyName}`, copyConfig);
        await assert.rejects(openStore(copyStore), (e: unknown) => e instanceof StoreError && e.code === 'missing-table' && /migrate/.test(e.message));
        django(copyConfig, [{ op: 'migrate' }], djangoPath);
        const { Client } = await import('pg');
        const from = new Client({ host: '127.0.0.1', user: 'root', database: name });
        const to = new Client({ host: '127.0.0.1', user: 'root', database: copyName });
        await from.connect();
        await to.connect();
        const rows = (await from.query('SELECT session_key, session_data, expire_date FROM django_session')).rows as Array<{ session_key: string; session_data: string; expire_date: Date }>;
        for (const r of rows) {
          await to.query('INSERT INTO django_session VALUES ($1, $2, $3)', [r.session_key, r.session_data, r.expire_date]);
        }
        await from.end();
        await to.end();
        return { descriptor: copyStore, django: copyConfig };
      },
      async drop() {
        await pgAdmin(async (c) => {
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await c.query(`DROP DATABASE IF EXISTS ${copyName} WITH (FORCE)`);
        });
      },
    };
  };
}

/** A session-file directory. */
async function fileBackend(): Promise<Backend> {
  const dir = tempDir();
  const sessions = path.join(dir, 'sessions');
  fs.mkdirSync(sessions);
  const config: DjangoConfig = { engine: 'file', file_path: sessions, secret: SECRET, use_tz: true, time_zone: 'UTC' };
  return {
    descriptor: descriptorFor(`file://${sessions}`, config),
    django: config,
    async copy() {
      const copyDir = path.join(dir, 'copy');
      fs.cpSync(sessions, copyDir, { recursive: true, preserveTimestamps: true });
      const copyConfig = { ...config, file_path: copyDir };
      return { descriptor: descriptorFor(`file://${copyDir}`, copyConfig), django: copyConfig };
    },
    async drop() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
