import * as assert from 'node:assert/strict';
import { describeExpiry, storedExpiryMeaning } from '../../../client/src/expiryText';

describe('describeExpiry', () => {
  const now = Date.parse('2026-01-10T12:00:00Z');

  it('says how long until a live session expires', () => {
    assert.equal(describeExpiry('2026-01-13T13:00:00Z', false, now), 'expires in 3 days');
    assert.equal(describeExpiry('2026-01-10T13:20:00Z', false, now), 'expires in 1 hour');
  });

  it('rounds to the nearest unit, so an expiry just set 2 hours or 14 days ahead reads so a moment later', () => {
    assert.equal(describeExpiry('2026-01-10T13:59:59Z', false, now), 'expires in 2 hours');
    assert.equal(describeExpiry('2026-01-24T11:59:30Z', false, now), 'expires in 14 days');
  });

  it('says "1 day" and "1 hour" where the unit below would round to 24 hours or 60 minutes, as the rows above and below read', () => {
    assert.equal(describeExpiry('2026-01-11T11:40:00Z', false, now), 'expires in 1 day');
    assert.equal(describeExpiry('2026-01-11T11:20:00Z', false, now), 'expires in 23 hours');
    assert.equal(describeExpiry('2026-01-10T12:59:45Z', false, now), 'expires in 1 hour');
    assert.equal(describeExpiry('2026-01-10T12:59:15Z', false, now), 'expires in 59 minutes');
    assert.equal(describeExpiry('2026-01-09T12:20:00Z', true, now), 'expired 1 day ago');
  });

  it('says how long ago an expired session expired', () => {
    assert.equal(describeExpiry('2026-01-10T11:58:00Z', true, now), 'expired 2 minutes ago');
  });

  it("says when a store keeps a session past its cookie's expiry", () => {
    assert.equal(describeExpiry('2026-01-10T11:00:00Z', false, now, true), 'cookie expired 1 hour ago, session kept');
  });

  it('says a browser-close session ends with the browser, its date only how long the store keeps it', () => {
    assert.equal(describeExpiry('2026-01-23T12:00:00Z', false, now, false, true), 'ends when the browser closes, or in 13 days');
    assert.equal(describeExpiry('2026-01-24T06:00:00Z', false, now, false, true), 'ends when the browser closes, or in 14 days');
    assert.equal(describeExpiry(undefined, false, now, false, true), 'ends when the browser closes');
    assert.equal(describeExpiry('2026-01-10T11:00:00Z', true, now, false, true), 'expired 1 hour ago');
  });

  it('admits when the expiry is unknown', () => {
    assert.equal(describeExpiry(undefined, false, now), 'expiry unknown');
  });
});

describe('storedExpiryMeaning', () => {
  it('reads what set_expiry() stored: seconds after the last save, 0 for the browser closing, a date, and nothing else', () => {
    assert.equal(storedExpiryMeaning('int', '3600'), 'set_expiry(3600): the session ends 1 hour after it was last saved');
    assert.equal(storedExpiryMeaning('int', '0'), 'set_expiry(0): the session ends when the browser closes');
    assert.equal(storedExpiryMeaning('datetime', 'datetime.datetime(2030, 1, 1, 0, 0)'), 'set_expiry() with a date: the session ends at this date');
    assert.equal(storedExpiryMeaning('list', '[1]'), undefined);
  });

  it('says a date stored as text is Django 4.1+\'s, which 3.2 and 4.0 fail on', () => {
    assert.equal(
      storedExpiryMeaning('str', "'2030-01-01T00:00:00'"),
      'set_expiry() with a date: the session ends at this date, as Django 4.1+ stores it; Django 3.2 and 4.0 read it as text and fail with TypeError saving the session',
    );
  });
});
