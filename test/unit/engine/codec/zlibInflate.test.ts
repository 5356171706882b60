import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { deflateSync, inflateSync } from 'node:zlib';
import { inflateCommon } from '../../../../engine/src/codec/zlibInflate';
import { xorshift } from './xorshift';

/**
 * Bytes whose frequencies fall off geometrically, and repeats at geometrically spread
 * distances: their Huffman codes run up to 15 bits, so the decoder's sub-tables (codes longer
 * than the root table) and small root tables both get exercised.
 */
const skewed = fc.tuple(fc.integer({ min: 1, max: 40_000 }), fc.integer(), fc.integer({ min: 0, max: 60 })).map(([length, seed, copyPercent]) => {
  const out = new Uint8Array(length);
  const next = xorshift(seed);
  for (let i = 0; i < length; i++) {
    if (i > 8 && next() % 100 < copyPercent) {
      out[i] = out[i - 1 - (next() % Math.min(i - 1, 1 << (next() % 15)))];
      continue;
    }
    let sym = 0;
    while (sym < 255 && (next() & 1) === 1) sym++;
    out[i] = sym;
  }
  return out;
});

describe('codec: our inflate with two-level Huffman tables', function () {
  this.timeout(120_000);

  it('gives what native zlib gives for streams with long codes, at every level and strategy', () => {
    fc.assert(
      fc.property(skewed, fc.constantFrom(1, 6, 9), fc.constantFrom(0, 1, 2, 3), (input, level, strategy) => {
        const zipped = deflateSync(input, { level, strategy });
        const ours = inflateCommon(zipped, 1 << 24);
        assert.ok(ours, 'a stream with complete codes is decoded');
        assert.deepEqual(Buffer.from(ours), inflateSync(zipped));
      }),
      { numRuns: 300 },
    );
  });

  it('decodes a code using every length up to 15 bits', () => {
    // Frequencies 2^k make the optimal code lengths 1, 2, ..., 15 (zlib caps them at 15).
    const parts: Buffer[] = [];
    for (let k = 0; k < 17; k++) parts.push(Buffer.alloc(2 ** (16 - k), k));
    const input = Buffer.concat(parts);
    const zipped = deflateSync(input, { strategy: 2 });
    assert.deepEqual(inflateCommon(zipped, 1 << 24), input);
  });
});
