import * as assert from 'node:assert/strict';
import { parseStoreUrl, storeUrlDefaults } from '../../../../engine/src';
import { tableOnlyCache } from '../../../../engine/src/stores/cachedDb/tableOnlyCachedDbStore';

describe('tableOnlyCache', () => {
  const table = parseStoreUrl('sqlite:db.sqlite3', '/proj', storeUrlDefaults(undefined));
  const on = (backend: string, locations: string[] = []) => tableOnlyCache({ ...table, engine: 'cached_db', cache: { alias: 'default', backend, locations, keyPrefix: '', version: 1 } });

  it('reads cached_db through its table alone where the cache is not opened beside it, refusing changes unless it caches nothing', () => {
    assert.deepEqual(on('django.core.cache.backends.dummy.DummyCache'), {});
    const rest = ': Django serves each session from that cache before the table and saves its copy back over the row, so a change made here could be undone. Sessions are read from the table; to change them here, give the session cache a Redis or memcached backend (or DummyCache, which caches nothing).';
    assert.deepEqual(on('django.core.cache.backends.locmem.LocMemCache'), { refusal: `The session cache is LocMemCache, which each Django process keeps to itself${rest}` });
    assert.deepEqual(on('django.core.cache.backends.filebased.FileBasedCache', ['/var/tmp/cache']), { refusal: `The session cache is FileBasedCache, which this tool does not open${rest}` });
    assert.deepEqual(on('django.core.cache.backends.db.DatabaseCache', ['cache_table']), { refusal: `The session cache is DatabaseCache, which this tool does not open${rest}` });
  });

  it('leaves the caches opened beside the table to the cached_db store', () => {
    assert.equal(on('django_redis.cache.RedisCache', ['redis://127.0.0.1:6379/1']), undefined);
    assert.equal(on('django.core.cache.backends.memcached.PyMemcacheCache', ['127.0.0.1:11211']), undefined);
  });
});
