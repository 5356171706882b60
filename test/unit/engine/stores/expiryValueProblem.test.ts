import * as assert from 'node:assert/strict';
import { PyDatetime, PyDict, PyTimezone, expiryValueProblem } from '../../../../engine/src';

const NOW = new Date('2026-11-26T12:00:00Z');
const context = (djangoVersion?: string) => ({ useTz: true, timeZone: 'UTC', cookieAgeSeconds: 1209600, djangoVersion });

describe('_session_expiry values Django can read', () => {
  it('takes what SessionBase.get_expiry_age/get_expiry_date read: absent, null, seconds, 0 and a datetime', () => {
    for (const value of [undefined, null, 3600n, 0n, -5n, 1.5, new PyDatetime(2030, 1, 1, 0, 0, 0, 0, PyTimezone.utc)]) {
      assert.equal(expiryValueProblem(value, context('3.2'), NOW), undefined, String(value));
    }
  });

  it('refuses seconds that put the expiry beyond the dates Python holds, and non-finite ones', () => {
    assert.match(expiryValueProblem(99999999999999999999n, context('5.2'), NOW)!, /beyond the dates Python can hold/);
    assert.match(expiryValueProblem(-99999999999n, context('5.2'), NOW)!, /beyond the dates Python can hold/);
    assert.equal(expiryValueProblem(100_000_000_000n, context('5.2'), NOW), undefined, 'about year 5200, and twice as far still fits');
    assert.match(expiryValueProblem(Infinity, context('5.2'), NOW)!, /finite/);
    assert.match(expiryValueProblem(NaN, context('5.2'), NOW)!, /finite/);
  });

  it('refuses seconds that a later save, which counts them again from then, would carry past year 9999 (expire --at 9999-12-31 on Django 3.2)', () => {
    assert.match(expiryValueProblem(200_000_000_000n, context('3.2'), NOW)!, /^is 200000000000 seconds, which Django counts from each save: saved again before it expires, the session would get an expiry past year 9999, and Django raises ValueError; use an earlier expiry$/);
    const toTheLastSecond = BigInt(Math.floor((Date.UTC(9999, 11, 31, 23, 59, 59) - NOW.getTime()) / 1000));
    assert.match(expiryValueProblem(toTheLastSecond, context('3.2'), NOW)!, /past year 9999/);
  });

  it('takes ISO text only where Django 4.1+ reads it, and only a date', () => {
    assert.equal(expiryValueProblem('2030-01-01T00:00:00+00:00', context('4.1'), NOW), undefined);
    assert.match(expiryValueProblem('2030-01-01T00:00:00+00:00', context('3.2'), NOW)!, /only Django 4\.1\+ reads as a date; this project's Django is 3\.2/);
    assert.match(expiryValueProblem('2030-01-01T00:00:00+00:00', context(undefined), NOW)!, /unknown \(so taken as 3\.2\)/);
    assert.match(expiryValueProblem('abc', context('5.2'), NOW)!, /not an ISO 8601 date/);
  });

  it('takes only text datetime.fromisoformat reads as a real date, naive or aware as USE_TZ wants', () => {
    const naive = { ...context('5.2'), useTz: false };
    assert.equal(expiryValueProblem('2030-01-01T00:00:00.123456+01:00', context('5.2'), NOW), undefined);
    assert.equal(expiryValueProblem('2028-02-29 23:59:59+00:00', context('5.2'), NOW), undefined);
    assert.match(expiryValueProblem('2030-01-01T00:00:00Z', context('5.2'), NOW)!, /not an ISO 8601 date and time/, 'Python before 3.11 cannot read Z');
    assert.equal(expiryValueProblem('2030-01-01T00:00:00', naive, NOW), undefined);
    for (const text of ['Tue 1 Jan 2030 10:00:00 +01:00', '2030-02-30T00:00:00+01:00', '2030-01-01T24:00:00+01:00', '2029-02-29T00:00:00+00:00', '2030-13-01T00:00:00+00:00']) {
      assert.match(expiryValueProblem(text, context('5.2'), NOW)!, /not an ISO 8601 date and time|not a real date and time/, text);
    }
    assert.match(expiryValueProblem('2030-01-01T00:00:00', context('5.2'), NOW)!, /has no offset, and with USE_TZ on/);
    assert.match(expiryValueProblem('2030-01-01T00:00:00+01:00', naive, NOW)!, /has an offset, and with USE_TZ off/);
  });

  it('refuses containers and booleans', () => {
    for (const value of [[1n], new PyDict(), true]) {
      assert.match(expiryValueProblem(value, context('5.2'), NOW)!, /must be seconds/, String(value));
    }
  });

  it('refuses, for a cache session on memcached, an expiry past 2038, which memcached drops at once', () => {
    const memcached = { ...context('5.2'), engine: 'cache' as const, cache: { backend: 'django.core.cache.backends.memcached.PyMemcacheCache' } as never };
    assert.match(expiryValueProblem(1_000_000_000n, memcached, NOW)!, /past 2038, which memcached cannot hold/);
    assert.match(expiryValueProblem('2040-01-01T00:00:00+00:00', memcached, NOW)!, /past 2038/);
    assert.equal(expiryValueProblem(300_000_000n, memcached, NOW), undefined, 'about 2036 still fits');
    assert.equal(expiryValueProblem(1_000_000_000n, { ...memcached, cache: { backend: 'django_redis.cache.RedisCache' } as never }, NOW), undefined, 'Redis keeps it');
    assert.equal(expiryValueProblem(1_000_000_000n, { ...memcached, engine: 'db' as const }, NOW), undefined, 'a row keeps it');
  });
});
