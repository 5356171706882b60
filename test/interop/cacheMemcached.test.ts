import * as assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { PyDatetime, PyDict, PyTimezone, type PyValue } from '../../engine/src/codec';
import type { CacheSessionStore } from '../../engine/src/stores/cache/cacheSessionStore';
import { MemcachedBackend } from '../../engine/src/stores/cache/memcached/memcachedBackend';
import { openCacheStore } from '../../engine/src/stores/cache/openCacheStore';
import { StoreError } from '../../engine/src/stores/storeError';
import { expiryValueProblem } from '../../engine/src/stores/sessionExpiry';
import { cacheDescriptor, TEST_SECRET } from '../unit/engine/stores/cache/cacheDescriptor';
import { MEMCACHED, requireService, runTag, startMemcachedServers } from './localServices';
import { normalizeTagged, tag, type Tagged } from './codecTagged';
import { requireDjango, requireDjango52, runDjangoScript } from './realDjango';

/** Runs `ops` with real Django on PyMemcacheCache: the machine's 3.2, or the one on `djangoPath`. */
function django<T = Record<string, unknown>>(prefix: string, ops: object[], djangoPath?: string): T[] {
  const config = {
    secret_key: TEST_SECRET,
    engine: 'cache',
    cache: { BACKEND: 'django.core.cache.backends.memcached.PyMemcacheCache', LOCATION: '127.0.0.1:11211', KEY_PREFIX: prefix },
  };
  return runDjangoScript<T[]>('cache_django.py', [], { config, ops }, djangoPath);
}

function same(a: PyValue, b: Tagged): void {
  assert.deepEqual(normalizeTagged(tag(a)), normalizeTagged(b));
}

