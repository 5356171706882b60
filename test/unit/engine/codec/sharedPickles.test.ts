import * as assert from 'node:assert/strict';
import { CodecError, pickleLoads, PyDict } from '../../../../engine/src/codec';

/**
 * `a = []; for _ in range(levels): a = [a, a]` then `{'x': a}`, pickled at protocol 2 as
 * Python's pickle writes shared lists: each level once, memoized, and fetched twice by the next.
 */
function sharedLevels(levels: number): Uint8Array {
  const bytes: number[] = [0x80, 0x02, 0x5d, 0x71, 0x00, 0x30];
  for (let i = 1; i <= levels; i++) {
    // EMPTY_LIST, BINPUT i, MARK, BINGET i-1 twice, APPENDS, POP.
    bytes.push(0x5d, 0x71, i, 0x28, 0x68, i - 1, 0x68, i - 1, 0x65, 0x30);
  }
  // EMPTY_DICT, BINUNICODE 'x', BINGET levels, SETITEM, STOP.
  bytes.push(0x7d, 0x58, 1, 0, 0, 0, 0x78, 0x68, levels, 0x73, 0x2e);
  return Uint8Array.from(bytes);
}

describe('pickled data whose shared values stand for far more than it holds', () => {
  it('is refused as too large, in linear time: some 600 bytes standing for 2^60 values, which showing it would walk', () => {
    // Walking the 2^60 values would run past the test's timeout.
    assert.throws(
      () => pickleLoads(sharedLevels(60)),
      (e: unknown) => e instanceof CodecError && e.code === 'too-large' && /repeats shared values so often that it stands for more than 1,000,000 values; Django loads it/.test(e.message),
    );
  });

  it('is read where the sharing stays small, and a big value without sharing is never refused for its size', () => {
    const small = pickleLoads(sharedLevels(10)) as PyDict;
    assert.ok(small instanceof PyDict && small.has('x'));
    // 300,000 ints: EMPTY_LIST, MARK, BININT1 n …, APPENDS, as json.dumps-sized data can be.
    const items = 300_000;
    const body: number[] = [0x80, 0x02, 0x7d, 0x58, 1, 0, 0, 0, 0x78, 0x5d, 0x28];
    for (let i = 0; i < items; i++) body.push(0x4b, i & 0xff);
    body.push(0x65, 0x73, 0x2e);
    const big = pickleLoads(Uint8Array.from(body)) as PyDict;
    assert.equal((big.get('x') as unknown[]).length, items);
    // 100,000 lists each inside the next: deeper than the JS stack, and read as it is.
    const depth = 100_000;
    const deep = [0x80, 0x02, 0x7d, 0x58, 1, 0, 0, 0, 0x78, ...new Array<number>(depth + 1).fill(0x5d), ...new Array<number>(depth).fill(0x61), 0x73, 0x2e];
    let level = (pickleLoads(Uint8Array.from(deep)) as PyDict).get('x');
    let levels = 0;
    while (Array.isArray(level) && level.length === 1) {
      level = level[0];
      levels++;
    }
    assert.equal(levels, depth);
  });
});
