import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeSessionData, encodeSessionData, openStore, parseStoreUrl, PyDict, pythonJsonStringify, signSessionCookie, type SessionStore, type StoreDescriptor } from '../../engine/src';
import { TRUSTING_ENV } from '../unit/engine/stores/sqlJsTrust';
import { requireDjango, requireDjango52, runDjangoScript } from './realDjango';

const SECRET = 'django-rules-secret-key-0123456789-abcdefghijklmnop';
const AGE = 1209600;

interface Config {
  engine: 'db' | 'signed_cookies';
  database?: Record<string, unknown>;
  secret: string;
  use_tz: boolean;
  time_zone: string;
  hashing_algorithm?: 'sha1';
}

/**
 * Stores opened as a project's settings describe them (its Django version and
 * DEFAULT_HASHING_ALGORITHM), checked against that real Django: what it writes we accept, what
 * we write it reads, and what it would refuse we say it refuses, with the reason.
 */
describe('interop: stores follow the signature and expiry rules of the project’s Django', function () {
  this.timeout(120_000);
  let dir: string;
  before(function () {
    requireDjango(this);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-rules-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function sqliteStore(config: Config, file: string, rules: Pick<StoreDescriptor, 'djangoVersion' | 'hashingAlgorithm'>): Promise<SessionStore> {
    const descriptor = { ...parseStoreUrl(`sqlite://${file}`, '/', { secretKeys: [SECRET], useTz: config.use_tz, timeZone: config.time_zone, cookieAgeSeconds: AGE }), ...rules };
    return openStore(descriptor, { env: TRUSTING_ENV });
  }

  describe("Django 3.2 with DEFAULT_HASHING_ALGORITHM = 'sha1'", () => {
    let config: Config;
    let store: SessionStore;
    let keys: string[];
    before(async () => {
      const file = path.join(dir, 'sha1.sqlite3');
      config = { engine: 'db', database: { ENGINE: 'django.db.backends.sqlite3', NAME: file }, secret: SECRET, use_tz: true, time_zone: 'UTC', hashing_algorithm: 'sha1' };
      const [, created] = runDjangoScript<[null, Array<{ key: string }>]>('stores_django.py', [JSON.stringify(config)], [
        { op: 'migrate' },
        { op: 'create', specs: [{ data: '{"a":1}', expiry: null }, { data: '{"b":2}', expiry: null }] },
      ]);
      keys = created.map((c) => c.key);
      store = await sqliteStore(config, file, { djangoVersion: '3.2', hashingAlgorithm: 'sha1' });
    });
    after(() => store?.close());

    it('reads what that Django wrote (the pre-3.1 format) as valid', async () => {
      const record = await store.get(keys[0]!);
      assert.ok(record?.decoded.ok);
      assert.deepEqual([record.decoded.session.signature, record.decoded.session.format, record.decoded.session.rejection], ['valid', 'legacy', undefined]);
    });

    it('writes sessions that Django reads: an edit in the pre-3.1 format', async () => {
      await store.update(keys[0]!, (data) => data.set('edited', 'yes'));
      const [loaded] = runDjangoScript<[Array<{ exists: boolean; json: string }>]>('stores_django.py', [JSON.stringify(config)], [{ op: 'load', keys: [keys[0]] }]);
      assert.deepEqual(loaded[0], { key: keys[0], exists: true, json: '{"a":1,"edited":"yes"}' });
    });

    it('says that Django refuses a sha256-signed row, and why', async () => {
      const key = 'sha256row' + 'x'.repeat(23);
      const sha256 = encodeSessionData(new PyDict([['c', 3n]]), { secretKeys: [SECRET], nowSeconds: Date.now() / 1000 });
      runDjangoScript('stores_django.py', [JSON.stringify(config)], [{ op: 'raw_insert', key, data: sha256 }]);
      const record = await store.get(key);
      assert.ok(record?.decoded.ok);
      assert.equal(record.decoded.session.signature, 'invalid');
      assert.equal(record.decoded.session.rejection?.reason, 'sha256-signature');
      const [loaded] = runDjangoScript<[Array<{ json: string }>]>('stores_django.py', [JSON.stringify(config)], [{ op: 'load', keys: [key] }]);
      assert.equal(loaded[0]!.json, '{}', 'Django decodes it as an empty session');
    });

    it('signs signed_cookies values with sha1, which that Django accepts', () => {
      const cookieConfig: Config = { ...config, engine: 'signed_cookies', database: undefined };
      const value = signSessionCookie(new PyDict([['cart', 'x']]), { secretKeys: { values: [SECRET] }, serializer: 'json', cookieAgeSeconds: AGE, djangoVersion: '3.2', hashingAlgorithm: 'sha1' });
      const [theirs] = runDjangoScript<[{ ok: boolean; json: string }]>('stores_django.py', [JSON.stringify(cookieConfig)], [{ op: 'unsign', value }]);
      assert.deepEqual(theirs, { ok: true, json: '{"cart":"x"}' });
    });
  });

  describe('Django 5.2 (from the machine’s pip index)', () => {
    let django52: string | undefined;
    before(function () {
      django52 = requireDjango52(this);
    });

    for (const [useTz, timeZone] of [
      [true, 'UTC'],
      [false, 'Asia/Tokyo'],
      [true, 'America/Chicago'],
    ] as const) {
      it(`writes an absolute expiry as the ISO text Django 5.2 reads as the same moment (USE_TZ=${useTz}, ${timeZone})`, async () => {
        const file = path.join(dir, `iso-${useTz}-${timeZone.replace('/', '-')}.sqlite3`);
        const config: Config = { engine: 'db', database: { ENGINE: 'django.db.backends.sqlite3', NAME: file }, secret: SECRET, use_tz: useTz, time_zone: timeZone };
        const [, created] = runDjangoScript<[null, Array<{ key: string }>]>('stores_django.py', [JSON.stringify(config)], [{ op: 'migrate' }, { op: 'create', specs: [{ data: '{"a":1}', expiry: null }] }], django52);
        const key = created[0]!.key;
        const store = await sqliteStore(config, file, { djangoVersion: '5.2' });
        const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 5 * 86_400_000 + 123);
        try {
          const record = await store.setExpiry(key, { kind: 'at', date: at });
          assert.ok(record.decoded.ok);
          assert.equal(typeof record.decoded.session.data.get('_session_expiry'), 'string');
        } finally {
          await store.close();
        }
        const [expiry] = runDjangoScript<[Record<string, [number, string]>]>('stores_django.py', [JSON.stringify(config)], [{ op: 'expiry', keys: [key] }], django52);
        const [theirs, stored] = expiry[key]!;
        assert.ok(Math.abs(theirs * 1000 - at.getTime()) < 1, `Django 5.2 reads ${stored} as ${new Date(theirs * 1000).toISOString()}, we meant ${at.toISOString()}`);
        assert.equal(stored.includes('+00:00'), useTz, stored);
      });
    }

    it('says that Django 5.2 refuses a pre-3.1 row, and why', async () => {
      const file = path.join(dir, 'legacy52.sqlite3');
      const config: Config = { engine: 'db', database: { ENGINE: 'django.db.backends.sqlite3', NAME: file }, secret: SECRET, use_tz: true, time_zone: 'UTC' };
      const key = 'legacyrow' + 'y'.repeat(23);
      const legacy = encodeSessionData(new PyDict([['old', true]]), { secretKeys: [SECRET], format: 'legacy' });
      assert.ok(decodeSessionData(legacy, { secretKeys: [SECRET] }).signature === 'valid');
      const [, , loaded] = runDjangoScript<[null, null, Array<{ json: string | null }>]>('stores_django.py', [JSON.stringify(config)], [{ op: 'migrate' }, { op: 'raw_insert', key, data: legacy }, { op: 'load', keys: [key] }], django52);
      assert.equal(loaded[0]!.json, '{}', 'Django 5.2 decodes it as an empty session');
      const store = await sqliteStore(config, file, { djangoVersion: '5.2' });
      try {
        const record = await store.get(key);
        assert.ok(record?.decoded.ok);
        assert.deepEqual([record.decoded.session.signature, record.decoded.session.rejection?.reason, pythonJsonStringify(record.decoded.session.data)], ['invalid', 'legacy-format', '{"old":true}']);
      } finally {
        await store.close();
      }
    });
  });
});