for (const version of ['3.2', '5.2'] as const) {
  describe(`cache sessions on memcached, against real Django ${version} with PyMemcacheCache`, function () {
    let prefix: string;
    let store: CacheSessionStore;
    let djangoPath: string | undefined;
    const djangoOf = <T = Record<string, unknown>>(keyPrefix: string, ops: object[]): T[] => django<T>(keyPrefix, ops, djangoPath);

    before(async function () {
      requireDjango(this);
      djangoPath = version === '5.2' ? requireDjango52(this) : undefined;
      await requireService(this, MEMCACHED);
      prefix = runTag();
      store = await openCacheStore(cacheDescriptor(`memcached://127.0.0.1:11211?key_prefix=${prefix}`));
    });

    after(async function () {
      if (!store) {
        return;
      }
      const backend = store.backend as MemcachedBackend;
      let cursor: string | undefined;
      do {
        const batch = await backend.scan(cursor, 10_000);
        for (const key of [...batch.keys, ...(batch.expiredKeys ?? [])].filter((k) => k.startsWith(prefix))) {
          await backend.deleteIf(key);
        }
        cursor = batch.cursor;
      } while (cursor !== undefined);
      await store.close();
    });

    it('lists and reads what Django created, with the TTL as expiry, skipping keys that are no session', async () => {
      const data = new PyDict([['_auth_user_id', '5'], ['cart', ['a', 'b']]]);
      const [made] = djangoOf<{ key: string }>(prefix, [{ op: 'create', data: tag(data), expiry: tag(900n) }]);
      const key = made?.key as string;
      // Under the sessions' prefix, but too short for a session key: read, then skipped.
      await store.backend.add(`${prefix}:1:django.contrib.sessions.cache-x`, { bytes: Buffer.from('x'), flags: 0 }, 600);
      const seen = [];
      let skipped = 0;
      let cursor: string | undefined;
      do {
        const page = await store.list({ limit: 50, cursor });
        seen.push(...page.sessions);
        skipped += page.skipped;
        cursor = page.nextCursor;
      } while (cursor);
      const found = seen.find((s) => s.key === key);
      assert.ok(found?.decoded.ok);
      same(new PyDict([...data, ['_session_expiry', 900n]]), tag(found.decoded.session.data));
      assert.ok(found.expireDate && Math.abs(found.expireDate.getTime() - Date.now() - 900_000) < 5000);
      assert.ok(skipped >= 1, 'the unrelated key was skipped and counted');
    });

    it('writes pickles with pymemcache flags that Django reads, and follows edits both ways', async () => {
      const key = 'mc' + runTag() + 'q'.repeat(20);
      const data = new PyDict([['x', 1n], ['when', PyDatetime.fromDate(new Date(Date.UTC(2031, 5, 1)), PyTimezone.utc)]]);
      await store.save(key, data, { create: true });
      let [loaded] = djangoOf<{ exists: boolean; data: Tagged }>(prefix, [{ op: 'load', key }]);
      assert.equal(loaded?.exists, true);
      same(data, loaded?.data as Tagged);

      djangoOf(prefix, [{ op: 'update', key, data: tag(new PyDict([['y', 'from django']])) }]);
      const record = await store.get(key);
      assert.ok(record?.decoded.ok);
      assert.equal(record.decoded.session.data.get('y'), 'from django');

      await store.setExpiry(key, { kind: 'seconds', seconds: 120 });
      [loaded] = djangoOf<{ exists: boolean; data: Tagged; expiry_age: number }>(prefix, [{ op: 'load', key }]);
      assert.equal((loaded as unknown as { expiry_age: number }).expiry_age, 120);
      const after = await store.get(key);
      assert.ok(after?.expireDate && Math.abs(after.expireDate.getTime() - Date.now() - 120_000) < 3000, 'the TTL follows _session_expiry');

      assert.equal(await store.delete(key), true);
      [loaded] = djangoOf<{ exists: boolean; data: Tagged }>(prefix, [{ op: 'load', key }]);
      assert.equal(loaded?.exists, false);
    });

    it('keeps a session past 30 days with an absolute expiration time', async () => {
      const key = 'long' + runTag() + 'w'.repeat(20);
      const days40 = 40 * 86400;
      await store.save(key, new PyDict([['_session_expiry', BigInt(days40)]]), { create: true });
      const record = await store.get(key);
      assert.ok(record?.expireDate, 'memcached reads the expiration as absolute time, not as already past');
      assert.ok(Math.abs(record.expireDate.getTime() - Date.now() - days40 * 1000) < 5000);
      const [loaded] = djangoOf<{ exists: boolean; expiry_age: number }>(prefix, [{ op: 'load', key }]);
      assert.equal(loaded?.exists, true);
      assert.equal(loaded?.expiry_age, days40);
    });

    it('loses a session whose expiry is past 2038, as Django does, which is why such an expiry is refused', async () => {
      const key = 'y2038' + runTag() + 'z'.repeat(20);
      const beyond = new PyDict([['_session_expiry', 1_000_000_000n]]);
      await store.save(key, beyond, { create: true });
      assert.equal(await store.get(key), undefined, 'memcached dropped the entry at once');
      const [made] = djangoOf<{ key: string }>(prefix, [{ op: 'create', data: tag(new PyDict([['x', 1n]])), expiry: tag(1_000_000_000n) }]);
      const [loaded] = djangoOf<{ exists: boolean }>(prefix, [{ op: 'load', key: made?.key as string }]);
      assert.equal(loaded?.exists, false, "Django's own save loses it too");
      assert.match(expiryValueProblem(1_000_000_000n, store.descriptor, new Date())!, /past 2038, which memcached cannot hold/);
    });

    it("refuses a change that would make the session larger than memcached's item limit, which would drop it, and Django still reads it", async () => {
      const [made] = djangoOf<{ key: string }>(prefix, [{ op: 'create', data: tag(new PyDict([['cart', 'small']])), expiry: tag(900n) }]);
      const key = made?.key as string;
      const big = Array.from({ length: 1_100_000 }, (_, i) => String.fromCharCode(97 + ((i * 7919) % 26))).join('');
      await assert.rejects(
        store.update(key, (data) => {
          data.set('cart', big);
        }),
        (err: unknown) => err instanceof StoreError && err.code === 'write-refused' && /above its item size limit of \d+ bytes \(memcached -I\).*nothing was written/.test(err.message),
      );
      const [loaded] = djangoOf<{ exists: boolean; data: Tagged }>(prefix, [{ op: 'load', key }]);
      assert.equal(loaded?.exists, true, 'the session is still there');
      same(new PyDict([['cart', 'small'], ['_session_expiry', 900n]]), loaded!.data);
    });

    it('clears sessions whose absolute expiry passed', async () => {
      const key = 'old' + runTag() + 'e'.repeat(20);
      const past = PyDatetime.fromDate(new Date(Date.now() - 3_600_000), PyTimezone.pytzUtc);
      djangoOf(prefix, [{ op: 'cache_set', key, data: tag(new PyDict([['_session_expiry', past]])), timeout: 600 }]);
      assert.ok(await store.get(key));
      // One pass: the engine dumps by hash table, which sees every item, where a per-class dump
      // leaves out any slab class memcached's background crawler is walking at that moment.
      assert.ok((await store.clearExpired()) >= 1);
      assert.equal(await store.get(key), undefined);
      const [loaded] = djangoOf<{ exists: boolean; data: Tagged }>(prefix, [{ op: 'load', key }]);
      assert.equal(loaded?.exists, false);
    });
  });
}

