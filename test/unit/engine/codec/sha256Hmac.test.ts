import * as assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { decodeSessionData, encodeSessionData, PyDict, signerSignature } from '../../../../engine/src/codec';
import { digestBase64url, digestMatchesBase64url, digestMatchesBase64urlBytes, hmacSha256Ascii, hmacSha256Bytes, hmacSha256Pads } from '../../../../engine/src/codec/sha256Hmac';

const asciiText = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 280 });

describe('codec: the pure-TypeScript HMAC-SHA256 fast path', function () {
  this.timeout(60_000);

  it('equals createHmac for every ASCII length it takes, and declines longer or non-ASCII text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), asciiText, fc.string({ maxLength: 4 }), (key, text, tail) => {
        const out = new Int32Array(8);
        const taken = hmacSha256Ascii(hmacSha256Pads(key), text + tail, text.length, out);
        if (!taken) {
          assert.ok(text.length > 247, `declined ${text.length} ASCII chars`);
          return;
        }
        const expected = createHmac('sha256', key).update(text, 'utf8').digest('base64url');
        assert.equal(digestBase64url(out), expected);
        assert.ok(digestMatchesBase64url(out, `${tail}${expected}`, tail.length));
      }),
      { numRuns: 2000 },
    );
    for (let n = 0; n <= 247; n++) {
      const text = 'a:'.repeat(130).slice(0, n);
      const out = new Int32Array(8);
      assert.ok(hmacSha256Ascii(hmacSha256Pads(Buffer.from('k')), text, n, out), `length ${n}`);
      assert.equal(digestBase64url(out), createHmac('sha256', 'k').update(text).digest('base64url'), `length ${n}`);
    }
    assert.equal(hmacSha256Ascii(hmacSha256Pads(Buffer.from('k')), 'x'.repeat(248), 248, new Int32Array(8)), false);
    assert.equal(hmacSha256Ascii(hmacSha256Pads(Buffer.from('k')), 'caf\u00e9', 4, new Int32Array(8)), false);
  });

  it('over bytes, equals createHmac for random keys and every length, in JS or with the native inner hash', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.oneof(fc.uint8Array({ maxLength: 320 }), fc.uint8Array({ minLength: 230, maxLength: 5000 })),
        fc.uint8Array({ maxLength: 8 }),
        (key, message, tail) => {
          const out = new Int32Array(8);
          const bytes = Buffer.concat([message, tail]);
          hmacSha256Bytes(hmacSha256Pads(key), bytes, message.length, out);
          const expected = createHmac('sha256', key).update(message).digest('base64url');
          assert.equal(digestBase64url(out), expected);
          assert.ok(digestMatchesBase64urlBytes(out, Buffer.concat([tail, Buffer.from(expected)]), tail.length));
        },
      ),
      { numRuns: 2000 },
    );
    const key = Buffer.from('k');
    for (const n of [...Array(320).keys(), 1023, 1024, 1025, 70_000, (1 << 20) + 1]) {
      const message = Buffer.alloc(n, 0xa5);
      const out = new Int32Array(8);
      hmacSha256Bytes(hmacSha256Pads(key), message, n, out);
      assert.equal(digestBase64url(out), createHmac('sha256', key).update(message).digest('base64url'), `length ${n}`);
    }
  });

  it('rejects a signature differing anywhere, including in the unused low bits of its last char', () => {
    const out = new Int32Array(8);
    hmacSha256Ascii(hmacSha256Pads(Buffer.from('key')), 'value', 5, out);
    const good = digestBase64url(out);
    for (let i = 0; i < good.length; i++) {
      const flipped = good.slice(0, i) + (good[i] === 'A' ? 'B' : 'A') + good.slice(i + 1);
      assert.equal(digestMatchesBase64url(out, flipped, 0), false, `position ${i}`);
      assert.equal(digestMatchesBase64urlBytes(out, Buffer.from(flipped), 0), false, `position ${i}`);
    }
    assert.equal(digestMatchesBase64url(out, good, 0), true);
  });

  it('signs and verifies as the native path does, with non-ASCII and long values going native', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom('s3cret', 'kéy', 'x'.repeat(80)), (value, secret) => {
        const expected = createHmac('sha256', createHash('sha256').update(`saltsigner${secret}`, 'utf8').digest()).update(value, 'utf8').digest('base64url');
        assert.equal(signerSignature('salt', value, secret, 'sha256'), expected);
      }),
      { numRuns: 500 },
    );
    const data = new PyDict([['k', 'v']]);
    const encoded = encodeSessionData(data, { secretKeys: ['new'] });
    assert.equal(decodeSessionData(encoded, { secretKeys: ['other', 'new'] }).keyIndex, 1);
    assert.equal(decodeSessionData(encoded, { secretKeys: ['other'] }).signature, 'invalid');
  });
});

