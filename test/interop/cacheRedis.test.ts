import * as assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { PyDatetime, PyDecimal, PyDict, PySet, PyTimezone, PyTuple, pickleDumps, type PyValue } from '../../engine/src/codec';
import { openCacheStore } from '../../engine/src/stores/cache/openCacheStore';
import type { CacheSessionStore } from '../../engine/src/stores/cache/cacheSessionStore';
import { StoreError } from '../../engine/src/stores/storeError';
import { cacheDescriptor, TEST_SECRET } from '../unit/engine/stores/cache/cacheDescriptor';
import { REDIS, requireService, runTag } from './localServices';
import { normalizeTagged, tag, untag, type Tagged } from './codecTagged';
import { cli } from './cliRun';
import { requireDjango, runDjangoScript } from './realDjango';

const DB = 3;

function django<T = Record<string, unknown>>(prefix: string, ops: object[], options: Record<string, string> = {}, useTz = true): T[] {
  const config = {
    secret_key: TEST_SECRET,
    use_tz: useTz,
    engine: 'cache',
    cache: { BACKEND: 'django_redis.cache.RedisCache', LOCATION: `redis://127.0.0.1:6379/${DB}`, KEY_PREFIX: prefix, VERSION: 2, OPTIONS: options },
  };
  return runDjangoScript<T[]>('cache_django.py', [], { config, ops });
}

function same(a: PyValue, b: Tagged): void {
  assert.deepEqual(normalizeTagged(tag(a)), normalizeTagged(b));
}

