import * as assert from 'node:assert/strict';
import { formatNaiveDatetime, parseNaiveDatetime } from '../../../../engine/src';

describe('Django naive datetimes', () => {
  it('reads USE_TZ=True text as UTC, with or without microseconds', () => {
    const utc = { useTz: true, timeZone: 'America/Chicago' };
    assert.equal(parseNaiveDatetime('2030-01-01 12:00:00.123456', utc)?.toISOString(), '2030-01-01T12:00:00.123Z');
    assert.equal(parseNaiveDatetime('2030-01-01 12:00:00', utc)?.toISOString(), '2030-01-01T12:00:00.000Z');
  });

  it('reads USE_TZ=False text as wall-clock time in TIME_ZONE, across DST', () => {
    const chicago = { useTz: false, timeZone: 'America/Chicago' };
    assert.equal(parseNaiveDatetime('2030-01-15 06:00:00', chicago)?.toISOString(), '2030-01-15T12:00:00.000Z');
    assert.equal(parseNaiveDatetime('2030-07-15 07:00:00', chicago)?.toISOString(), '2030-07-15T12:00:00.000Z');
  });

  it('reads every shape Django and databases write: T or space, 0 to 6 fraction digits, padding', () => {
    const utc = { useTz: true, timeZone: 'UTC' };
    assert.equal(parseNaiveDatetime('2030-01-01T12:00:00.123456', utc)?.toISOString(), '2030-01-01T12:00:00.123Z');
    assert.equal(parseNaiveDatetime('2030-01-01 12:00:00.5', utc)?.toISOString(), '2030-01-01T12:00:00.500Z');
    assert.equal(parseNaiveDatetime('2030-01-01 12:00:00.000999', utc)?.toISOString(), '2030-01-01T12:00:00.000Z');
    assert.equal(parseNaiveDatetime(' 2030-01-01 12:00:00 ', utc)?.toISOString(), '2030-01-01T12:00:00.000Z');
  });

  it('rejects text that is not a Django datetime', () => {
    const utc = { useTz: true, timeZone: 'UTC' };
    assert.equal(parseNaiveDatetime('yesterday', utc), undefined);
    assert.equal(parseNaiveDatetime('2030-01-01 12:00:0x.123456', utc), undefined);
    assert.equal(parseNaiveDatetime('2030-01-01 12:00:00.12345x', utc), undefined);
    assert.equal(parseNaiveDatetime('2030/01/01 12:00:00', utc), undefined);
  });

  it('formats a moment the way Django writes it, so text comparison in SQL works', () => {
    const moment = new Date('2030-07-15T12:00:00.5Z');
    assert.equal(formatNaiveDatetime(moment, { useTz: true, timeZone: 'UTC' }), '2030-07-15 12:00:00.500000');
    assert.equal(formatNaiveDatetime(moment, { useTz: false, timeZone: 'Europe/Paris' }), '2030-07-15 14:00:00.500000');
  });

  it('gives the wall time of an instant next to a DST change as zoneinfo does (Python checked these)', () => {
    const paris = { useTz: false, timeZone: 'Europe/Paris' };
    const expected: Array<[string, string]> = [
      ['2024-10-27T00:30:00Z', '2024-10-27 02:30:00.000000'],
      ['2024-10-27T01:30:00Z', '2024-10-27 02:30:00.000000'],
      ['2024-03-31T00:59:00Z', '2024-03-31 01:59:00.000000'],
      ['2024-03-31T01:30:00Z', '2024-03-31 03:30:00.000000'],
    ];
    for (const [instant, wall] of expected) {
      assert.equal(formatNaiveDatetime(new Date(instant), paris), wall, instant);
    }
  });
});
