import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { CodecError, pyRepr, type PyValue } from '../../../../engine/src/codec';
import { pythonJsonParse, pythonJsonParseLatin1 } from '../../../../engine/src/codec/pythonJsonParse';
import { referenceJsonParse } from './referenceJsonParse';

/** What a parse gave: the value's repr (which keeps int and float apart), or the error's code and message. */
function outcome(parse: () => PyValue): string {
  try {
    const v = parse();
    return `ok ${typeof v} ${pyRepr(v)}`;
  } catch (err) {
    assert.ok(err instanceof CodecError, `only CodecError is thrown, got ${String(err)}`);
    return `error ${err.code} ${err.message}`;
  }
}

const tokens = [
  '{', '}', '[', ']', ',', ':', ' ', '\t', '\n', '"', '\\', '\\u', '\\u00e9', '\\ud83d', '\\"', '\\n', '\\x', 'a', 'k', '\u00e9', '\u00ff',
  '\u2603', '\ud83d', '\u0001', '\u007f', '0', '1', '9', '-', '.', 'e', 'E', '+', '123456789012345', '1234567890123456', '1048575', '1048576',
  '-1048577', '-0', '0.5', '1e5', 'null', 'true', 'false', 'NaN', 'Infinity', '-Infinity', 'nul', '"sku"', '"name"',
];

/** Token soup near JSON, and real JSON with numbers of every size, so both parsers meet every path. */
const texts = fc.oneof(
  fc.array(fc.constantFrom(...tokens), { maxLength: 40 }).map((t) => t.join('')),
  fc.json({ maxDepth: 4 }),
  fc.tuple(fc.json({ maxDepth: 3 }), fc.nat(), fc.constantFrom(...tokens)).map(([json, at, t]) => json.slice(0, at % (json.length + 1)) + t + json.slice(at % (json.length + 1))),
  fc.array(fc.oneof(fc.integer(), fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.double()), { maxLength: 20 }).map((xs) => `{"a":[${xs.map(String).join(',')}]}`),
);

describe('codec: byte-scanning Python JSON parser', function () {
  this.timeout(60_000);

  it('agrees with the char-scanning parser on values and errors, from text and from latin-1 bytes', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const expected = outcome(() => referenceJsonParse(text));
        assert.equal(outcome(() => pythonJsonParse(text)), expected, JSON.stringify(text));
        const bytes = Buffer.from(text, 'latin1');
        const latin1 = bytes.toString('latin1');
        assert.equal(outcome(() => pythonJsonParseLatin1(bytes, latin1)), outcome(() => referenceJsonParse(latin1)), JSON.stringify(latin1));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads ints around the shared and the composed bigint ranges exactly', () => {
    for (const n of [0, 1, 1023, 1024, 1025, 65535, 1048575, 1048576, 2 ** 31, 2 ** 53 - 1, 999_999_999_999_999]) {
      assert.equal(pythonJsonParse(String(n)), BigInt(n));
      assert.equal(pythonJsonParse(`-${n}`), -BigInt(n));
    }
    assert.equal(pythonJsonParse('9999999999999999'), 9999999999999999n);
  });
});
