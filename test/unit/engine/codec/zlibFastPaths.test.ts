import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { deflateSync, inflateSync } from 'node:zlib';
import { deflate } from 'pako';
import { b64urlEncode, encodeSessionData, pythonJsonStringify, timestampSign } from '../../../../engine/src/codec';
import { pyZlibCompress, pyZlibDecompress } from '../../../../engine/src/codec/zlibCodec';
import { deflateSmall, MAX_FAST_DEFLATE } from '../../../../engine/src/codec/zlibDeflate';
import { inflateCommon } from '../../../../engine/src/codec/zlibInflate';
import { jsonSession } from './arbitraries';
import { textWithCopies, withoutRepeatedTriples } from './deflateInputs';
import { xorshift } from './xorshift';

/** Bytes over a small, skewed alphabet: many equal frequencies, so zlib's tie-breaks matter. */
const skewedBytes = fc
  .tuple(fc.integer({ min: 1, max: 255 }), fc.integer({ min: 0, max: 600 }), fc.integer())
  .map(([alphabet, length, seed]) => {
    const out = new Uint8Array(length);
    const next = xorshift(seed);
    for (let i = 0; i < length; i++) {
      const r = next() % 1000;
      out[i] = r < 500 ? r % Math.min(alphabet, 4) : r % alphabet;
    }
    return out;
  });

/** Text with many repeats at all distances, as JSON sessions have: exercises matches, lazy evaluation and long chains. */
const repetitiveBytes = fc
  .tuple(fc.integer({ min: 2, max: 90 }), fc.integer({ min: 0, max: 3000 }), fc.integer(), fc.integer({ min: 0, max: 100 }))
  .map(([alphabet, length, seed, copyPercent]) => textWithCopies(alphabet, length, seed, copyPercent, 5000));

/** Bytes with no repeated 3-byte sequence, built greedily over a small alphabet. */
const tripleFreeBytes = fc
  .tuple(fc.integer({ min: 2, max: 40 }), fc.array(fc.nat(255), { maxLength: 900 }))
  .map(([alphabet, picks]) => withoutRepeatedTriples(picks.map((p) => p % alphabet)));

describe('codec: zlib fast paths stay byte-identical to classic zlib (pako)', function () {
  this.timeout(120_000);

  it('our deflate and the reused pako state give what a fresh pako.deflate gives, call after call', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(skewedBytes, tripleFreeBytes, repetitiveBytes, fc.uint8Array({ maxLength: 20_000 })), { minLength: 1, maxLength: 8 }),
        (inputs) => {
          for (const input of inputs) assert.deepEqual(Buffer.from(pyZlibCompress(input)!), Buffer.from(deflate(input)));
        },
      ),
      { numRuns: 400 },
    );
    const big = new Uint8Array(70_000).map((_, i) => (i * 7919) % 251);
    const edges = [big, new Uint8Array(16 * 1024 + 1).fill(3), Buffer.from('{"a":1}'), big.subarray(0, 999), big.subarray(0, MAX_FAST_DEFLATE), big.subarray(0, MAX_FAST_DEFLATE + 1)];
    for (const input of [...edges, new Uint8Array(0), Uint8Array.of(7), Uint8Array.of(7, 7), new Uint8Array(MAX_FAST_DEFLATE).fill(0)]) {
      assert.deepEqual(Buffer.from(pyZlibCompress(input)!), Buffer.from(deflate(input)));
    }
  });

  it('answers "not below" exactly when zlib.compress() is not shorter than the limit, without writing', () => {
    fc.assert(
      fc.property(fc.oneof(tripleFreeBytes, skewedBytes, repetitiveBytes, fc.uint8Array({ maxLength: 300 })), fc.integer({ min: -3, max: 3 }), (input, delta) => {
        const length = deflate(input).length;
        const zipped = deflateSmall(input, length + delta);
        if (delta <= 0) assert.equal(zipped, undefined);
        else assert.deepEqual(Buffer.from(zipped!), Buffer.from(deflate(input)));
      }),
      { numRuns: 3000 },
    );
  });

  it('our inflate gives what native zlib gives, and leaves every doubtful stream to it', () => {
    const streams = fc
      .tuple(
        fc.oneof(skewedBytes, repetitiveBytes, fc.uint8Array({ maxLength: 2000 })),
        fc.constantFrom(0, 1, 6, 9),
        fc.constantFrom(0, 1, 2, 3, 4),
        fc.boolean(),
      )
      .map(([input, level, strategy, usePako]) => ({
        input,
        zipped: usePako ? deflate(input, { level: level as 0 | 1 | 6 | 9, strategy }) : new Uint8Array(deflateSync(input, { level, strategy })),
      }));
    let taken = 0;
    fc.assert(
      fc.property(streams, fc.nat(), fc.integer({ min: 0, max: 3 }), ({ input, zipped }, at, corruption) => {
        const whole = inflateCommon(zipped, 1 << 24);
        assert.ok(whole, 'a well-formed zlib stream is decoded');
        assert.deepEqual(Buffer.from(whole), Buffer.from(input));
        taken++;
        const bad = Uint8Array.from(zipped);
        let candidate: Uint8Array = bad;
        if (corruption === 0) bad[at % bad.length] ^= 1 << (at % 8);
        else if (corruption === 1) candidate = bad.subarray(0, at % bad.length);
        else if (corruption === 2) bad[2 + (at % Math.max(1, bad.length - 2))] = at & 0xff;
        else candidate = Buffer.concat([bad, Buffer.from('trailing')]);
        let expected: Buffer | undefined;
        try {
          expected = inflateSync(candidate, { maxOutputLength: 1 << 24 });
        } catch {
          expected = undefined;
        }
        const got = inflateCommon(candidate, 1 << 24);
        if (got) assert.deepEqual(Buffer.from(got), expected);
        if (input.length > 1) assert.equal(inflateCommon(zipped, input.length - 1), undefined, 'over the cap it defers');
      }),
      { numRuns: 1500 },
    );
    assert.ok(taken > 1000);
  });

  it('inflates through the public path with its cap and errors, whichever decoder answers', () => {
    const json = Buffer.from('{"_auth_user_id":"1","cart":[1,2,3,1,2,3,1,2,3]}');
    const zipped = deflate(json);
    assert.deepEqual(Buffer.from(pyZlibDecompress(zipped, json.length)), json);
    assert.throws(() => pyZlibDecompress(zipped, json.length - 1), { code: 'too-large' });
    assert.throws(() => pyZlibDecompress(zipped.subarray(0, zipped.length - 3), 1 << 20), { code: 'truncated' });
    const badCheck = Uint8Array.from(zipped);
    badCheck[badCheck.length - 1] ^= 1;
    assert.throws(() => pyZlibDecompress(badCheck, 1 << 20), { code: 'bad-zlib' });
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
