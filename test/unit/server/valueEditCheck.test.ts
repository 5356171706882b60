import * as assert from 'node:assert/strict';
import { isValueJson } from '../../../server/src/sessionEdit';

describe('the value Edit Value takes', () => {
  it('is JSON that nests, with the session dict holding it, no deeper than Django can load', () => {
    assert.equal(isValueJson(`${'['.repeat(499)}${']'.repeat(499)}`), true);
    assert.equal(isValueJson(`${'['.repeat(500)}${']'.repeat(500)}`), false);
    assert.equal(isValueJson('"blue"'), true);
    assert.equal(isValueJson('blue'), false);
  });
});
