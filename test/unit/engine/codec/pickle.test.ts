import * as assert from 'node:assert/strict';
import {
  CodecError,
  PyDate,
  PyDatetime,
  PyDecimal,
  PyDict,
  PySet,
  PyTime,
  PyTimedelta,
  PyTimezone,
  PyTuple,
  PyUuid,
  pickleDumps,
  pickleLoads,
  pyEquals,
  pyRepr,
  type PyValue,
} from '../../../../engine/src/codec';

/** Pickles printed by CPython 3.11 (`pickle.dumps(obj, protocol)`), with the object they hold. */
const CPYTHON: Array<[hex: string, repr: string]> = [
  // pickle.dumps(uuid.UUID(int=5), 5)
  ['80059520000000000000008c0475756964948c04555549449493942981947d948c03696e74944b0573622e', "UUID('00000000-0000-0000-0000-000000000005')"],
  // pickle.dumps(decimal.Decimal('1.5'), 5)
  ['80059521000000000000008c07646563696d616c948c07446563696d616c9493948c03312e3594859452942e', "Decimal('1.5')"],
  // pickle.dumps({1, 2}, 2)
  ['8002635f5f6275696c74696e5f5f0a7365740a71005d7101284b014b02658571025271032e', '{1, 2}'],
  // pickle.dumps(b'ab', 2)
  ['8002635f636f646563730a656e636f64650a710058020000006162710158060000006c6174696e3171028671035271042e', "b'ab'"],
  // pickle.dumps(b'', 2)
  ['8002635f5f6275696c74696e5f5f0a62797465730a7100295271012e', "b''"],
  // pickle.dumps(datetime.datetime(2030, 1, 1), 2)
  [
    '8002636461746574696d650a6461746574696d650a7100635f636f646563730a656e636f64650a7101580b00000007c3ae0101000000000000710258060000006c6174696e3171038671045271058571065271072e',
    'datetime.datetime(2030, 1, 1, 0, 0)',
  ],
  // pickle.dumps(datetime.date(2030, 1, 1), 0)
  [
    '636461746574696d650a646174650a70300a28635f636f646563730a656e636f64650a70310a285607ee01010a70320a566c6174696e310a70330a7470340a5270350a7470360a5270370a2e',
    'datetime.date(2030, 1, 1)',
  ],
];

function hex(text: string): Buffer {
  return Buffer.from(text, 'hex');
}

