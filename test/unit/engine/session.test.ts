import * as assert from 'node:assert/strict';
import { PyDatetime, PyDict, PyTimedelta, PyTimezone, pyRepr } from '../../../engine/src/codec';
import { DEFAULT_SESSION_COOKIE_AGE, Session, SessionExpiryError, SessionKeyError, type SessionSettings } from '../../../engine/src/session';
import { generateSessionKey, isValidFileSessionKey, isValidSessionKey } from '../../../engine/src/sessionKeys';
import { describeSessionKey, wellKnownSessionKeys } from '../../../engine/src/wellKnownKeys';

const NOW = new Date('2026-01-01T00:00:00.000Z');

function session(settings: SessionSettings = {}, data = new PyDict()): Session {
  return new Session(data, 'abcdefgh12345678', { now: () => NOW, ...settings });
}

describe('session: SessionBase semantics', () => {
  describe('keys', () => {
    it('generates 32 characters of [a-z0-9], different each time', () => {
      const keys = new Set(Array.from({ length: 200 }, generateSessionKey));
      assert.equal(keys.size, 200);
      for (const k of keys) assert.match(k, /^[a-z0-9]{32}$/);
    });

    it('uses every allowed character', () => {
      const seen = new Set(Array.from({ length: 100 }, generateSessionKey).join(''));
      assert.equal(seen.size, 36);
    });

    it('validates keys as Django does: 8+ characters; the file backend also wants [a-z0-9]', () => {
      assert.equal(isValidSessionKey('1234567'), false);
      assert.equal(isValidSessionKey('12345678'), true);
      assert.equal(isValidSessionKey('../../etc/passwd'), true);
      assert.equal(isValidFileSessionKey('../../etc/passwd'), false);
      assert.equal(isValidFileSessionKey('abcdef0123456789'), true);
      assert.equal(isValidFileSessionKey('ABCDEF0123456789'), false);
      assert.equal(new Session(new PyDict(), 'short').sessionKey, null);
    });

    it('cycles the key, keeping the data and retrying while the key exists', () => {
      const s = session({}, new PyDict([['cart', [1n]]]));
      let calls = 0;
      const old = s.cycleKey(() => ++calls < 3);
      assert.equal(old, 'abcdefgh12345678');
      assert.equal(calls, 3);
      assert.match(s.sessionKey ?? '', /^[a-z0-9]{32}$/);
      assert.equal(pyRepr(s.data), "{'cart': [1]}");
      assert.equal(s.modified, true);
    });
  });

  describe('dict operations and the modified flag', () => {
    it('marks reads as accessed, not modified', () => {
      const s = session({}, new PyDict([['a', 1n]]));
      assert.equal(s.get('a'), 1n);
      assert.equal(s.get('zz', 'd'), 'd');
      assert.equal(s.has('a'), true);
      assert.deepEqual(s.keys(), ['a']);
      assert.equal(s.accessed, true);
      assert.equal(s.modified, false);
    });

    it('raises KeyError for a missing item and a missing delete, without modifying', () => {
      const s = session();
      assert.throws(() => s.getItem('x'), SessionKeyError);
      assert.throws(() => s.delete('x'), SessionKeyError);
      assert.equal(s.modified, false);
    });

    it('pop modifies only when the key existed', () => {
      const s = session({}, new PyDict([['a', 1n]]));
      assert.equal(s.pop('b', null), null);
      assert.equal(s.modified, false);
      assert.throws(() => s.pop('b'), SessionKeyError);
      assert.equal(s.pop('a'), 1n);
      assert.equal(s.modified, true);
    });

    it('setdefault modifies only when it inserts', () => {
      const s = session({}, new PyDict([['a', 1n]]));
      assert.equal(s.setdefault('a', 2n), 1n);
      assert.equal(s.modified, false);
      assert.equal(s.setdefault('b', 2n), 2n);
      assert.equal(s.modified, true);
    });

    it('update always modifies, even when empty', () => {
      const s = session();
      s.update([]);
      assert.equal(s.modified, true);
    });

    it('clear and flush empty the data; flush also drops the key', () => {
      const s = session({}, new PyDict([['a', 1n]]));
      s.clear();
      assert.equal(s.data.size, 0);
      assert.equal(s.isEmpty(), false);
      assert.equal(s.flush(), 'abcdefgh12345678');
      assert.equal(s.sessionKey, null);
      assert.equal(s.isEmpty(), true);
    });

    it('sets and checks the test cookie', () => {
      const s = session();
      s.setTestCookie();
      assert.equal(s.testCookieWorked(), true);
      s.deleteTestCookie();
      assert.equal(s.testCookieWorked(), false);
    });
  });

  describe('expiry', () => {
    it('defaults to SESSION_COOKIE_AGE and SESSION_EXPIRE_AT_BROWSER_CLOSE', () => {
      const s = session();
      assert.equal(s.getExpiryAge(), DEFAULT_SESSION_COOKIE_AGE);
      assert.equal(s.getExpiryDate().getTime(), NOW.getTime() + DEFAULT_SESSION_COOKIE_AGE * 1000);
      assert.equal(s.getExpireAtBrowserClose(), false);
      assert.equal(session({ expireAtBrowserClose: true, cookieAgeSeconds: 60 }).getExpireAtBrowserClose(), true);
      assert.equal(session({ cookieAgeSeconds: 60 }).getExpiryAge(), 60);
    });

    it('stores seconds as an int, and 0 means browser close', () => {
      const s = session();
      s.setExpiry(300);
      assert.equal(s.get('_session_expiry'), 300n);
      assert.equal(s.getExpiryAge(), 300);
      assert.equal(s.getExpiryDate().getTime(), NOW.getTime() + 300_000);
      s.setExpiry(0);
      assert.equal(s.getExpireAtBrowserClose(), true);
      assert.equal(s.getExpiryAge(), DEFAULT_SESSION_COOKIE_AGE);
      s.setExpiry(null);
      assert.equal(s.has('_session_expiry'), false);
      assert.equal(s.getExpireAtBrowserClose(), false);
    });

    it('Django ≥ 4.1 stores an absolute expiry as an ISO string, aware or naive per USE_TZ', () => {
      const s = session({ djangoVersion: '5.2' });
      s.setExpiry(new PyTimedelta(0, 3600));
      assert.equal(s.get('_session_expiry'), '2026-01-01T01:00:00+00:00');
      assert.equal(s.getExpiryAge(), 3600);
      assert.equal(s.getExpiryDate().toISOString(), '2026-01-01T01:00:00.000Z');
      s.setExpiry(new PyDatetime(2030, 1, 1, 12, 0, 0, 123456, PyTimezone.utc));
      assert.equal(s.get('_session_expiry'), '2030-01-01T12:00:00.123456+00:00');
      const naive = session({ djangoVersion: '4.1', useTz: false });
      naive.setExpiry(new Date('2030-01-01T12:00:00.000Z'));
      assert.equal(naive.get('_session_expiry'), '2030-01-01T12:00:00');
    });

    it('Django 3.2 keeps a datetime object, which only PickleSerializer can save', () => {
      assert.throws(() => session({ djangoVersion: '3.2' }).setExpiry(new PyTimedelta(1)), SessionExpiryError);
      const s = session({ djangoVersion: '3.2', serializer: 'pickle' });
      s.setExpiry(new PyTimedelta(1));
      assert.equal(pyRepr(s.get('_session_expiry')), 'datetime.datetime(2026, 1, 2, 0, 0, tzinfo=datetime.timezone.utc)');
      assert.equal(s.getExpiryAge(), 86400);
    });

    it('Django 3.2 cannot use an ISO string expiry (it crashes), 4.1+ can', () => {
      const data = () => new PyDict([['_session_expiry', '2026-01-01T00:00:10+00:00']]);
      assert.throws(() => session({ djangoVersion: '3.2' }, data()).getExpiryDate(), SessionExpiryError);
      assert.equal(session({ djangoVersion: '4.2' }, data()).getExpiryAge(), 10);
    });

    it('Django 4.1+ takes an empty expiry for the default age but cannot compute a date from it (fromisoformat raises); 3.2 takes it for the default in both', () => {
      const empty = () => new PyDict([['_session_expiry', '']]);
      const recent = session({ djangoVersion: '5.2' }, empty());
      assert.equal(recent.getExpiryAge(), DEFAULT_SESSION_COOKIE_AGE);
      assert.throws(() => recent.getExpiryDate(), (err: Error) => err instanceof SessionExpiryError && /Invalid isoformat string: ""/.test(err.message));
      const old = session({ djangoVersion: '3.2' }, empty());
      assert.equal(old.getExpiryAge(), DEFAULT_SESSION_COOKIE_AGE);
      assert.equal(old.getExpiryDate().getTime(), NOW.getTime() + DEFAULT_SESSION_COOKIE_AGE * 1000);
    });

    it('with USE_TZ off writes naive TIME_ZONE wall-clock time, and reads it back there', () => {
      for (const [version, serializer] of [['3.2', 'pickle'], ['5.2', 'json']] as const) {
        const s = session({ djangoVersion: version, serializer, useTz: false, timeZone: 'Asia/Tokyo' });
        s.setExpiry(new PyTimedelta(0, 3600));
        const stored = s.get('_session_expiry');
        assert.equal(version === '5.2' ? stored : (stored as PyDatetime).isoformat(), '2026-01-01T10:00:00');
        assert.equal(s.getExpiryAge(), 3600);
        assert.equal(s.getExpiryDate().toISOString(), '2026-01-01T01:00:00.000Z');
      }
      const chicago = session({ djangoVersion: '4.2', useTz: false, timeZone: 'America/Chicago' });
      chicago.setExpiry(new Date('2026-07-01T12:00:00.250Z'));
      assert.equal(chicago.get('_session_expiry'), '2026-07-01T07:00:00.250000', 'CDT, UTC-5');
      assert.equal(chicago.getExpiryDate().toISOString(), '2026-07-01T12:00:00.250Z');
      const read = session({ djangoVersion: '5.2', useTz: false, timeZone: 'Asia/Tokyo' }, new PyDict([['_session_expiry', '2026-01-01T09:00:30']]));
      assert.equal(read.getExpiryAge(), 30);
    });

    it('a relative expiry with USE_TZ off is wall-clock time, as naive datetime arithmetic is', () => {
      // 2026-03-08 02:00 America/Chicago jumps to 03:00: a day of wall time is 23 hours of real time.
      const s = new Session(new PyDict([['_session_expiry', 86400n]]), 'abcdefgh12345678', { useTz: false, timeZone: 'America/Chicago', now: () => new Date('2026-03-07T18:00:00Z') });
      assert.equal(s.getExpiryDate().toISOString(), '2026-03-08T17:00:00.000Z');
      assert.equal(session({ useTz: true }, new PyDict([['_session_expiry', 60n]])).getExpiryDate().getTime(), NOW.getTime() + 60_000);
    });

    it('normalises an absolute expiry: aware UTC with USE_TZ, naive local time without', () => {
      const plus2 = new PyDatetime(2030, 1, 1, 12, 0, 0, 5, new PyTimezone(new PyTimedelta(0, 7200)));
      const aware = session({ djangoVersion: '5.2' });
      aware.setExpiry(plus2);
      assert.equal(aware.get('_session_expiry'), '2030-01-01T10:00:00.000005+00:00');
      const naive = session({ djangoVersion: '5.2', useTz: false, timeZone: 'America/Chicago' });
      naive.setExpiry(plus2);
      assert.equal(naive.get('_session_expiry'), '2030-01-01T04:00:00.000005');
      const fromNaive = session({ djangoVersion: '5.2', timeZone: 'Asia/Tokyo' });
      fromNaive.setExpiry(new PyDatetime(2030, 1, 1, 9));
      assert.equal(fromNaive.get('_session_expiry'), '2030-01-01T00:00:00+00:00', 'a naive value is read in TIME_ZONE, as make_aware does');
    });

    it('reading a naive expiry with USE_TZ on (or aware with it off) fails as Django does', () => {
      const naiveStored = session({ djangoVersion: '5.2' }, new PyDict([['_session_expiry', '2030-01-01T00:00:00']]));
      assert.throws(() => naiveStored.getExpiryAge(), (e: unknown) => e instanceof SessionExpiryError && /TypeError/.test(e.message));
      const awareStored = session({ djangoVersion: '5.2', useTz: false }, new PyDict([['_session_expiry', '2030-01-01T00:00:00+00:00']]));
      assert.throws(() => awareStored.getExpiryAge(), SessionExpiryError);
      assert.equal(awareStored.getExpiryDate().toISOString(), '2030-01-01T00:00:00.000Z', 'get_expiry_date only returns it');
    });

    it('refuses a TIME_ZONE that is not an IANA name', () => {
      assert.throws(() => session({ timeZone: 'Mars/Olympus' }), RangeError);
    });

    it('rounds a negative age down, as timedelta days*86400 + seconds does', () => {
      const s = session({ djangoVersion: '5.0' });
      const just = new PyDatetime(2025, 12, 31, 23, 59, 59, 999_999, PyTimezone.utc);
      assert.equal(s.getExpiryAge({ expiry: just }), -1);
      assert.equal(s.getExpiryAge({ expiry: null }), DEFAULT_SESSION_COOKIE_AGE);
    });
  });

  describe('well-known keys', () => {
    it('describes the keys Django writes', () => {
      for (const key of ['_auth_user_id', '_auth_user_backend', '_auth_user_hash', '_session_expiry', '_messages', '_csrftoken', '_language']) {
        assert.ok(describeSessionKey(key)?.description, key);
      }
      assert.equal(describeSessionKey('cart'), undefined);
      assert.ok(wellKnownSessionKeys().length >= 9);
    });
  });
});
