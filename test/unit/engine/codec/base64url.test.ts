import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { b62Decode, b62Encode, b64urlDecode, b64urlEncode } from '../../../../engine/src/codec';
import { asciiBytes } from '../../../../engine/src/codec/asciiBytes';
import { b62DecodeRange } from '../../../../engine/src/codec/base62';
import { b64urlDecodeAscii } from '../../../../engine/src/codec/base64url';

/** Django's signing.b64_decode(text.encode()) on CPython 3.11, as observed. */
const DJANGO: Array<[text: string, hex: string | 'error']> = [
  ['eyJmb28iOiJiYXIifQ', '7b22666f6f223a22626172227d'],
  ['abc=d', '69b7'],
  ['ab=cd===', '69b71d'],
  ['ab=c', 'error'],
  ['IWHS47AvyYJZ5G=eNJVuhr-', 'error'],
  ['1wy_6qéKM_SaocX3', 'd70cbfeaa28cfd26a8717d'],
  ['a', 'error'],
  ['a b:c.d', '69b71d'],
];

describe('codec: base64url and base62 as Django has them', () => {
  for (const [text, hex] of DJANGO) {
    it(`b64_decode(${JSON.stringify(text)}) → ${hex}`, () => {
      if (hex === 'error') assert.throws(() => b64urlDecode(text), { code: 'bad-base64' });
      else assert.equal(Buffer.from(b64urlDecode(text)).toString('hex'), hex);
    });
  }

  it('decodes from ASCII bytes into its reused buffer exactly as b64_decode does, errors included', () => {
    const urlsafeish = fc.string({ unit: fc.constantFrom(...'ABCxyz019-_+/=. '.split('')), maxLength: 60 });
    fc.assert(
      fc.property(fc.oneof(urlsafeish, fc.base64String().map((t) => t.replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, ''))), fc.nat(3), (text, skip) => {
        const start = Math.min(skip, text.length);
        const bytes = Buffer.from(text, 'latin1');
        let expected: string;
        try {
          expected = Buffer.from(b64urlDecode(text.slice(start))).toString('hex');
        } catch (err) {
          assert.throws(() => b64urlDecodeAscii(bytes, start, bytes.length), { code: (err as { code: string }).code });
          return;
        }
        assert.equal(b64urlDecodeAscii(bytes, start, bytes.length).toString('hex'), expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('decodes a base62 range as the slice would decode', () => {
    const text = fc.string({ unit: fc.constantFrom(...'01azAZ-:!\u00e9'.split('')), maxLength: 14 });
    fc.assert(
      fc.property(text, fc.nat(14), fc.nat(14), (t, a, b) => {
        const start = Math.min(a, t.length);
        const end = Math.max(start, Math.min(b, t.length));
        let expected: number;
        try {
          expected = b62Decode(t.slice(start, end));
        } catch {
          assert.throws(() => b62DecodeRange(t, start, end), { code: 'bad-format' });
          return;
        }
        assert.ok(Object.is(b62DecodeRange(t, start, end), expected));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps giving right answers across a payload larger than the reused buffers', () => {
    const big = Buffer.alloc(3 << 20, 0x61);
    const text = big.toString('base64url');
    assert.deepEqual(b64urlDecodeAscii(asciiBytes(text)!, 0, text.length), big);
    assert.deepEqual(b64urlDecodeAscii(Buffer.from('eyJhIjoxfQ'), 0, 10), Buffer.from('{"a":1}'));
    assert.deepEqual(asciiBytes('x:y'), Buffer.from('x:y'));
  });

  it('gives the bytes of ASCII text only', () => {
    assert.deepEqual(asciiBytes('abc:1'), Buffer.from('abc:1'));
    assert.equal(asciiBytes('caf\u00e9'), undefined);
    assert.equal(asciiBytes('\u{1F600}'), undefined);
    assert.deepEqual(asciiBytes('x'.repeat(5000)), Buffer.from('x'.repeat(5000)));
  });

  it('encodes without padding', () => {
    assert.equal(b64urlEncode(Buffer.from('{}')), 'e30');
    assert.equal(b64urlEncode(Buffer.from([0xfb, 0xff])), '-_8');
  });

  it('writes and reads the TimestampSigner timestamp', () => {
    assert.equal(b62Encode(1_700_000_000), '1r31eq');
    assert.equal(b62Decode('1r31eq'), 1_700_000_000);
    assert.equal(b62Encode(0), '0');
    assert.equal(b62Decode(b62Encode(-12345)), -12345);
    assert.throws(() => b62Decode('1r3!eq'), { code: 'bad-format' });
  });
});
