import * as assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { PyDict, pickleDumps } from '../../engine/src/codec';
import type { CachedDbSessionStore } from '../../engine/src/stores/cachedDb/cachedDbSessionStore';
import { TEST_SECRET } from '../unit/engine/stores/cache/cacheDescriptor';
import { cachedDbRedis, type CachedDbRedis } from './cachedDbRedis';
import { cli, cliProject } from './cliRun';
import { POSTGRES, REDIS, requireService, runTag } from './localServices';
import { normalizeTagged, tag, type Tagged } from './codecTagged';
import { requireDjango, requireDjango52 } from './realDjango';

const DB_INDEX = 4;

for (const version of ['3.2', '5.2'] as const) {
  describe(`cached_db sessions over PostgreSQL + Redis, against real Django ${version}`, function () {
    let name: string;
    let store: CachedDbSessionStore;
    let raw: Redis;
    let stores: CachedDbRedis;

    const django = <T = Record<string, unknown>>(ops: object[]): T[] => stores.django<T>(ops);

    before(async function () {
      requireDjango(this);
      const djangoPath = version === '5.2' ? requireDjango52(this) : undefined;
      await requireService(this, REDIS);
      await requireService(this, POSTGRES);
      name = runTag();
      stores = cachedDbRedis(name, DB_INDEX, djangoPath);
      await stores.create();
      raw = new Redis({ host: '127.0.0.1', port: 6379, db: DB_INDEX, lazyConnect: true });
      await raw.connect();
      store = await stores.open();
    });

    after(async () => {
      await store?.close();
      raw?.disconnect();
      if (name) {
        await stores.remove();
      }
    });

    it('reads what Django wrote (row and cache in sync) and reports drift, one query at a time', async () => {
      // pg warns (once per process) when a query is sent while another is running on the client.
      const warnings: string[] = [];
      const onWarning = (w: Error) => warnings.push(w.message);
      process.on('warning', onWarning);
      const [made] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['_auth_user_id', '3'], ['a', 1n]])) }]);
      const key = made?.key as string;
      const page = await store.list({ limit: 10 });
      const listed = page.sessions.find((s) => s.key === key);
      assert.ok(listed?.decoded.ok);
      assert.equal(listed.decoded.session.data.get('a'), 1n);
      assert.equal(listed.cacheState, 'in-sync');

      django([{ op: 'cache_set', key, data: tag(new PyDict([['a', 2n]])), timeout: 600 }]);
      const drifted = await store.get(key);
      assert.equal(drifted?.cacheState, 'drift');
      assert.equal(drifted?.decoded.ok && drifted.decoded.session.data.get('a'), 1n, 'the record is the row');
      assert.equal(drifted?.served?.ok && drifted.served.session.data.get('a'), 2n, 'with what Django serves from the cache');
      const orphan = `orphan${runTag()}abcdefghij`;
      django([{ op: 'cache_set', key: orphan, data: tag(new PyDict([['ghost', true]])), timeout: 600 }]);
      // In-sync sessions too, so that a page of cache entries has several rows to look up.
      django([{ op: 'create', data: tag(new PyDict([['b', 1n]])) }, { op: 'create', data: tag(new PyDict([['b', 2n]])) }]);
      const found = [];
      let cursor: string | undefined;
      do {
        const page = await store.listCacheDrift({ limit: 50, cursor });
        found.push(...page.sessions);
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(found.map((r) => [r.key, r.cacheState]).sort(), [[key, 'drift'], [orphan, 'orphan']].sort());
      const served = found.find((r) => r.key === key)!;
      assert.equal(served.decoded.ok && served.decoded.session.data.get('a'), 2n, 'Cache out of sync lists what Django serves');

      // The CLI shows the same, from the store URL a user would type.
      const cliArgs = ['--project', cliProject({ secret: TEST_SECRET, use_tz: true, time_zone: 'UTC' }), '--store', `postgres://postgres@127.0.0.1:5432/${name}?cache=${encodeURIComponent(stores.cacheUrl)}`];
      const driftJson = await cli([...cliArgs, '--json', 'list', '--cache-drift']);
      assert.equal(driftJson.code, 0, driftJson.err);
      const rows = (JSON.parse(driftJson.out) as { stores: Array<{ sessions: Array<{ session_key: string; cache_state: string }> }> }).stores[0]!.sessions;
      assert.deepEqual(rows.map((r) => [r.session_key, r.cache_state]).sort(), [[key, 'drift'], [orphan, 'orphan']].sort());
      const text = await cli([...cliArgs, 'list', '--cache-drift', '--show-keys']);
      assert.match(text.out, new RegExp(`^${orphan} .*\\[cache orphan: `, 'm'));
      assert.equal((await cli([...cliArgs, 'list', '--cache-drift', '--user', '3'])).code, 2, 'no filters with --cache-drift');
      const shown = await cli([...cliArgs, 'show', key]);
      assert.match(shown.out, /^\{.*'a': 1\}\ncache {5}drift: The cache holds different data from the row; .* Django serves:\n\{'a': 2\}\n$/m);
      const value = await cli([...cliArgs, 'get', key, 'a']);
      assert.deepEqual([value.code, value.out.trim()], [0, '1']);
      assert.match(value.err, /this is the row's value; the session's cache entry differs from its row, and Django serves the cache entry/);
      const shownJson = JSON.parse((await cli([...cliArgs, '--json', 'show', key])).out) as { data: unknown; served: unknown };
      assert.deepEqual([shownJson.data, shownJson.served], [{ _auth_user_id: '3', a: 1 }, { a: 2 }]);
      assert.equal((await store.get(orphan))?.cacheState, 'orphan');
      assert.equal(await store.delete(orphan), true, 'deleting an orphan removes its cache entry');
      django([{ op: 'cache_delete', key }]);
      assert.equal((await store.get(key))?.cacheState, 'miss');
      process.removeListener('warning', onWarning);
      assert.deepEqual(warnings.filter((w) => /already executing a query/.test(w)), []);
    });

    it('invalidates the cache on every write, so Django serves the new row', async () => {
      const [made] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['v', 1n]])) }]);
      const key = made?.key as string;
      const cacheKey = `${name}:1:django.contrib.sessions.cached_db${key}`;
      assert.ok(await raw.exists(cacheKey), 'Django filled the cache');
      await store.update(key, (d) => d.set('v', 2n));
      assert.equal(await raw.exists(cacheKey), 0, 'our write removed the cache entry');
      let [seen] = django<{ exists: boolean; data: Tagged }>([{ op: 'load', key }]);
      assert.deepEqual(normalizeTagged(seen?.data as Tagged), normalizeTagged(tag(new PyDict([['v', 2n]]))));

      await store.setExpiry(key, { kind: 'seconds', seconds: 500 });
      const [withExpiry] = django<{ expiry_age: number }>([{ op: 'load', key }]);
      assert.equal(withExpiry?.expiry_age, 500);

      const cycled = await store.cycleKey(key);
      [seen] = django<{ exists: boolean; data: Tagged }>([{ op: 'load', key }]);
      assert.equal(seen?.exists, false, 'the old key is gone from row and cache');
      assert.equal(await store.delete(cycled.key), true);
      [seen] = django<{ exists: boolean; data: Tagged }>([{ op: 'load', key: cycled.key }]);
      assert.equal(seen?.exists, false);
    });

    it('undoes the stale refill of a Django request that read the row before our write or delete', async () => {
      const [made] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['v', 1n]])) }]);
      const key = made?.key as string;
      const v1 = normalizeTagged(tag(new PyDict([['v', 1n]])));
      django([{ op: 'cache_delete', key }]);
      // The refill lands 1 s after the row read, after our write's own deletes, before the late one (2 s).
      let load = stores.slowLoad(key, 1);
      await load.rowRead;
      await store.update(key, (d) => d.set('v', 2n));
      await load.done;
      let [cached] = django<{ value: Tagged | null }>([{ op: 'cache_get', key }]);
      assert.deepEqual(normalizeTagged(cached?.value as Tagged), v1, 'Django refilled the cache with the old row');
      await store.settled();
      let [seen] = django<{ exists: boolean; data: Tagged }>([{ op: 'load', key }]);
      assert.deepEqual(normalizeTagged(seen?.data as Tagged), normalizeTagged(tag(new PyDict([['v', 2n]]))), 'Django serves our write');

      django([{ op: 'cache_delete', key }]);
      load = stores.slowLoad(key, 1);
      await load.rowRead;
      assert.equal(await store.delete(key), true);
      await load.done;
      [cached] = django<{ value: Tagged | null }>([{ op: 'cache_get', key }]);
      assert.notEqual(cached?.value, null, 'Django refilled the cache with the deleted row');
      await store.settled();
      [seen] = django<{ exists: boolean; data: Tagged }>([{ op: 'load', key }]);
      assert.equal(seen?.exists, false, 'Django no longer serves the deleted session');
    });

    it('edits a session whose cache entry differs from its row as a Django request would: from what Django serves', async () => {
      const [made] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['v', 'row']])) }]);
      const key = made?.key as string;
      django([{ op: 'cache_set', key, data: tag(new PyDict([['v', 'cached']])), timeout: 600 }]);
      assert.equal((await store.get(key))?.cacheState, 'drift');
      await store.update(key, (d) => d.set('extra', 1n));
      await store.settled();
      const [seen] = django<{ exists: boolean; data: Tagged }>([{ op: 'load', key }]);
      assert.deepEqual(normalizeTagged(seen?.data as Tagged), normalizeTagged(tag(new PyDict([['v', 'cached'], ['extra', 1n]]))), "Django still serves the value it served, and the edit");
      assert.equal((await store.get(key))?.cacheState, 'in-sync');
      assert.equal(await store.delete(key), true);
    });

    it("keeps a save Django made while its cache set was still to come: the edit starts from the new row, not the entry about to be replaced", async () => {
      const [made] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['step', 'django-1']])) }]);
      const key = made?.key as string;
      // Django commits the row, and sets the cache 0.1 s later: our edit reads in between.
      const save = stores.slowSave(key, new PyDict([['step', 'django-2']]), 0.1);
      await save.rowWritten;
      await store.update(key, (d) => d.set('note', 'ours'));
      await save.done;
      await store.settled();
      const [seen] = django<{ exists: boolean; data: Tagged }>([{ op: 'load', key }]);
      assert.deepEqual(normalizeTagged(seen?.data as Tagged), normalizeTagged(tag(new PyDict([['step', 'django-2'], ['note', 'ours']]))), "Django's save and our edit both");
      assert.equal(await store.delete(key), true);
    });

    it('starts an edit from the row, not from a stale refill of the cache just after a change of ours', async () => {
      const [made] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['v', 1n]])) }]);
      const key = made?.key as string;
      django([{ op: 'cache_delete', key }]);
      // A Django request reads the row (v=1) before our first edit and refills the cache with it after.
      const load = stores.slowLoad(key, 1);
      await load.rowRead;
      await store.update(key, (d) => d.set('v', 2n));
      await load.done;
      // The second edit comes before our late delete of that refill: it must not start from v=1.
      await store.update(key, (d) => d.set('extra', 1n));
      await store.settled();
      const [seen] = django<{ exists: boolean; data: Tagged }>([{ op: 'load', key }]);
      assert.deepEqual(normalizeTagged(seen?.data as Tagged), normalizeTagged(tag(new PyDict([['v', 2n], ['extra', 1n]]))));
      assert.equal(await store.delete(key), true);
    });

    it('refuses to edit a session only the cache holds, and Django keeps serving it', async () => {
      const orphan = `orphan${runTag()}abcdefghijkl`;
      django([{ op: 'cache_set', key: orphan, data: tag(new PyDict([['_auth_user_id', '5']])), timeout: 600 }]);
      for (const edit of [() => store.update(orphan, (d) => d.set('x', 1n)), () => store.clear(orphan), () => store.setExpiry(orphan, { kind: 'seconds', seconds: 60 }), () => store.cycleKey(orphan)]) {
        await assert.rejects(edit(), (err: Error & { code?: string }) => err.code === 'write-refused' && /only in the cache.*fails any save/.test(err.message));
      }
      await store.settled();
      const [seen] = django<{ exists: boolean; data: Tagged }>([{ op: 'load', key: orphan }]);
      assert.deepEqual(normalizeTagged(seen?.data as Tagged), normalizeTagged(tag(new PyDict([['_auth_user_id', '5']]))));
      // What the refusal says: Django's save updates the row with force_update, and there is none.
      assert.throws(() => django([{ op: 'update', key: orphan, data: tag(new PyDict([['x', 1n]])) }]), /UpdateError/);
      assert.equal(await store.delete(orphan), true);
    });

    it('clears expired rows and their cache entries, and logs a user out everywhere', async () => {
      const [a, b, c] = django<{ key: string }>([
        { op: 'create', data: tag(new PyDict([['_auth_user_id', '9']])) },
        { op: 'create', data: tag(new PyDict([['_auth_user_id', '9']])) },
        { op: 'create', data: tag(new PyDict([['x', 1n]])) },
      ]);
      await store.setExpiry(c?.key as string, { kind: 'now' });
      await raw.set(`${name}:1:django.contrib.sessions.cached_db${c?.key}`, Buffer.from(pickleDumps(new PyDict([['x', 1n]]), 4)), 'EX', 600);
      assert.ok((await store.clearExpired()) >= 1);
      let [seen] = django<{ exists: boolean }>([{ op: 'load', key: c?.key }]);
      assert.equal(seen?.exists, false, 'Django does not serve the expired session from a stale cache entry');
      // A cache entry without a row is still a session to Django, which trusts a cache hit.
      const orphan = `orphan${runTag()}abcdefghijklmnop`;
      await raw.set(`${name}:1:django.contrib.sessions.cached_db${orphan}`, Buffer.from(pickleDumps(new PyDict([['_auth_user_id', '9']]), 4)), 'EX', 600);
      [seen] = django<{ exists: boolean }>([{ op: 'load', key: orphan }]);
      assert.equal(seen?.exists, true, 'Django serves the orphan entry');
      // A stale cache entry naming user 9 over a row of user 4: Django serves user 9 until it is dropped.
      const [d] = django<{ key: string }>([{ op: 'create', data: tag(new PyDict([['_auth_user_id', '4']])) }]);
      await raw.set(`${name}:1:django.contrib.sessions.cached_db${d?.key}`, Buffer.from(pickleDumps(new PyDict([['_auth_user_id', '9']]), 4)), 'EX', 600);
      // The preview names the sessions the logout deletes, the orphan entry among them, and deletes none.
      const found: string[] = [];
      assert.equal(await store.findByUser('9', { onFound: (record) => void found.push(record.key) }), 3);
      assert.deepEqual(found.sort(), [a?.key, b?.key, orphan].sort(), 'the row of user 4 is not found as the user\'s');
      [seen] = django<{ exists: boolean }>([{ op: 'load', key: orphan }]);
      assert.equal(seen?.exists, true, 'the preview deleted nothing');
      const deletedKeys: string[] = [];
      assert.equal(await store.deleteByUser('9', { onDeleted: async (key) => void deletedKeys.push(key) }), 3);
      assert.deepEqual(deletedKeys.sort(), [a?.key, b?.key, orphan].sort(), 'the row of user 4 is not counted as deleted');
      const [served] = django<{ exists: boolean; data: Tagged }>([{ op: 'load', key: d?.key }]);
      assert.deepEqual(normalizeTagged(served?.data as Tagged), normalizeTagged(tag(new PyDict([['_auth_user_id', '4']]))), 'Django serves the row again, not the stale entry');
      for (const key of [a?.key, b?.key, orphan]) {
        [seen] = django<{ exists: boolean }>([{ op: 'load', key }]);
        assert.equal(seen?.exists, false, `Django no longer serves ${key}`);
      }
    });
  });
}