describe('codec: safe pickle reader and writer', () => {
  for (const [bytes, repr] of CPYTHON) {
    it(`reads CPython's pickle of ${repr}`, () => {
      assert.equal(pyRepr(pickleLoads(hex(bytes))), repr);
    });
  }

  it('writes a UUID and a Decimal exactly as CPython protocol 5 does', () => {
    assert.equal(Buffer.from(pickleDumps(new PyUuid('00000000000000000000000000000005'))).toString('hex'), CPYTHON[0][0]);
    assert.equal(Buffer.from(pickleDumps(new PyDecimal('1.5'))).toString('hex'), CPYTHON[1][0]);
  });

  it('refuses any global off the allow-list, without executing it', () => {
    // pickle.dumps(os.system) at protocol 0, and a REDUCE of os.system('echo hi').
    const cases = [Buffer.from('cos\nsystem\np0\n.', 'latin1'), Buffer.from("cos\nsystem\n(S'echo hi'\ntR.", 'latin1'), Buffer.from('cbuiltins\neval\n.', 'latin1')];
    for (const data of cases) {
      assert.throws(() => pickleLoads(data), (e: unknown) => e instanceof CodecError && e.code === 'unsupported-pickle-global' && /not an allowed type/.test(e.message));
    }
  });

  it('reads a UUID pickled at protocols 0 and 1 (copyreg._reconstructor)', () => {
    // pickle.dumps(uuid.UUID(int=5), 0) and (..., 1)
    for (const bytes of ['63636f70795f7265670a5f7265636f6e7374727563746f720a70300a2863757569640a555549440a70310a635f5f6275696c74696e5f5f0a6f626a6563740a70320a4e7470330a5270340a286470350a56696e740a70360a49350a73622e', '63636f70795f7265670a5f7265636f6e7374727563746f720a71002863757569640a555549440a7101635f5f6275696c74696e5f5f0a6f626a6563740a71024e7471035271047d71055803000000696e7471064b0573622e']) {
      assert.equal(pyRepr(pickleLoads(hex(bytes))), "UUID('00000000-0000-0000-0000-000000000005')");
    }
  });

  it('refuses a class reference as a value, even inside a tuple', () => {
    // pickle.dumps((uuid.UUID,), 2)
    assert.throws(() => pickleLoads(hex('800263757569640a555549440a71008571012e')), { code: 'bad-pickle' });
  });

  it('refuses INST, OBJ, persistent ids and the extension registry', () => {
    for (const data of ['(i__main__\nX\n.', '(o.', 'Pxx\n.', '\x80\x02\x82\x01.']) {
      assert.throws(() => pickleLoads(Buffer.from(data, 'latin1')), { code: 'unsupported-pickle-global' });
    }
  });

  it('reports truncated and malformed pickles as typed errors', () => {
    const good = pickleDumps(new PyDict([['foo', 'bar']]));
    for (let n = 0; n < good.length; n++) {
      assert.throws(() => pickleLoads(good.subarray(0, n)), (e: unknown) => e instanceof CodecError && ['truncated', 'bad-pickle'].includes(e.code));
    }
    assert.throws(() => pickleLoads(Buffer.from([0xff])), { code: 'bad-pickle' });
    assert.throws(() => pickleLoads(Buffer.from('\x80\x06N.', 'latin1')), { code: 'bad-pickle' });
  });

  it('reads protocol 0 text opcodes', () => {
    // pickle.dumps({'a': [1, 2.5, None, True, 'é', 10**20]}, 0)
    const p0 = '(dp0\nVa\np1\n(lp2\nI1\naF2.5\naNaI01\naV\xe9\np3\naL100000000000000000000L\nas.';
    assert.equal(pyRepr(pickleLoads(Buffer.from(p0, 'latin1'))), "{'a': [1, 2.5, None, True, 'é', 100000000000000000000]}");
  });

  const samples: PyValue[] = [
    new PyDict([
      ['_session_expiry', new PyDatetime(2030, 1, 1, 12, 30, 5, 123456, PyTimezone.utc)],
      ['naive', new PyDatetime(1999, 12, 31, 23, 59, 59, 999999, null)],
      ['pytz', new PyDatetime(2030, 1, 1, 0, 0, 0, 0, PyTimezone.pytzUtc)],
      ['offset', new PyDatetime(2030, 6, 1, 8, 0, 0, 0, new PyTimezone(new PyTimedelta(0, -18000), 'EST'))],
      ['date', new PyDate(1, 1, 1)],
      ['time', new PyTime(23, 59, 1, 5, PyTimezone.utc)],
      ['td', new PyTimedelta(-1, 5, 7)],
      ['dec', new PyDecimal('-1.50E+3')],
      ['uuid', new PyUuid('12345678-1234-5678-1234-567812345678')],
      ['set', new PySet([1n, 'x', new PyTuple([])])],
      ['frozen', new PySet([2.5], true)],
      ['bytes', new Uint8Array([0, 255, 10])],
      ['big', -(2n ** 100n)],
      ['ints', [0n, 255n, 256n, 65535n, 65536n, -1n, 2147483647n, -2147483648n, 2147483648n, -2147483649n]],
      ['floats', [0.1, -0, Infinity, NaN, 1e300]],
      ['tuples', [new PyTuple([1n]), new PyTuple([1n, 2n]), new PyTuple([1n, 2n, 3n]), new PyTuple([1n, 2n, 3n, 4n])]],
      ['lone', '\ud800x😀'],
      ['long', 'é'.repeat(300)],
      [new PyTuple([1n, 'k']), 'tuple key'],
      [7n, 'int key'],
    ]),
  ];

  for (const protocol of [2, 3, 4, 5]) {
    it(`round-trips every supported type at protocol ${protocol}`, () => {
      for (const v of samples) assert.ok(pyEquals(pickleLoads(pickleDumps(v, protocol)), v), pyRepr(v));
    });
  }

  it('keeps fold from protocol 4 on, and drops it below as CPython does', () => {
    const dt = new PyDatetime(2026, 11, 1, 1, 30, 0, 0, null, 1);
    assert.equal((pickleLoads(pickleDumps(dt, 5)) as PyDatetime).fold, 1);
    assert.equal((pickleLoads(pickleDumps(dt, 3)) as PyDatetime).fold, 0);
  });

  it('keeps shared and self-referencing containers', () => {
    const list: PyValue[] = [1n];
    list.push(list);
    const back = pickleLoads(pickleDumps(new PyDict([['l', list]])));
    assert.equal(pyRepr(back), "{'l': [1, [...]]}");
  });

  it('writes large lists in batches of 1000, as CPython does', () => {
    const list = Array.from({ length: 2500 }, (_, i) => BigInt(i));
    const back = pickleLoads(pickleDumps(list));
    assert.ok(pyEquals(back, list));
  });
});

