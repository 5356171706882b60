import * as assert from 'node:assert/strict';
import { localTimeText } from '../../../client/src/localTime';

describe('localTimeText', () => {
  it("shows an instant on the zone's clock with its offset, then as stored", () => {
    const iso = '2026-12-11T08:35:07.909Z';
    assert.equal(localTimeText(iso, 60), '2026-12-11 09:35:07 (UTC+01:00), 2026-12-11T08:35:07.909Z');
    assert.equal(localTimeText(iso, 0), '2026-12-11 08:35:07 (UTC+00:00), 2026-12-11T08:35:07.909Z');
    assert.equal(localTimeText(iso, 345), '2026-12-11 14:20:07 (UTC+05:45), 2026-12-11T08:35:07.909Z');
    assert.equal(localTimeText('2026-01-01T02:00:00Z', -210), '2025-12-31 22:30:00 (UTC-03:30), 2026-01-01T02:00:00Z', 'across midnight and the year');
  });

  it("uses this machine's zone by default, and leaves text that is no date as it is", () => {
    const iso = '2026-06-01T12:00:00.000Z';
    assert.equal(localTimeText(iso), localTimeText(iso, -new Date(iso).getTimezoneOffset()));
    assert.equal(localTimeText('not a date'), 'not a date');
  });
});