describe('cache sessions on Redis, against real Django 3.2 with django-redis', function () {
  let prefix: string;
  let store: CacheSessionStore;
  let raw: Redis;

  before(async function () {
    requireDjango(this);
    await requireService(this, REDIS);
    prefix = runTag();
    raw = new Redis({ host: '127.0.0.1', port: 6379, db: DB, lazyConnect: true });
    await raw.connect();
    store = await openCacheStore(cacheDescriptor(`redis://127.0.0.1:6379/${DB}?key_prefix=${prefix}&version=2&client=django-redis`));
  });

  after(async function () {
    if (raw) {
      const keys = await scanAll(raw, `${prefix}*`);
      if (keys.length > 0) {
        await raw.del(...keys);
      }
      raw.disconnect();
    }
    await store?.close();
  });

  it('lists and reads what Django created, skipping non-session keys and flagging foreign values', async () => {
    const data = new PyDict([
      ['_auth_user_id', '42'],
      ['cart', [1n, 2n, 3n]],
      ['when', PyDatetime.fromDate(new Date(Date.UTC(2030, 0, 1)), PyTimezone.pytzUtc)],
    ]);
    const [made] = django<{ key: string }>(prefix, [{ op: 'create', data: tag(data), expiry: tag(600n) }]);
    const key = made?.key as string;
    await raw.set(`${prefix}:2:unrelated`, 'x');
    await raw.set(`${prefix}:2:django.contrib.sessions.cachefake0000000000000000000000000`, '{"json": true}');
    await raw.set(`${prefix}:2:django.contrib.sessions.cached_db${'a'.repeat(32)}`, 'other engine');
    const page = await store.list({ limit: 100 });
    const found = page.sessions.find((s) => s.key === key);
    assert.ok(found?.decoded.ok, 'the Django session decodes');
    const expected = new PyDict([...data, ['_session_expiry', 600n]]);
    assert.deepEqual(normalizeTagged(tag(found.decoded.session.data)), normalizeTagged(tag(expected)));
    assert.ok(found.expireDate && Math.abs(found.expireDate.getTime() - Date.now() - 600_000) < 5000, 'TTL is the expiry');
    const foreign = page.sessions.find((s) => s.key.startsWith('fake'));
    assert.ok(foreign && !foreign.decoded.ok && /Not a pickle/.test(foreign.decoded.message));
    assert.equal(page.sessions.length, 2, 'the cached_db entry and the unrelated key are not sessions of this engine');
    assert.equal(await store.count(), 2);
    assert.equal(await store.count({ userId: '42' }), page.sessions.filter((s) => s.decoded.ok && s.decoded.session.data.get('_auth_user_id') === '42').length);
    assert.equal(await store.count({ hasKey: 'cart', state: 'active' }), (await store.list({ limit: 100, filter: { hasKey: 'cart', state: 'active' } })).sessions.length);
  });

  it('sets an absolute expiry from a bare URL only once the URL says USE_TZ, so Django can still save the session', async () => {
    const [made] = django<{ key: string }>(prefix, [{ op: 'create', data: tag(new PyDict([['a', 1n]])) }]);
    const key = made?.key as string;
    const url = `redis://127.0.0.1:6379/${DB}?key_prefix=${prefix}&version=2&client=django-redis`;
    const env = { DJANGO_SECRET_KEY: TEST_SECRET };
    const refused = await cli(['--store', url, 'expire', key, '--at', '2030-01-01T00:00:00Z'], env);
    assert.notEqual(refused.code, 0);
    assert.match(refused.err, /depends on USE_TZ and TIME_ZONE, which no settings gave for this store URL; .*\?use_tz=true/);
    const [untouched] = django<{ expiry_age: number }>(prefix, [{ op: 'load', key }]);
    assert.equal(untouched?.expiry_age, 1209600);
    const done = await cli(['--store', `${url}&use_tz=true`, 'expire', key, '--at', '2030-01-01T00:00:00Z'], env);
    assert.equal(done.code, 0, done.err);
    const [, loaded] = django<{ exists: boolean; data: Tagged; expiry_age: number }>(prefix, [{ op: 'update', key, data: tag(new PyDict([['b', 2n]])) }, { op: 'load', key }]);
    assert.equal(loaded?.exists, true);
    assert.ok(Math.abs((loaded?.expiry_age ?? 0) - (Date.UTC(2030, 0, 1) - Date.now()) / 1000) < 60, `expiry age ${loaded?.expiry_age}`);
  });

  it('writes sessions that Django unpickles equal to what we meant', async () => {
    const key = 'ours' + runTag() + 'x'.repeat(16);
    const data = new PyDict([
      ['n', 12345678901234567890n],
      ['f', 1.5],
      ['t', new PyTuple(['a', 1n])],
      ['s', new PySet(['x'])],
      ['d', new PyDecimal('1.10')],
      ['b', new Uint8Array([0, 255])],
      ['nested', new PyDict([[1n, null]])],
    ]);
    await store.save(key, data, { create: true });
    const [loaded] = django<{ exists: boolean; data: Tagged; expiry_age: number }>(prefix, [{ op: 'load', key }]);
    assert.equal(loaded?.exists, true);
    same(data, loaded?.data as Tagged);
    assert.equal(loaded?.expiry_age, 1209600);
    await assert.rejects(store.save(key, data, { create: true }), (e: unknown) => e instanceof StoreError && e.code === 'exists');
  });

  it('edits, expires, cycles and flushes so that Django sees exactly that', async () => {
    const [made] = django<{ key: string }>(prefix, [{ op: 'create', data: tag(new PyDict([['a', 1n]])) }]);
    const key = made?.key as string;
    await store.update(key, (d) => d.set('b', 'two'));
    let [seen] = django<{ data: Tagged }>(prefix, [{ op: 'load', key }]);
    same(new PyDict([['a', 1n], ['b', 'two']]), seen?.data as Tagged);

    await store.setExpiry(key, { kind: 'seconds', seconds: 300 });
    const [loaded, cached] = django<{ expiry_age: number; ttl: number }>(prefix, [{ op: 'load', key }, { op: 'cache_get', key }]);
    assert.equal(loaded?.expiry_age, 300);
    assert.ok(cached && cached.ttl > 290 && cached.ttl <= 300, `TTL ${cached?.ttl} follows _session_expiry`);

    const at = new Date(Date.now() + 3_600_000);
    await store.setExpiry(key, { kind: 'at', date: at });
    [seen] = django<{ data: Tagged; expiry_age: number }>(prefix, [{ op: 'load', key }]);
    const expiry = (untag(seen?.data as Tagged) as PyDict).get('_session_expiry');
    assert.ok(expiry instanceof PyDatetime, 'an absolute expiry is a datetime in the pickle');
    assert.ok(Math.abs((seen as unknown as { expiry_age: number }).expiry_age - 3600) <= 2);

    await store.clear(key);
    [seen] = django<{ data: Tagged }>(prefix, [{ op: 'load', key }]);
    same(new PyDict(), seen?.data as Tagged);

    const cycled = await store.cycleKey(key);
    const [gone, moved] = django<{ exists: boolean }>(prefix, [{ op: 'load', key }, { op: 'load', key: cycled.key }]);
    assert.equal(gone?.exists, false);
    assert.equal(moved?.exists, true);

    assert.equal(await store.delete(cycled.key), true);
    const [flushed] = django<{ exists: boolean }>(prefix, [{ op: 'load', key: cycled.key }]);
    assert.equal(flushed?.exists, false);
  });

  it('keeps an absolute expiry as a naive datetime when USE_TZ is off', async () => {
    const naive = await openCacheStore(cacheDescriptor(`redis://127.0.0.1:6379/${DB}?key_prefix=${prefix}&version=2&client=django-redis`, 'cache', { useTz: false, timeZone: 'UTC' }));
    try {
      const [made] = django<{ key: string }>(prefix, [{ op: 'create', data: tag(new PyDict([['a', 1n]])) }], {}, false);
      const key = made?.key as string;
      const setAt = Date.now();
      await naive.setExpiry(key, { kind: 'at', date: new Date(setAt + 7_200_000) });
      const [seen] = django<{ data: Tagged; expiry_age: number }>(prefix, [{ op: 'load', key }], {}, false);
      // Django counts the age from its own now, which is as far after the expiry was set as this machine took to get there.
      const elapsed = Math.ceil((Date.now() - setAt) / 1000);
      const expiry = (untag(seen?.data as Tagged) as PyDict).get('_session_expiry');
      assert.ok(expiry instanceof PyDatetime && expiry.tzinfo === null, 'a naive datetime, as Django stores with USE_TZ = False');
      const age = seen?.expiry_age ?? 0;
      assert.ok(age <= 7200 && age >= 7200 - elapsed - 1, `Django computes ${age}s left, ${elapsed}s after it was set to 7200s`);
    } finally {
      await naive.close();
    }
  });

  it('refuses to overwrite a session Django changed after we read it', async () => {
    const [made] = django<{ key: string }>(prefix, [{ op: 'create', data: tag(new PyDict([['v', 1n]])) }]);
    const key = made?.key as string;
    const before = await store.get(key);
    django(prefix, [{ op: 'update', key, data: tag(new PyDict([['v', 2n]])) }]);
    assert.ok(before?.decoded.ok);
    await assert.rejects(store.save(key, new PyDict([['v', 3n]]), { expectedRaw: before.raw }), (e: unknown) => e instanceof StoreError && e.code === 'conflict');
    const [seen] = django<{ data: Tagged }>(prefix, [{ op: 'load', key }]);
    same(new PyDict([['v', 2n]]), seen?.data as Tagged);
  });

  it('clears what Django would treat as expired, and logs a user out everywhere', async () => {
    const past = PyDatetime.fromDate(new Date(Date.now() - 60_000), PyTimezone.pytzUtc);
    const stale = 'stale' + runTag() + 'y'.repeat(16);
    django(prefix, [{ op: 'cache_set', key: stale, data: tag(new PyDict([['_session_expiry', past]])), timeout: null }]);
    const [u1, u2, other] = django<{ key: string }>(prefix, [
      { op: 'create', data: tag(new PyDict([['_auth_user_id', '7']])) },
      { op: 'create', data: tag(new PyDict([['_auth_user_id', '7']])) },
      { op: 'create', data: tag(new PyDict([['_auth_user_id', '8']])) },
    ]);
    const cancelled = new AbortController();
    cancelled.abort();
    assert.equal(await store.clearExpired({ signal: cancelled.signal }), 0, 'a cancelled clear stops before deleting');
    assert.ok(await store.get(stale));
    let progress = 0;
    assert.equal(await store.clearExpired({ onProgress: (n) => (progress = n) }), 1);
    assert.ok(progress >= 4, 'progress counts the sessions looked at');
    assert.equal(await store.get(stale), undefined);
    assert.equal(await store.deleteByUser('7'), 2);
    const seen = django<{ exists: boolean }>(prefix, [u1, u2, other].map((m) => ({ op: 'load', key: m?.key })));
    assert.deepEqual(seen.map((s) => s.exists), [false, false, true]);
  });

  it('writes and reads django-redis zlib-compressed values, both ways', async () => {
    const compressed = await openCacheStore(cacheDescriptor(`redis://127.0.0.1:6379/${DB}?key_prefix=${prefix}z&version=2&client=django-redis&compressor=zlib`));
    try {
      const key = 'zlib' + runTag() + 'z'.repeat(16);
      const data = new PyDict([['payload', 'x'.repeat(200)]]);
      await compressed.save(key, data, { create: true });
      const stored = await raw.getBuffer(`${prefix}z:2:django.contrib.sessions.cache${key}`);
      assert.equal(stored?.[0], 0x78, 'stored zlib-compressed');
      assert.ok((stored?.length ?? 0) < pickleDumps(data, 4).length);
      const record = await compressed.get(key);
      assert.ok(record?.decoded.ok && record.decoded.session.compressed);
      const zlib = { COMPRESSOR: 'django_redis.compressors.zlib.ZlibCompressor' };
      const [loaded] = django<{ data: Tagged }>(`${prefix}z`, [{ op: 'load', key }], zlib);
      same(data, loaded?.data as Tagged);
      const [made] = django<{ key: string }>(`${prefix}z`, [{ op: 'create', data: tag(data) }], zlib);
      const theirs = await compressed.get(made?.key as string);
      assert.ok(theirs?.decoded.ok && theirs.decoded.session.compressed && theirs.decoded.session.data.get('payload') === 'x'.repeat(200));
    } finally {
      await compressed.close();
    }
  });
});

async function scanAll(client: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}
