import * as assert from 'node:assert/strict';
import { storeLabel } from '../../../server/src/storeLabel';
import { cacheDescriptor } from '../engine/stores/cache/cacheDescriptor';

describe('store labels', () => {
  it("name a store's cache by what it is: Django's LocMemCache is local memory, not memcached", () => {
    const label = (backend: string) => storeLabel({ ...cacheDescriptor('redis://127.0.0.1:6379/1'), cache: { ...cacheDescriptor('redis://127.0.0.1:6379/1').cache!, backend } });
    assert.equal(label('django.core.cache.backends.redis.RedisCache'), 'cache · Redis');
    assert.equal(label('django.core.cache.backends.memcached.PyMemcacheCache'), 'cache · memcached');
    assert.equal(label('django.core.cache.backends.locmem.LocMemCache'), 'cache · local memory');
  });
});
