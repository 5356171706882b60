import * as assert from 'node:assert/strict';
import { absoluteExpiry } from '../../../../../engine/src/stores/sessionExpiry';
import { naiveExpiryDatetime } from '../../../../../engine/src/stores/cache/naiveExpiry';

describe('naive expiry datetimes (USE_TZ = False)', () => {
  it("holds TIME_ZONE's wall-clock time and reads back as the same instant", () => {
    const instant = new Date(Date.UTC(2030, 6, 1, 12, 30, 15, 250));
    const context = { useTz: false, timeZone: 'Europe/Paris' };
    const naive = naiveExpiryDatetime(instant, context);
    assert.equal(naive.tzinfo, null);
    assert.equal(naive.isoformat(), '2030-07-01T14:30:15.250000');
    assert.equal(absoluteExpiry(naive, context)?.getTime(), instant.getTime());
  });
});
