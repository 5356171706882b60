import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { openStore, parseStoreUrl, pythonJsonStringify, StoreError, type SessionStore } from '../../../../engine/src';
import { sqliteFromFixture } from './sqliteFixture';
import { TRUSTING_ENV } from './sqlJsTrust';

const K = 'k'.repeat(50);

async function open(file: string, secretKeys = [K]): Promise<SessionStore> {
  return openStore(parseStoreUrl(`sqlite://${file}`, '/', { secretKeys, useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600 }), { env: TRUSTING_ENV });
}

describe('SqlJsSessionStore', () => {
  let file: string;
  let store: SessionStore;

  before(async () => {
    file = await sqliteFromFixture('sessions.sql');
    store = await open(file);
  });
  after(() => store.close());

  it('refuses a directory or a file that is not SQLite as a store error that names the file, never a crash', async () => {
    const dir = fs.mkdtempSync(`${os.tmpdir()}/djs-notdb-`);
    fs.writeFileSync(`${dir}/notes.txt`, 'not a database at all, just text');
    await assert.rejects(open(dir), (e: unknown) => e instanceof StoreError && e.code === 'connection' && e.message.startsWith(`${dir} is a directory, not a SQLite database`));
    await assert.rejects(open(`${dir}/notes.txt`), (e: unknown) => e instanceof StoreError && e.code === 'connection' && e.message.includes('is not a readable SQLite database'));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts every row', async () => {
    assert.equal(await store.count(), 5);
  });

  it('lists newest expiry first and pages with a cursor until the end', async () => {
    const first = await store.list({ limit: 2 });
    assert.deepEqual(first.sessions.map((s) => s.key), ['compressed0000000000000000000002', 'plainjson00000000000000000000001']);
    assert.ok(first.nextCursor);
    const second = await store.list({ limit: 2, cursor: first.nextCursor });
    assert.deepEqual(second.sessions.map((s) => s.key), ['otherclass000000000000000000004', 'garbage00000000000000000000000005']);
    const third = await store.list({ limit: 2, cursor: second.nextCursor });
    assert.deepEqual(third.sessions.map((s) => s.key), ['emptysession00000000000000000003']);
    assert.equal(third.nextCursor, undefined);
  });

  it('lists oldest first on request', async () => {
    const page = await store.list({ limit: 1, order: 'asc' });
    assert.deepEqual(page.sessions.map((s) => s.key), ['emptysession00000000000000000003']);
  });

  it('decodes plain and compressed data and verifies the signature', async () => {
    const plain = await store.get('plainjson00000000000000000000001');
    assert.ok(plain?.decoded.ok);
    assert.equal(plain.decoded.session.signature, 'valid');
    assert.equal(pythonJsonStringify(plain.decoded.session.data), '{"foo":"bar"}');
    assert.equal(plain.expireDate?.toISOString(), '2099-01-01T00:00:00.000Z');
    const compressed = await store.get('compressed0000000000000000000002');
    assert.ok(compressed?.decoded.ok);
    assert.equal(compressed.decoded.session.compressed, true);
    assert.equal(compressed.decoded.session.data.get('_auth_user_id'), '1');
  });

  it('marks data signed with another salt as an invalid signature', async () => {
    const other = await store.get('otherclass000000000000000000004');
    assert.ok(other?.decoded.ok);
    assert.equal(other.decoded.session.signature, 'invalid');
  });

  it('reports undecodable rows as data, without failing the page', async () => {
    const garbage = await store.get('garbage00000000000000000000000005');
    assert.ok(garbage && !garbage.decoded.ok);
    assert.match(garbage.decoded.message, /./);
  });

  it('says the signature is not verified when no SECRET_KEY is known', async () => {
    const keyless = await open(file, []);
    try {
      const plain = await keyless.get('plainjson00000000000000000000001');
      assert.ok(plain?.decoded.ok);
      assert.equal(plain.decoded.session.signature, 'unverified');
    } finally {
      await keyless.close();
    }
  });

  it('returns undefined for an unknown key', async () => {
    assert.equal(await store.get('nosuchkey'), undefined);
  });

  it('rejects a forged cursor', async () => {
    await assert.rejects(store.list({ limit: 1, cursor: 'not-a-cursor' }), (e: unknown) => e instanceof StoreError && e.code === 'bad-cursor');
  });

  it('explains a missing file and a missing table', async () => {
    await assert.rejects(open('/nonexistent/db.sqlite3'), (e: unknown) => e instanceof StoreError && e.code === 'connection' && /migrate/.test(e.message));
    const empty = await sqliteFromFixture('sessions.sql');
    fs.writeFileSync(empty, Buffer.alloc(0));
    await assert.rejects(open(empty), (e: unknown) => e instanceof StoreError && e.code === 'missing-table');
  });
});

describe('page cursors', () => {
  it('never carry a whole session key', async () => {
    const file = await sqliteFromFixture('sessions.sql');
    const store = await open(file);
    try {
      for (const order of ['asc', 'desc'] as const) {
        let cursor: string | undefined;
        const seen: string[] = [];
        do {
          const page = await store.list({ limit: 1, cursor, order });
          seen.push(...page.sessions.map((s) => s.key));
          cursor = page.nextCursor;
          if (cursor) {
            const text = Buffer.from(cursor, 'base64url').toString('utf8');
            for (const key of seen) assert.ok(!text.includes(key), `cursor reveals ${key.slice(0, 4)}…`);
          }
        } while (cursor);
        assert.equal(new Set(seen).size, 5, `${order}: every row exactly once`);
      }
    } finally {
      await store.close();
    }
  });
});