describe('cache sessions on several memcached servers, placed as pymemcache places them', function () {
  const ports = [11311, 11312, 11313];
  let servers: { stop: () => void } | undefined;
  let store: CacheSessionStore;

  before(async function () {
    requireDjango(this);
    await requireService(this, MEMCACHED);
    servers = await startMemcachedServers(ports);
    store = await openCacheStore(cacheDescriptor(`memcached://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`));
  });

  after(async () => {
    await store?.close();
    servers?.stop();
  });

  it('finds every session Django spread over the servers, and Django finds ours', async () => {
    const config = {
      secret_key: TEST_SECRET,
      engine: 'cache',
      cache: { BACKEND: 'django.core.cache.backends.memcached.PyMemcacheCache', LOCATION: ports.map((p) => `127.0.0.1:${p}`) },
    };
    const made = runDjangoScript<{ key: string }[]>('cache_django.py', [], { config, ops: Array.from({ length: 12 }, (_, i) => ({ op: 'create', data: tag(new PyDict([['i', BigInt(i)]])) })) });
    for (let i = 0; i < 30; i++) {
      await store.backend.add(`:1:django.contrib.sessions.cache-${i}`, { bytes: Buffer.from('x'), flags: 0 }, 600);
    }
    const listed = [];
    let skipped = 0;
    let cursor: string | undefined;
    do {
      const page = await store.list({ limit: 5, cursor });
      assert.ok(page.sessions.length <= 5);
      listed.push(...page.sessions);
      skipped += page.skipped;
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(skipped, 30, 'every key under the prefix that is no session is skipped and counted once');
    assert.deepEqual(listed.map((s) => s.key).sort(), made.map((m) => m.key).sort());
    for (const m of made) {
      assert.ok((await store.get(m.key))?.decoded.ok);
    }
    const ours = Array.from({ length: 6 }, (_, i) => `shard${i}${runTag()}abcdefghij`);
    for (const key of ours) {
      await store.save(key, new PyDict([['ours', true]]), { create: true });
    }
    const loaded = runDjangoScript<{ exists: boolean }[]>('cache_django.py', [], { config, ops: ours.map((key) => ({ op: 'load', key })) });
    assert.deepEqual(loaded.map((l) => l.exists), ours.map(() => true));
  });
});

describe('memcached without the LRU crawler', function () {
  it('still reads and writes sessions, and explains why it cannot list them', async function () {
    await requireService(this, MEMCACHED);
    const servers = await startMemcachedServers([11314], ['-o', 'no_lru_crawler']);
    try {
      const store = await openCacheStore(cacheDescriptor('memcached://127.0.0.1:11314'));
      try {
        const key = `nocrawl${runTag()}abcdef`;
        await store.save(key, new PyDict([['a', 1n]]), { create: true });
        assert.ok((await store.get(key))?.decoded.ok);
        await assert.rejects(store.list({ limit: 10 }), (e: unknown) => e instanceof StoreError && e.code === 'unsupported' && /lru_crawler metadump all/.test(e.message) && /lru crawler disabled/.test(e.message));
      } finally {
        await store.close();
      }
    } finally {
      servers.stop();
    }
  });
});

describe('listing memcached that holds much besides sessions', function () {
  const PORT = 11315;
  const OTHER_ENTRIES = 5000;
  let server: { stop: () => void } | undefined;
  let store: CacheSessionStore | undefined;

  before(async function () {
    requireDjango(this);
    await requireService(this, MEMCACHED);
    server = await startMemcachedServers([PORT]);
    const socket = await connected(PORT);
    socket.write(Array.from({ length: OTHER_ENTRIES }, (_, i) => `set views.cache.page${i} 0 600 1 noreply\r\nx\r\n`).join(''));
    socket.end('quit\r\n');
    await new Promise((resolve) => socket.once('close', resolve));
  });

  after(async () => {
    await store?.close();
    server?.stop();
  });

  it("dumps the server once for a page of the sessions Django made, not once per thousand of the cache's other entries", async () => {
    const config = { secret_key: TEST_SECRET, engine: 'cache', cache: { BACKEND: 'django.core.cache.backends.memcached.PyMemcacheCache', LOCATION: `127.0.0.1:${PORT}` } };
    const made = runDjangoScript<{ key: string }[]>('cache_django.py', [], { config, ops: [1n, 2n, 3n].map((i) => ({ op: 'create', data: tag(new PyDict([['i', i]])) })) });
    store = await openCacheStore(cacheDescriptor(`memcached://127.0.0.1:${PORT}`));
    const before = await crawlerStarts(PORT);
    const page = await store.list({ limit: 100 });
    assert.deepEqual(page.sessions.map((s) => s.key).sort(), made.map((m) => m.key).sort());
    assert.equal(page.nextCursor, undefined);
    // Each step of a listing dumps the whole server: one step per 1000 entries of any kind made a large cache take minutes.
    assert.equal((await crawlerStarts(PORT)) - before, 1);
  });
});

function connected(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.once('error', reject);
    socket.connect(port, '127.0.0.1', () => resolve(socket));
  });
}

