import * as assert from 'node:assert/strict';
import { b62Decode, b62Encode, b64urlDecode, b64urlEncode } from '../../../../engine/src/codec';

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
