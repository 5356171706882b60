import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { deflateSync } from 'node:zlib';
import { adler32 } from '../../../../engine/src/codec/adler32';

/** The checksum native zlib writes as the last four bytes of a stream over `data`. */
function zlibAdler32(data: Uint8Array): number {
  const z = deflateSync(data, { level: 0 });
  return z.readUInt32BE(z.length - 4);
}

describe('codec: adler32', () => {
  it('is the checksum zlib writes, for any bytes, across NMAX chunk edges and at every length mod 4', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12_000 }), (data) => {
        assert.equal(adler32(data), zlibAdler32(data));
      }),
      { numRuns: 300 },
    );
    // All 0xff is the worst case for the sums' growth within a chunk.
    for (const length of [0, 1, 3, 4, 5, 5551, 5552, 5553, 11104, 11107, 70_000]) {
      const data = new Uint8Array(length).fill(0xff);
      assert.equal(adler32(data), zlibAdler32(data), `length ${length}`);
    }
  });

  it('covers only the first n bytes when n is given', () => {
    const data = Uint8Array.from({ length: 999 }, (_, i) => (i * 7) & 0xff);
    assert.equal(adler32(data, 501), zlibAdler32(data.subarray(0, 501)));
  });
});
