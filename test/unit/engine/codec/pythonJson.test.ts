import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { CodecError, PyDict, PyTuple, pyFloatRepr, pythonJsonParse, pythonJsonStringify, pyRepr, type PyValue } from '../../../../engine/src/codec';
import { pyFloatReprGeneral } from '../../../../engine/src/codec/pyFloatRepr';
import { pythonJsonBytes } from '../../../../engine/src/codec/pythonJsonStringify';
import { jsonValue, pickleValue } from './arbitraries';

/** json.dumps(v, separators=(',', ':')) written the plain way, as the oracle for the byte writer. */
function referenceDumps(v: PyValue): string {
  const str = (t: string): string => `"${[...Array(t.length).keys()].map((i) => {
    const c = t.charCodeAt(i);
    const short: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x08: '\\b', 0x0c: '\\f' };
    if (short[c]) return short[c];
    return c < 0x20 || c >= 0x7f ? `\\u${c.toString(16).padStart(4, '0')}` : t[i];
  }).join('')}"`;
  const num = (x: number): string => (Number.isNaN(x) ? 'NaN' : x === Infinity ? 'Infinity' : x === -Infinity ? '-Infinity' : pyFloatRepr(x));
  if (typeof v === 'string') return str(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return num(v);
  if (typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  if (Array.isArray(v) || v instanceof PyTuple) return `[${(Array.isArray(v) ? v : v.items).map(referenceDumps).join(',')}]`;
  if (v instanceof PyDict) {
    for (const k of v.keys()) if (k !== null && typeof k === 'object') throw new CodecError('unserializable', 'bad key');
    return `{${[...v].map(([k, item]) => `${str(typeof k === 'string' ? k : typeof k === 'number' ? num(k) : String(k))}:${referenceDumps(item)}`).join(',')}}`;
  }
  throw new CodecError('unserializable', 'not JSON');
}

describe('codec: Python JSON', () => {
  it('writes the same bytes as the plain reference writer, or refuses where it does', () => {
    const key = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.bigInt(), fc.double(), fc.boolean(), fc.constant(null));
    const value = fc.oneof(jsonValue, pickleValue, fc.array(fc.tuple(key, jsonValue), { maxLength: 5 }).map((e) => new PyDict(e)));
    fc.assert(
      fc.property(value, (v) => {
        let expected: string;
        try {
          expected = referenceDumps(v);
        } catch {
          assert.throws(() => pythonJsonBytes(v), CodecError);
          return;
        }
        assert.equal(pythonJsonBytes(v).toString('latin1'), expected);
        assert.equal(pythonJsonStringify(v), expected);
      }),
      { numRuns: 3000 },
    );
    const safe = BigInt(Number.MAX_SAFE_INTEGER);
    for (const n of [0n, 1n, -1n, 9n, 10n, -10n, 99n, 100n, 1234567n, safe, -safe, safe + 1n, -safe - 1n, 2n ** 64n]) {
      assert.equal(pythonJsonStringify(n), n.toString());
      assert.equal(pythonJsonStringify(new PyDict([['k', n]])), `{"k":${n}}`);
    }
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }), (n) => pythonJsonStringify([n]) === `[${n}]`));
    const huge = 'x'.repeat(3 << 20);
    assert.equal(pythonJsonStringify([huge]), `["${huge}"]`);
    assert.equal(pythonJsonStringify(new PyDict([['a', 1n]])), '{"a":1}');
  });

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
    // Walking it, or copying it out, would run past the test's timeout.
    assert.throws(() => pythonJsonStringify(shared), (e: unknown) => e instanceof CodecError && e.code === 'too-large');
  });
});
