import * as assert from 'node:assert/strict';
import { RawJson, toJsonText } from '../../../cli/src/jsonOutput';

describe('CLI JSON output', () => {
  it('uses snake_case keys, ISO dates, and drops undefined fields', () => {
    const text = toJsonText({ sessionKey: 'k', expireDate: new Date('2030-01-01T00:00:00Z'), userId: undefined, nextCursor: null });
    assert.equal(text, '{"session_key":"k","expire_date":"2030-01-01T00:00:00.000Z","next_cursor":null}');
  });

  it('embeds exact JSON verbatim so big ints survive', () => {
    assert.equal(toJsonText({ data: new RawJson('{"n":12345678901234567890,"f":1.0}') }), '{"data":{"n":12345678901234567890,"f":1.0}}');
  });
});
