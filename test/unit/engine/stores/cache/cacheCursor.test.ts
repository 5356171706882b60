import * as assert from 'node:assert/strict';
import { decodeCacheCursor, encodeCacheCursor } from '../../../../../engine/src/stores/cache/cacheCursor';
import { StoreError } from '../../../../../engine/src/stores/storeError';
import { PyDict } from '../../../../../engine/src/codec';
import { expiryDateOf } from '../../../../../engine/src/stores/sessionExpiry';
import { cacheDescriptor } from './cacheDescriptor';

describe('cache listing cursors and TTLs', () => {
  it('round-trips a position and refuses anything else', () => {
    for (const position of [{ skip: 0 }, { scanCursor: '17', skip: 3 }, { scanCursor: '2:9', skip: 0 }]) {
      assert.deepEqual(decodeCacheCursor(encodeCacheCursor(position)), { scanCursor: position.scanCursor, skip: position.skip });
    }
    for (const bad of ['', 'zzz', Buffer.from('["c1",1,2]').toString('base64url'), Buffer.from('["x",null,0]').toString('base64url'), Buffer.from('["c1",null,-1]').toString('base64url')]) {
      assert.throws(() => decodeCacheCursor(bad), (e: unknown) => e instanceof StoreError && e.code === 'bad-cursor');
    }
  });

  it('never carries a session key', () => {
    assert.ok(!Buffer.from(encodeCacheCursor({ scanCursor: '123', skip: 4 }), 'base64url').toString().includes('sessions'));
  });

  it("computes the TTL as Django's get_expiry_age()", () => {
    const d = cacheDescriptor('redis://h');
    const now = new Date(Date.UTC(2026, 0, 1));
    const expiryAgeSeconds = (data: PyDict, descriptor: typeof d, at: Date) => Math.floor((expiryDateOf(data, descriptor, at).getTime() - at.getTime()) / 1000);
    assert.equal(expiryAgeSeconds(new PyDict(), d, now), 1209600);
    assert.equal(expiryAgeSeconds(new PyDict([['_session_expiry', 300n]]), d, now), 300);
    assert.equal(expiryAgeSeconds(new PyDict([['_session_expiry', 0n]]), d, now), 1209600);
    assert.equal(expiryAgeSeconds(new PyDict([['_session_expiry', '2026-01-01T00:10:00.500000+00:00']]), d, now), 600);
  });
});
