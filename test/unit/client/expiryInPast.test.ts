import * as assert from 'node:assert/strict';
import { expiryInPast } from '../../../client/src/expiryInPast';

const NOW = Date.parse('2026-11-27T12:00:00Z');

describe('Set Expiry: a date that has passed', () => {
  it('tells a zoned date by the instant it names', () => {
    assert.equal(expiryInPast('2026-11-27T11:59:59Z', NOW), true);
    assert.equal(expiryInPast('2026-11-27T13:00:00+02:00', NOW), true, '11:00 UTC');
    assert.equal(expiryInPast('2026-11-27T12:00:01Z', NOW), false);
  });

  it('takes a date without a zone as passed only once it has in every zone, with a space or a T', () => {
    assert.equal(expiryInPast('2026-11-26 21:00', NOW), true, '14 hours behind still passed');
    assert.equal(expiryInPast('2026-11-27T00:00', NOW), false, 'still ahead at UTC+14');
    assert.equal(expiryInPast('2030-01-01T00:00', NOW), false);
  });
});
