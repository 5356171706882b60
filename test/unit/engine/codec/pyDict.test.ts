import * as assert from 'node:assert/strict';
import { PyDict, PyTuple, pyRepr } from '../../../../engine/src/codec';

describe('codec: PyDict', () => {
  it('keeps insertion order, and a re-set key keeps its place', () => {
    const d = new PyDict([
      ['b', 1n],
      ['2', 2n],
      ['a', 3n],
    ]);
    d.set('b', 9n);
    assert.equal(pyRepr(d), "{'b': 9, '2': 2, 'a': 3}");
  });

  it('tells str keys from int keys, and merges 1, 1.0 and True', () => {
    const d = new PyDict([
      ['1', 'str'],
      [1n, 'int'],
    ]);
    d.set(true, 'bool');
    d.set(1.0, 'float');
    assert.equal(pyRepr(d), "{'1': 'str', 1: 'float'}");
    assert.equal(d.get('1'), 'str');
    assert.equal(d.get(1n), 'float');
  });

  it('finds keys the same way before and after it grows an index, with deletes', () => {
    const d = new PyDict();
    for (let i = 0; i < 40; i++) d.set(i % 2 ? `k${i}` : BigInt(i), i);
    d.set(new PyTuple([1n, 'x']), 'tuple');
    d.set('\u0000nul', 'nul key');
    assert.equal(d.size, 42);
    for (let i = 0; i < 40; i += 3) assert.ok(d.delete(i % 2 ? `k${i}` : BigInt(i)));
    for (let i = 0; i < 40; i++) assert.equal(d.get(i % 2 ? `k${i}` : BigInt(i)), i % 3 === 0 ? undefined : i);
    assert.equal(d.get(new PyTuple([1n, 'x'])), 'tuple');
    assert.equal(d.get('\u0000nul'), 'nul key');
    assert.equal(d.get('\u0000n1'), undefined);
    while (d.size > 2) d.delete([...d.keys()][0]);
    assert.equal(pyRepr(d), "{(1, 'x'): 'tuple', '\\x00nul': 'nul key'}");
  });

  it('gives entries by position as iteration does, after re-sets and deletes', () => {
    const d = new PyDict();
    for (let i = 0; i < 12; i++) d.set(i % 2 ? `k${i}` : BigInt(i), i);
    d.set('k3', 'again');
    d.delete(4n);
    const entries = [...d.entries()];
    assert.equal(entries.length, d.size);
    for (let i = 0; i < d.size; i++) assert.deepEqual([d.keyAt(i), d.valueAt(i)], entries[i]);
  });

  it('refuses unhashable keys as Python does', () => {
    assert.throws(() => new PyDict([[[], 1n]]), { code: 'unhashable' });
    assert.throws(() => new PyDict([[new PyDict(), 1n]]), { code: 'unhashable' });
  });
});
