import * as assert from 'node:assert/strict';
import { readableJson } from '../../../client/src/readableJson';

describe('readableJson', () => {
  it("writes non-ASCII escapes as their characters, a surrogate pair as one, inside strings only", () => {
    assert.equal(readableJson('"Zo\\u00eb \\u2603 \\ud83d\\ude00"'), '"Zoë ☃ 😀"');
    assert.equal(readableJson('{"\\u043a\\u043b\\u044e\\u0447": ["\\u00e9", 1.5, null]}'), '{"ключ": ["é", 1.5, null]}');
  });

  it('keeps the escapes that have no plain form, and an escaped backslash before a u', () => {
    assert.equal(readableJson('"a\\u0001b\\n\\"q\\""'), '"a\\u0001b\\n\\"q\\""');
    assert.equal(readableJson('"lone \\ud83d end \\ude00"'), '"lone \\ud83d end \\ude00"');
    assert.equal(readableJson('"\\\\u00e9 is text"'), '"\\\\u00e9 is text"');
  });

  it('reads back as the same value', () => {
    for (const json of ['"Zo\\u00eb"', '{"a": "\\ud83d\\ude00", "b": ["\\u00ff\\\\"]}', '"\\u20ac 5"']) {
      assert.deepEqual(JSON.parse(readableJson(json)), JSON.parse(json));
    }
  });
});
