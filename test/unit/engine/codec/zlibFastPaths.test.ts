import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { deflate } from 'pako';
import { b64urlEncode, encodeSessionData, pythonJsonStringify, timestampSign } from '../../../../engine/src/codec';
import { pyZlibCompress, pyZlibDecompress } from '../../../../engine/src/codec/zlibCodec';
import { literalOnlyZlibLength } from '../../../../engine/src/codec/zlibLiteralLength';
import { jsonSession } from './arbitraries';

/** Bytes over a small, skewed alphabet: many equal frequencies, so zlib's tie-breaks matter. */
const skewedBytes = fc
  .tuple(fc.integer({ min: 1, max: 255 }), fc.integer({ min: 0, max: 600 }), fc.integer())
  .map(([alphabet, length, seed]) => {
    const out = new Uint8Array(length);
    let x = seed | 1;
    for (let i = 0; i < length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const r = (x >>> 0) % 1000;
      out[i] = r < 500 ? r % Math.min(alphabet, 4) : r % alphabet;
    }
    return out;
  });

/** Bytes with no repeated 3-byte sequence, built greedily over a small alphabet. */
const tripleFreeBytes = fc.tuple(fc.integer({ min: 2, max: 40 }), fc.array(fc.nat(255), { maxLength: 900 })).map(([alphabet, picks]) => {
  const out: number[] = [];
  const seen = new Set<number>();
  for (const p of picks) {
    const c = p % alphabet;
    const n = out.length;
    if (n >= 2) {
      const triple = (out[n - 2] << 16) | (out[n - 1] << 8) | c;
      if (seen.has(triple)) continue;
      seen.add(triple);
    }
    out.push(c);
  }
  return Uint8Array.from(out);
});

describe('codec: zlib fast paths stay byte-identical to classic zlib (pako)', function () {
  this.timeout(120_000);

  it('the reused deflate state gives what a fresh pako.deflate gives, call after call', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(skewedBytes, tripleFreeBytes, fc.uint8Array({ maxLength: 20_000 })), { minLength: 1, maxLength: 8 }), (inputs) => {
        for (const input of inputs) assert.deepEqual(Buffer.from(pyZlibCompress(input)), Buffer.from(deflate(input)));
      }),
      { numRuns: 300 },
    );
    const big = new Uint8Array(70_000).map((_, i) => (i * 7919) % 251);
    for (const input of [big, new Uint8Array(16 * 1024 + 1).fill(3), Buffer.from('{"a":1}'), big.subarray(0, 999)]) {
      assert.deepEqual(Buffer.from(pyZlibCompress(input)), Buffer.from(deflate(input)));
    }
  });

  it('the literal-only length is exactly zlib.compress()’s length whenever it answers', () => {
    let answered = 0;
    fc.assert(
      fc.property(fc.oneof(tripleFreeBytes, skewedBytes, fc.uint8Array({ maxLength: 300 })), (input) => {
        const known = literalOnlyZlibLength(input);
        if (known === undefined) return;
        answered++;
        assert.equal(known, deflate(input).length);
      }),
      { numRuns: 3000 },
    );
    assert.ok(answered > 1000, `only ${answered} inputs took the literal-only path`);
  });

  it('declines data in which 3 bytes repeat, or that is longer than one small block', () => {
    assert.equal(literalOnlyZlibLength(Buffer.from('{"_auth_user_id":"1","_auth_user_hash":"x"}')), undefined);
    assert.equal(literalOnlyZlibLength(new Uint8Array(5000).map((_, i) => i)), undefined);
    assert.equal(literalOnlyZlibLength(Buffer.from('{"a":1}')), deflate(Buffer.from('{"a":1}')).length);
  });

  it('inflates in small chunks yet keeps the cap and the typed errors', () => {
    const json = Buffer.from(`{"k":"${'ab'.repeat(40_000)}"}`);
    const zipped = deflate(json);
    assert.ok(zipped.length * 8 < json.length, 'needs many chunks');
    assert.deepEqual(pyZlibDecompress(zipped, json.length), json);
    assert.throws(() => pyZlibDecompress(zipped, json.length - 1), { code: 'too-large' });
    assert.throws(() => pyZlibDecompress(zipped.subarray(0, zipped.length - 6), 1 << 20), { code: 'truncated' });
    assert.throws(() => pyZlibDecompress(Buffer.from('not zlib'), 1 << 20), { code: 'bad-zlib' });
  });

  it('encode compresses exactly when zlib.compress() is shorter by 2, fast path or not', () => {
    fc.assert(
      fc.property(jsonSession, (data) => {
        const json = Buffer.from(pythonJsonStringify(data), 'latin1');
        const zipped = deflate(json);
        const payload = json.length >= 10 && zipped.length < json.length - 1 ? `.${b64urlEncode(zipped)}` : b64urlEncode(json);
        const expected = timestampSign(payload, 'key', 'django.contrib.sessions.SessionStore', 'sha256', 1_700_000_000);
        assert.equal(encodeSessionData(data, { secretKeys: ['key'], nowSeconds: 1_700_000_000 }), expected);
      }),
      { numRuns: 1000 },
    );
  });
});