describe('codec: hostile pickles', () => {
  it('answers quickly for a length claim far beyond the data', () => {
    assert.throws(() => pickleLoads(Buffer.from([0x80, 0x04, 0x8d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00])), { code: 'truncated' });
    assert.throws(() => pickleLoads(Buffer.from([0x80, 0x02, 0x8b, 0xff, 0xff, 0xff, 0x7f])), { code: 'truncated' });
  });

  // A return of quadratic work (minutes at these sizes) runs past these tests' timeouts.
  it('reads 50,000 UUIDs in linear time', function () {
    this.timeout(60_000);
    const uuids = Array.from({ length: 50_000 }, (_, i) => new PyUuid(i.toString(16).padStart(32, '0')));
    const back = pickleLoads(pickleDumps(uuids));
    assert.ok(pyEquals(back, uuids));
  });

  it('stores an unbuilt object in the memo 200,000 times in linear time, and refuses a memo no session needs', function () {
    this.timeout(60_000);
    // copyreg._reconstructor(uuid.UUID, object, None) left unbuilt, then memoized over and over.
    const head = Buffer.from('\x80\x02ccopyreg\n_reconstructor\ncuuid\nUUID\ncbuiltins\nobject\nN\x87R', 'latin1');
    const repeated = Buffer.concat([head, Buffer.alloc(200_000 * 2, Buffer.from('q\x00', 'latin1')), Buffer.from('.')]);
    const distinct = Buffer.concat([head, Buffer.alloc(200_000, 0x94), Buffer.from('.')]);
    for (const data of [repeated, distinct]) {
      try {
        pickleLoads(data);
      } catch (err) {
        assert.ok(err instanceof CodecError, String(err));
      }
    }
    const tooMany = Buffer.concat([Buffer.from([0x80, 0x04, 0x4e]), Buffer.alloc(1_000_001, 0x94), Buffer.from('.')]);
    assert.throws(() => pickleLoads(tooMany), (err: unknown) => err instanceof CodecError && /more than 1000000 memoized objects/.test(err.message));
  });

  it('reads tuples nested 100,000 deep and shows them without overflowing the stack', () => {
    const ops = [0x80, 0x04, 0x29, ...new Array<number>(100_000).fill(0x85), 0x2e];
    const text = pyRepr(pickleLoads(Buffer.from(ops)));
    assert.ok(text.startsWith('((((('));
    assert.ok(text.includes('(...)'));
  });

  it('keeps a str that begins with U+FEFF, as a key and as a value, as Python does', () => {
    // CPython: pickle.dumps({'\ufeff': '\ufeffx'}, 4) holds the BOM's UTF-8 bytes in both strs.
    const python = Buffer.from('80049511000000000000007d948c03efbbbf948c04efbbbf7894732e', 'hex');
    const read = pickleLoads(python) as PyDict;
    assert.deepEqual([...read.entries()], [['\ufeff', '\ufeffx']]);
    for (const protocol of [2, 4, 5]) {
      assert.ok(pyEquals(pickleLoads(pickleDumps(read, protocol)), read), `protocol ${protocol}`);
    }
  });
});
