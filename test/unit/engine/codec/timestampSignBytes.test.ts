import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { b64urlEncode, timestampSign } from '../../../../engine/src/codec';
import { timestampSignBytes } from '../../../../engine/src/codec/timestampSignBytes';

describe('codec: signing payload bytes gives what signing their base64 text gives', () => {
  it('matches TimestampSigner.sign over b64_encode(payload), compressed or not, at every length', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 3000 }),
        fc.boolean(),
        fc.string({ minLength: 1, maxLength: 60 }),
        fc.string({ maxLength: 40 }),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        (payload, compressed, secret, salt, now) => {
          const text = `${compressed ? '.' : ''}${b64urlEncode(payload)}`;
          assert.equal(timestampSignBytes(payload, compressed, secret, salt, now), timestampSign(text, secret, salt, 'sha256', now));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('is right around the lengths where the HMAC changes path and the buffer grows', () => {
    for (let n = 0; n < 200; n++) {
      const payload = Uint8Array.from({ length: n * 7 }, (_, i) => (i * 131 + n) & 0xff);
      for (const compressed of [false, true]) {
        const text = `${compressed ? '.' : ''}${b64urlEncode(payload)}`;
        assert.equal(timestampSignBytes(payload, compressed, 'key', 'django.contrib.sessions.SessionStore', 1_700_000_000.7), timestampSign(text, 'key', 'django.contrib.sessions.SessionStore', 'sha256', 1_700_000_000.7));
      }
    }
  });
});