/** memcached's count of LRU crawls begun, each metadump among them. */
async function crawlerStarts(port: number): Promise<number> {
  const socket = await connected(port);
  socket.write('stats\r\n');
  let reply = '';
  for await (const chunk of socket) {
    reply += String(chunk);
    if (reply.includes('END\r\n')) {
      break;
    }
  }
  socket.destroy();
  const m = /STAT lru_crawler_starts (\d+)/.exec(reply);
  assert.ok(m, reply);
  return Number(m[1]);
}

describe("memcached while another client's LRU crawl runs", function () {
  it('waits that crawl out and lists, trying again instead of failing at once', async function () {
    await requireService(this, MEMCACHED);
    const servers = await startMemcachedServers([11316]);
    const holder = new Socket();
    try {
      const store = await openCacheStore(cacheDescriptor('memcached://127.0.0.1:11316'));
      const key = `busy${runTag()}abcdefgh`;
      try {
        await store.save(key, new PyDict([['a', 1n]]), { create: true });
        // Enough other entries that a dump read slowly lasts while the listing starts.
        const filled = new Socket();
        await new Promise<void>((resolve) => filled.connect(11316, '127.0.0.1', resolve));
        filled.write(Array.from({ length: 30000 }, (_, i) => `set other${i}${'p'.repeat(150)} 0 0 1 noreply\r\nx\r\n`).join('') + 'version\r\n');
        await new Promise((resolve) => filled.once('data', resolve));
        filled.destroy();
        await new Promise<void>((resolve) => holder.connect(11316, '127.0.0.1', resolve));
        // The other client reads its dump a little at a time, so its crawl stays running.
        holder.on('data', () => {
          holder.pause();
          setTimeout(() => holder.resume(), 20);
        });
        holder.write('lru_crawler metadump hash\r\n');
        await new Promise((resolve) => holder.once('data', resolve));
        let waits = 0;
        const backend = await MemcachedBackend.open('127.0.0.1:11316', 10000, async () => {
          waits++;
          // The other listing ends while this one waits.
          holder.destroy();
        });
        try {
          const keys: string[] = [];
          for await (const batch of backend.scanAll(1000, '*busy*')) keys.push(...batch.keys);
          assert.ok(waits >= 1, 'the first dump was not refused as busy');
          assert.deepEqual(keys, [`:1:django.contrib.sessions.cache${key}`]);
        } finally {
          await backend.close();
        }
      } finally {
        await store.close();
      }
    } finally {
      holder.destroy();
      servers.stop();
    }
  });
});
