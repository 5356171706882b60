import * as assert from 'node:assert/strict';
import { decodeSignedCookie, pythonJsonStringify, signSessionCookie, PyDict } from '../../../../engine/src';

const context = { secretKeys: { values: ['k'.repeat(50)] }, serializer: 'json' as const, cookieAgeSeconds: 1209600 };
const VECTOR = 'eyJmb28iOiJiYXIifQ:1r31eq:2G5JiysnG3EaLCJ1yJyaDeENYIICEfJn3Ml1UOqDd3E';

describe('signed_cookies values', () => {
  it('signs exactly as Django does (spec vector 11) and reads it back', () => {
    assert.equal(signSessionCookie(new PyDict([['foo', 'bar']]), context, 1700000000), VECTOR);
    const decoded = decodeSignedCookie(VECTOR, context, 1700000000 + 10);
    assert.ok(decoded.ok);
    assert.equal(pythonJsonStringify(decoded.session.data), '{"foo":"bar"}');
  });

  it('rejects a cookie older than SESSION_COOKIE_AGE and one with a wrong signature', () => {
    const expired = decodeSignedCookie(VECTOR, context, 1700000000 + 1209601);
    assert.ok(!expired.ok && expired.code === 'expired');
    const forged = decodeSignedCookie(VECTOR.replace(/.$/, 'A'), context, 1700000000);
    assert.ok(!forged.ok && forged.code === 'bad-signature');
  });
});
