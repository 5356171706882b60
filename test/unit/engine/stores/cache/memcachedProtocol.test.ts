import * as assert from 'node:assert/strict';
import { parseMemcachedLocation } from '../../../../../engine/src/stores/cache/memcached/memcachedBackend';
import { MEMCACHED_RELATIVE_TTL_LIMIT, memcachedExpiration } from '../../../../../engine/src/stores/cache/memcached/memcachedTtl';
import { parseMetadumpLine } from '../../../../../engine/src/stores/cache/memcached/metadumpLine';
import { murmur3_32 } from '../../../../../engine/src/stores/cache/memcached/murmur3';
import { rendezvousNode } from '../../../../../engine/src/stores/cache/memcached/rendezvousHash';

describe('memcached protocol details', () => {
  it("applies memcached's 30-day rule as Django's get_backend_timeout does", () => {
    const now = Date.UTC(2026, 0, 1);
    assert.equal(memcachedExpiration(1209600, now), 1209600);
    assert.equal(memcachedExpiration(MEMCACHED_RELATIVE_TTL_LIMIT, now), MEMCACHED_RELATIVE_TTL_LIMIT);
    assert.equal(memcachedExpiration(MEMCACHED_RELATIVE_TTL_LIMIT + 1, now), now / 1000 + MEMCACHED_RELATIVE_TTL_LIMIT + 1);
  });

  it('parses metadump lines, URL-decoding keys', () => {
    assert.deepEqual(parseMetadumpLine('key=%3A1%3Adjango.contrib.sessions.cacheabc exp=1700000000 la=1 cas=2 fetch=no cls=1 size=80'), {
      key: ':1:django.contrib.sessions.cacheabc',
      exp: 1700000000,
    });
    assert.deepEqual(parseMetadumpLine('key=x exp=-1 la=1 cas=2 fetch=no cls=1 size=80'), { key: 'x', exp: undefined });
    assert.equal(parseMetadumpLine('ERROR'), undefined);
    assert.deepEqual(parseMetadumpLine('key=%FF%FE exp=1 la=1'), { key: '%FF%FE', exp: 1 }, 'a non-UTF-8 key stays encoded');
  });

  it('parses server locations as pymemcache normalises them', () => {
    assert.deepEqual(parseMemcachedLocation('127.0.0.1:11211'), { host: '127.0.0.1', port: 11211 });
    assert.deepEqual(parseMemcachedLocation('memcached://cache'), { host: 'cache', port: 11211 });
    assert.deepEqual(parseMemcachedLocation('[::1]:11222'), { host: '::1', port: 11222 });
    assert.throws(() => parseMemcachedLocation('a:b:c/d'));
  });

  it("hashes with pymemcache's murmur3_32 (vectors from pymemcache 3.5.2)", () => {
    const vectors: [string, number][] = [
      ['', 0],
      ['a', 1009084850],
      ['ab', 2613040991],
      ['abc', 3017643002],
      ['abcd', 1139631978],
      ['hello world', 1586663183],
      ['127.0.0.1:11211-:1:django.contrib.sessions.cacheabc', 3148054148],
    ];
    for (const [text, hash] of vectors) {
      assert.equal(murmur3_32(text), hash, text);
    }
  });

  it("places keys on the server pymemcache's RendezvousHash picks", () => {
    const nodes = ['127.0.0.1:11211', '127.0.0.1:11212', '127.0.0.1:11213'];
    const picked = Array.from({ length: 20 }, (_, i) => rendezvousNode(nodes, `:1:django.contrib.sessions.cache${String(i).padStart(32, '0')}`)?.slice(-1));
    assert.deepEqual(picked.join(''), '31123233313212111231');
    assert.equal(rendezvousNode([], 'k'), undefined);
  });
});
