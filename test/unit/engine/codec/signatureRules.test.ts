import * as assert from 'node:assert/strict';
import { CodecError, decodeSessionData, encodeSessionData, PyDict, type DecodeOptions, type EncodeOptions } from '../../../../engine/src/codec';

const KEY = 'k'.repeat(50);
const OLD = 'old-key-'.repeat(7);
const NOW = 1_700_000_000;
const data = new PyDict([['foo', 'bar']]);

function encoded(opts: Partial<EncodeOptions> = {}): string {
  return encodeSessionData(data, { secretKeys: [KEY], nowSeconds: NOW, ...opts });
}

function decoded(text: string, opts: Partial<DecodeOptions> = {}) {
  return decodeSessionData(text, { secretKeys: [KEY], ...opts });
}

describe('codec: what each Django version accepts', () => {
  const legacy = encoded({ format: 'legacy' });
  const sha1 = encoded({ algorithm: 'sha1' });
  const sha256 = encoded();
  const byOld = encoded({ secretKeys: [OLD] });

  it('without a version accepts every format, algorithm and key, as before', () => {
    for (const text of [legacy, sha1, sha256]) assert.equal(decoded(text).signature, 'valid');
    const fallback = decoded(byOld, { secretKeys: [KEY, OLD] });
    assert.equal(fallback.signature, 'valid');
    assert.equal(fallback.keyIndex, 1);
    assert.equal(fallback.rejection, undefined);
  });

  it('Django 4.0+ refuses the pre-3.1 format and sha1 signatures, naming the reason and the key that matched', () => {
    for (const version of ['4.0', '4.2', '5.2']) {
      const l = decoded(legacy, { djangoVersion: version });
      assert.equal(l.signature, 'invalid');
      assert.equal(l.rejection?.reason, 'legacy-format');
      assert.match(l.rejection?.message ?? '', new RegExp(`Django ${version} no longer reads the pre-3.1`));
      assert.equal(l.keyIndex, 0);
      assert.equal(l.data.get('foo'), 'bar');
      const s = decoded(sha1, { djangoVersion: version });
      assert.equal(s.signature, 'invalid');
      assert.equal(s.rejection?.reason, 'sha1-signature');
      assert.equal(s.algorithm, 'sha1');
      assert.equal(decoded(sha256, { djangoVersion: version }).signature, 'valid');
    }
  });

  it('Django 3.1/3.2 accept legacy and sha1 data', () => {
    for (const version of ['3.1', '3.2.25']) {
      for (const text of [legacy, sha1, sha256]) {
        const d = decoded(text, { djangoVersion: version });
        assert.equal(d.signature, 'valid', `${version} ${text}`);
        assert.equal(d.rejection, undefined);
      }
    }
  });

  it('a match with a fallback key only is invalid before Django 4.1, which added SECRET_KEY_FALLBACKS', () => {
    for (const [version, valid] of [['3.2', false], ['4.0', false], ['4.1', true], ['5.2', true]] as const) {
      const d = decoded(byOld, { secretKeys: [KEY, OLD], djangoVersion: version });
      assert.equal(d.signature, valid ? 'valid' : 'invalid', version);
      assert.equal(d.keyIndex, 1);
      if (!valid) {
        assert.equal(d.rejection?.reason, 'fallback-key');
        assert.match(d.rejection?.message ?? '', /only SECRET_KEY_FALLBACKS\[0\] matches/);
      }
    }
    const legacyByOld = decoded(encoded({ secretKeys: [OLD], format: 'legacy' }), { secretKeys: [KEY, OLD], djangoVersion: '3.2' });
    assert.equal(legacyByOld.rejection?.reason, 'fallback-key');
  });

  it("DEFAULT_HASHING_ALGORITHM = 'sha1' makes 3.1/3.2 refuse sha256 signatures, but not legacy data", () => {
    const d = decoded(sha256, { djangoVersion: '3.2', hashingAlgorithm: 'sha1' });
    assert.equal(d.signature, 'invalid');
    assert.equal(d.rejection?.reason, 'sha256-signature');
    assert.equal(decoded(sha1, { djangoVersion: '3.2', hashingAlgorithm: 'sha1' }).signature, 'valid');
    assert.equal(decoded(legacy, { djangoVersion: '3.2', hashingAlgorithm: 'sha1' }).signature, 'valid');
    assert.equal(decoded(sha256, { djangoVersion: '5.2', hashingAlgorithm: 'sha1' }).signature, 'valid', '4.0 removed the setting');
  });

  it('without a key, a form the version cannot read is still refused, and the rest stays unverified', () => {
    assert.equal(decoded(legacy, { secretKeys: [], djangoVersion: '5.2' }).rejection?.reason, 'legacy-format');
    assert.equal(decoded(sha1, { secretKeys: [], djangoVersion: '5.2' }).rejection?.reason, 'sha1-signature');
    const plain = decoded(sha256, { secretKeys: [], djangoVersion: '5.2' });
    assert.equal(plain.signature, 'unverified');
    assert.equal(plain.algorithm, undefined);
  });

  it('with a wrong key the data stays a bad signature, without a version reason hiding it', () => {
    for (const text of [legacy, sha1, sha256]) {
      const d = decoded(text, { secretKeys: ['another-key'], djangoVersion: '5.2' });
      assert.deepEqual([d.signature, d.rejection, d.algorithm], ['invalid', undefined, undefined], text);
    }
  });

  it('requireValidSignature turns a refusal into CodecError bad-signature with the reason', () => {
    for (const [text, opts] of [
      [legacy, { djangoVersion: '5.2' }],
      [sha1, { djangoVersion: '4.0' }],
      [byOld, { secretKeys: [KEY, OLD], djangoVersion: '3.2' }],
    ] as const) {
      assert.throws(
        () => decoded(text, { ...opts, requireValidSignature: true }),
        (e: unknown) => e instanceof CodecError && e.code === 'bad-signature' && /Session data refused: /.test(e.message),
      );
    }
  });

  it('checks the signature before the max age, as TimestampSigner.unsign does', () => {
    const cookie = { maxAgeSeconds: 60, nowSeconds: NOW + 3600 };
    const wrongKey = decoded(sha256, { ...cookie, secretKeys: ['wrong'] });
    assert.equal(wrongKey.signature, 'invalid');
    assert.throws(() => decoded(sha256, { ...cookie, secretKeys: ['wrong'], requireValidSignature: true }), (e: unknown) => e instanceof CodecError && e.code === 'bad-signature');
    assert.throws(() => decoded(sha1, { ...cookie, djangoVersion: '5.2', requireValidSignature: true }), (e: unknown) => e instanceof CodecError && e.code === 'bad-signature');
    assert.throws(() => decoded(sha256, cookie), (e: unknown) => e instanceof CodecError && e.code === 'expired');
    assert.throws(() => decoded(sha256, { ...cookie, secretKeys: [] }), (e: unknown) => e instanceof CodecError && e.code === 'expired');
  });
});
