import * as assert from 'node:assert/strict';
import { PyDict, PyOrderedDict, pickleDumps, pickleLoads, pyEquals, pyRepr } from '../../../../engine/src/codec';

/** CPython's pickle.dumps({'o': OrderedDict([('b', 1), ('a', [OrderedDict()])]), 'n': 1}, protocol) for 2 and 4. */
const PICKLED: Record<number, string> = {
  2: '80027d71002858010000006f710163636f6c6c656374696f6e730a4f726465726564446963740a7102295271032858010000006271044b0158010000006171055d7106680229527107617558010000006e71084b01752e',
  4: '80049544000000000000007d94288c016f948c0b636f6c6c656374696f6e73948c0b4f72646572656444696374949394295294288c0162944b018c0161945d94680429529461758c016e944b01752e',
};

describe('pickled collections.OrderedDict', () => {
  it('reads it as a dict that stays an OrderedDict, shown as Python shows it', () => {
    const data = pickleLoads(new Uint8Array(Buffer.from(PICKLED[4]!, 'hex'))) as PyDict;
    assert.ok(data.get('o') instanceof PyOrderedDict);
    assert.equal(pyRepr(data), "{'o': OrderedDict([('b', 1), ('a', [OrderedDict()])]), 'n': 1}");
    assert.ok((data.get('o') as PyOrderedDict).copy() instanceof PyOrderedDict);
  });

  it("writes CPython's bytes back, edited or not", () => {
    for (const protocol of [2, 4]) {
      const data = pickleLoads(new Uint8Array(Buffer.from(PICKLED[protocol]!, 'hex'))) as PyDict;
      assert.equal(Buffer.from(pickleDumps(data, protocol)).toString('hex'), PICKLED[protocol], `protocol ${protocol}`);
      data.set('n', 2n);
      const back = pickleLoads(pickleDumps(data, protocol)) as PyDict;
      assert.ok(back.get('o') instanceof PyOrderedDict && pyEquals(back, data));
    }
  });

  it('compares two OrderedDicts with their order, and one with a dict without', () => {
    const ba = new PyOrderedDict([['b', 1n], ['a', 2n]]);
    assert.equal(pyEquals(ba, new PyOrderedDict([['a', 2n], ['b', 1n]])), false);
    assert.equal(pyEquals(ba, new PyDict([['a', 2n], ['b', 1n]])), true);
  });
});
