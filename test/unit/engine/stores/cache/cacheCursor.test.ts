import * as assert from 'node:assert/strict';
import { decodeCacheCursor, encodeCacheCursor, shortFingerprint } from '../../../../../engine/src/stores/cache/cacheCursor';
import { StoreError } from '../../../../../engine/src/stores/storeError';
import { PyDict } from '../../../../../engine/src/codec';
import { expiryDateOf } from '../../../../../engine/src/stores/sessionExpiry';
import { cacheDescriptor } from './cacheDescriptor';

describe('cache listing cursors and TTLs', () => {
  it('round-trips a position and refuses anything else', () => {
    const handled = ['p:1:django.contrib.sessions.cacheabc', 'p:1:other'].map(shortFingerprint);
    assert.ok(handled.every((f) => /^[A-Za-z0-9_-]{8}$/.test(f)));
    for (const position of [{}, { scanCursor: '17', handled }, { scanCursor: '2:9', handled: [] }]) {
      assert.deepEqual(decodeCacheCursor(encodeCacheCursor(position)), { scanCursor: position.scanCursor, handled: position.handled ?? [] });
    }
    const bad = ['', 'zzz', '["c3",1,""]', '["x",null,""]', '["c3",null,"abc"]', '["c3",null,"abcdefg!"]', '["c2",null,null]'].map((s, i) => (i < 2 ? s : Buffer.from(s).toString('base64url')));
    for (const cursor of bad) {
      assert.throws(() => decodeCacheCursor(cursor), (e: unknown) => e instanceof StoreError && e.code === 'bad-cursor');
    }
  });

  it('never carries a session key', () => {
    assert.ok(!Buffer.from(encodeCacheCursor({ scanCursor: '123', handled: [shortFingerprint('p:1:django.contrib.sessions.cacheabc')] }), 'base64url').toString().includes('sessions'));
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
