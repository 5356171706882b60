import * as assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import {
  CodecError,
  decodeSessionData,
  encodeSessionData,
  pickleDumps,
  pickleLoads,
  pyEquals,
  pyRepr,
  pythonJsonParse,
  pythonJsonStringify,
  b64urlEncode,
} from '../../../../engine/src/codec';
import { jsonSession, jsonValue, pickleSession } from './arbitraries';

const KEYS = ['s3cret-key', 'old-key'];

function onlyCodecErrors(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    if (!(err instanceof CodecError)) throw err;
  }
}

describe('codec: properties (fast-check)', function () {
  this.timeout(60_000);

  it('JSON: encode then decode is the identity', () => {
    fc.assert(
      fc.property(jsonSession, fc.boolean(), (data, compress) => {
        const encoded = encodeSessionData(data, { secretKeys: KEYS, compress });
        const decoded = decodeSessionData(encoded, { secretKeys: KEYS, requireValidSignature: true });
        assert.ok(pyEquals(decoded.data, data), pyRepr(data));
        assert.equal(decoded.keyIndex, 0);
      }),
      { numRuns: 500 },
    );
  });

  it('pickle: encode then decode is the identity', () => {
    fc.assert(
      fc.property(pickleSession, fc.constantFrom(2, 3, 4, 5), (data, pickleProtocol) => {
        const encoded = encodeSessionData(data, { secretKeys: KEYS, serializer: 'pickle', pickleProtocol });
        const decoded = decodeSessionData(encoded, { secretKeys: KEYS, serializer: 'pickle', requireValidSignature: true });
        assert.ok(pyEquals(decoded.data, data), pyRepr(data));
      }),
      { numRuns: 500 },
    );
  });

  it('JSON text: parse(stringify(v)) is v', () => {
    fc.assert(
      fc.property(jsonValue, (v) => {
        assert.ok(pyEquals(pythonJsonParse(pythonJsonStringify(v)), v));
      }),
      { numRuns: 1000 },
    );
  });

  it('legacy format: encode then decode is the identity', () => {
    fc.assert(
      fc.property(jsonSession, (data) => {
        const encoded = encodeSessionData(data, { secretKeys: KEYS, format: 'legacy' });
        const decoded = decodeSessionData(encoded, { secretKeys: KEYS });
        assert.equal(decoded.format, 'legacy');
        assert.equal(decoded.signature, 'valid');
        assert.ok(pyEquals(decoded.data, data));
      }),
      { numRuns: 200 },
    );
  });

  it('decode: any text gives a session or a CodecError, never another throw', () => {
    const texts = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: fc.constantFrom(...'AZaz09-_.:=+/e'.split('')), maxLength: 120 }),
      fc.uint8Array({ maxLength: 200 }).map((b) => `${b64urlEncode(b)}:1r31eq:${'A'.repeat(43)}`),
      fc.uint8Array({ maxLength: 200 }).map((b) => `.${b64urlEncode(b)}:1r31eq:x`),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('base64')),
    );
    fc.assert(
      fc.property(texts, fc.constantFrom<'json' | 'pickle'>('json', 'pickle'), fc.boolean(), (text, serializer, keyed) => {
        onlyCodecErrors(() => decodeSessionData(text, { secretKeys: keyed ? KEYS : [], serializer }));
      }),
      { numRuns: 3000 },
    );
  });

  it('decode: corrupting a valid session gives a session or a CodecError', () => {
    fc.assert(
      fc.property(jsonSession, fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }), (data, at, junk) => {
        const encoded = encodeSessionData(data, { secretKeys: KEYS });
        const i = at % encoded.length;
        const broken = encoded.slice(0, i) + junk + encoded.slice(i + 1);
        onlyCodecErrors(() => decodeSessionData(broken, { secretKeys: KEYS }));
      }),
      { numRuns: 1000 },
    );
  });

  it('pickle reader: any bytes, or a corrupted pickle, give a value or a CodecError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => onlyCodecErrors(() => pickleLoads(bytes))),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(pickleSession, fc.nat(), fc.integer({ min: 0, max: 255 }), (data, at, byte) => {
        const bytes = pickleDumps(data);
        bytes[at % bytes.length] = byte;
        onlyCodecErrors(() => pickleLoads(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a zip bomb without a valid signature', () => {
    const bomb = new Uint8Array(64 * 1024 * 1024);
    const payload = `.${b64urlEncode(deflateSync(bomb))}:1r31eq:${'A'.repeat(43)}`;
    assert.throws(() => decodeSessionData(payload, { secretKeys: KEYS }), { code: 'too-large' });
  });
});
