import * as assert from 'node:assert/strict';
import { PyDatetime, PyDict, PyTimezone } from '../../../../engine/src';
import { formatDjangoDatetime } from '../../../../engine/src/stores/djangoDatetime';
import { expiryDateOf } from '../../../../engine/src/stores/sessionExpiry';

const UTC_TZ = { useTz: true, timeZone: 'UTC' };
const context = { ...UTC_TZ, cookieAgeSeconds: 1209600 };

describe('expire_date keeps the microseconds of _session_expiry', () => {
  it('from the ISO text Django 4.1+ writes, aware or naive (USE_TZ on, so naive is UTC), and from a pickled datetime', () => {
    const now = new Date();
    for (const expiry of ['2030-01-02T01:04:05.123456+00:00', '2030-01-02T01:04:05.123456', new PyDatetime(2030, 1, 2, 1, 4, 5, 123456, PyTimezone.utc)]) {
      const date = expiryDateOf(new PyDict([['_session_expiry', expiry]]), context, now);
      assert.equal(formatDjangoDatetime(date, UTC_TZ), '2030-01-02 01:04:05.123456', String(expiry));
    }
  });

  it('round-trips a datetime through a Date and back', () => {
    const value = new PyDatetime(2030, 1, 2, 1, 4, 5, 123456, PyTimezone.utc);
    assert.equal(PyDatetime.fromDate(value.toDate()).isoformat(), value.isoformat());
  });
});
