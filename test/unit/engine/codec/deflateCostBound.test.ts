import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { deflate } from 'pako';
import { deflateSmall } from '../../../../engine/src/codec/zlibDeflate';
import { textWithCopies, withoutRepeatedTriples } from './deflateInputs';

/** Bytes drawn with one dominant byte (up to codes 1 bit long), no 3-byte sequence repeated: few or no matches, as short sessions have. */
const dominantTripleFree = fc
  .tuple(fc.integer({ min: 2, max: 255 }), fc.double({ min: 0, max: 0.95, noNaN: true }), fc.array(fc.nat(0xffff), { maxLength: 700 }))
  .map(([alphabet, dominance, picks]) => withoutRepeatedTriples(picks.map((p) => ((p & 0xff) / 256 < dominance ? 0 : (p >>> 8) % alphabet))));

/** Text-like bytes with a few repeats: zero, one, two or more distance codes. */
const fewMatches = fc
  .tuple(fc.integer({ min: 2, max: 95 }), fc.integer({ min: 0, max: 500 }), fc.integer(), fc.integer({ min: 0, max: 8 }))
  .map(([alphabet, length, seed, copyPercent]) => textWithCopies(alphabet, length, seed, copyPercent, 300));

describe('codec: deflate decides "not shorter" from a bound only when zlib agrees', function () {
  this.timeout(120_000);

  it('returns nothing exactly when zlib.compress() is not below the limit, near the limit', () => {
    fc.assert(
      fc.property(fc.oneof(dominantTripleFree, fewMatches), fc.integer({ min: -2, max: 12 }), (input, delta) => {
        const zipped = deflate(input);
        const below = zipped.length + delta;
        const ours = deflateSmall(input, below);
        if (delta <= 0) assert.equal(ours, undefined);
        else assert.deepEqual(Buffer.from(ours!), Buffer.from(zipped));
      }),
      { numRuns: 5000 },
    );
  });

  it('gives Django\'s decision (below len - 1) on short session-like texts', () => {
    fc.assert(
      fc.property(fc.oneof(dominantTripleFree, fewMatches), (input) => {
        const zipped = deflate(input);
        const ours = deflateSmall(input, input.length - 1);
        if (zipped.length < input.length - 1) assert.deepEqual(Buffer.from(ours!), Buffer.from(zipped));
        else assert.equal(ours, undefined);
      }),
      { numRuns: 5000 },
    );
  });
});
