import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { CodecError, PyDict, PyTuple, pyFloatRepr, pythonJsonParse, pythonJsonStringify, pyRepr, type PyValue } from '../../../../engine/src/codec';
import { pyFloatReprGeneral } from '../../../../engine/src/codec/pyFloatRepr';

describe('codec: Python JSON', () => {
  it("formats floats as Python's repr", () => {
    // Expected texts are what CPython 3.11 prints for repr(x).
    const cases: Array<[number, string]> = [
      [1.0, '1.0'],
      [1e-7, '1e-07'],
      [1e16, '1e+16'],
      [0.1, '0.1'],
      [1e15, '1000000000000000.0'],
      [123456789012345678, '1.2345678901234568e+17'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [-0, '-0.0'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [100, '100.0'],
      [1e22, '1e+22'],
      [1.5e-5, '1.5e-05'],
      [123.456, '123.456'],
      [1 / 3, '0.3333333333333333'],
    ];
    for (const [x, text] of cases) assert.equal(pyFloatRepr(x), text, `repr(${x})`);
  });

  it('writes json.dumps output: ensure_ascii, lowercase escapes, DEL escaped, surrogate pairs', () => {
    const d = new PyDict([
      ['s', 'a\u007fb\n\t\u0001/"\\'],
      ['emoji', '😀'],
      ['name', 'Zoë ☃'],
      ['b', '\b\f\r'],
    ]);
    assert.equal(
      pythonJsonStringify(d),
      '{"s":"a\\u007fb\\n\\t\\u0001/\\"\\\\","emoji":"\\ud83d\\ude00","name":"Zo\\u00eb \\u2603","b":"\\b\\f\\r"}',
    );
  });

  it('merges keys Python treats as equal (1, 1.0, True)', () => {
    const d = new PyDict([
      [1n, 'a'],
      [true, 'b'],
      [1.0, 'c'],
    ]);
    assert.equal(d.size, 1);
    assert.equal(pythonJsonStringify(d), '{"1":"c"}');
  });

  it('writes floats, big ints, specials and non-str keys as Python does', () => {
    const d = new PyDict([
      [1n, 1.0],
      [false, NaN],
      [null, Infinity],
      [2.5, -Infinity],
      ['big', 12345678901234567890n],
      ['t', new PyTuple([1n, 'x'])],
    ]);
    assert.equal(pythonJsonStringify(d), '{"1":1.0,"false":NaN,"null":Infinity,"2.5":-Infinity,"big":12345678901234567890,"t":[1,"x"]}');
  });

  it('refuses what json.dumps refuses', () => {
    assert.throws(() => pythonJsonStringify(new Uint8Array([1])), { code: 'unserializable' });
    assert.throws(() => pythonJsonStringify(new PyDict([[new PyTuple([]), 1n]])), { code: 'unserializable' });
  });

  it('reads ints exactly, keeps int and float apart, and keeps key order', () => {
    const v = pythonJsonParse(' {"b":1,"2":2.0,"a":-12345678901234567890123,"f":1e5,"n":NaN,"i":-Infinity} ');
    assert.ok(v instanceof PyDict);
    assert.deepEqual([...v.keys()], ['b', '2', 'a', 'f', 'n', 'i']);
    assert.equal(v.get('b'), 1n);
    assert.equal(v.get('2'), 2.0);
    assert.equal(v.get('a'), -12345678901234567890123n);
    assert.equal(v.get('f'), 100000);
    assert.ok(Number.isNaN(v.get('n')));
    assert.equal(pyRepr(v), "{'b': 1, '2': 2.0, 'a': -12345678901234567890123, 'f': 100000.0, 'n': nan, 'i': -inf}");
  });

  it('keeps the first position and the last value of a repeated key', () => {
    assert.equal(pyRepr(pythonJsonParse('{"a":1,"b":2,"a":3}')), "{'a': 3, 'b': 2}");
  });

  it("rejects what json.loads rejects", () => {
    for (const bad of [
      '',
      '{',
      '{"a":1,}',
      '[1,]',
      '01',
      '1.',
      '.5',
      '+1',
      '"\u0001"',
      '"\\x41"',
      '"\\u12"',
      "{'a':1}",
      '{"a" 1}',
      'nan',
      '[1] x',
      '1e',
      '9'.repeat(4301),
      '['.repeat(2000) + ']'.repeat(2000),
    ]) {
      assert.throws(() => pythonJsonParse(bad), (e: unknown) => e instanceof CodecError && e.code === 'bad-json', JSON.stringify(bad.slice(0, 30)));
    }
  });

  it('accepts what json.loads accepts', () => {
    assert.equal(pythonJsonParse('"\\ud83d\\ude00\\/"'), '😀/');
    assert.equal(pythonJsonParse('"\\ud800"'), '\ud800');
    assert.equal(pythonJsonParse('"\u00ff\u007f"'), '\u00ff\u007f');
    assert.equal(pythonJsonParse('\t\r\n 1E+2 '), 100);
    assert.equal(pythonJsonParse('-0'), 0n);
    assert.equal(pythonJsonParse('9'.repeat(4300)), BigInt('9'.repeat(4300)));
  });
});

describe('codec: float repr fast path', () => {
  it('equals the general exponent-form path for every double', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.double({ min: 1e-5, max: 1e17 }), fc.integer().map((i) => i / 1000)), (x) => {
        assert.equal(pyFloatRepr(x), pyFloatReprGeneral(x));
      }),
      { numRuns: 20_000 },
    );
    for (const x of [1e-4, 9.999999999999999e-5, 1e16, 9999999999999998, 0.1, -2.5, 1e15, 123456.0]) {
      assert.equal(pyFloatRepr(x), pyFloatReprGeneral(x), String(x));
    }
  });
});

describe('pythonJsonStringify on shared pickled structures', () => {
  it('refuses a value whose shared parts would expand beyond the budget, quickly and without exhausting memory', () => {
    let shared: PyValue = [];
    for (let i = 0; i < 40; i++) shared = [shared, shared];
    const started = Date.now();
    assert.throws(() => pythonJsonStringify(shared), (e: unknown) => e instanceof CodecError && e.code === 'too-large');
    assert.ok(Date.now() - started < 10_000);
  });
});
