import * as assert from 'node:assert/strict';
import { CodecError, decodeSessionData, encodeSessionData, PyDict } from '../../../../engine/src/codec';
import { legacyDecodeRaises, verifiedUndecodableOutcome } from '../../../../engine/src/stores/undecodableSession';

const K = 'k'.repeat(50);

describe('verifiedUndecodableOutcome', () => {
  it("marks a decode failure after a verified signature, not one after a wrong key's", () => {
    const pickled = encodeSessionData(new PyDict([['a', 1n]]), { secretKeys: [K], serializer: 'pickle', nowSeconds: 1_700_000_000 });
    for (const [keys, after] of [[[K], true], [['other'], false], [[], false]] as const) {
      assert.throws(
        () => decodeSessionData(pickled, { secretKeys: keys, serializer: 'json' }),
        (err: unknown) => err instanceof CodecError && err.afterValidSignature === after,
        String(keys),
      );
    }
  });

  it("follows base64.b64decode's padding rule for 3.1/3.2, which drop the characters outside standard base64", () => {
    // base64.b64decode(b'abc:d-e_f.gh') decodes; b'abc:d-e_f.g' raises binascii.Error (Python 3.11).
    assert.equal(legacyDecodeRaises('abc:d-e_f.gh'), false);
    assert.equal(legacyDecodeRaises('abc:d-e_f.g'), true);
  });

  it('says 3.2 raises where the rule says so, 4.0+ starts an empty session, and an unknown version may do either', () => {
    assert.match(verifiedUndecodableOutcome('abc:de', '3.2.25'), /^Django 3\.2\.25 raises binascii\.Error/);
    assert.equal(verifiedUndecodableOutcome('abc:d', '3.2.25'), 'Django would start an empty session for it');
    assert.equal(verifiedUndecodableOutcome('abc:de', '4.0'), 'Django would start an empty session for it');
    assert.match(verifiedUndecodableOutcome('abc:de', undefined), /^Django 4\.0\+ would start an empty session for it, but Django 3\.1\/3\.2 raise binascii\.Error/);
  });
});
