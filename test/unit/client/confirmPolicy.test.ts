import * as assert from 'node:assert/strict';
import { mustConfirm } from '../../../client/src/confirmPolicy';

describe('mustConfirm', () => {
  it('always asks before any change to a store on another machine', () => {
    for (const confirmChanges of [true, false]) {
      assert.equal(mustConfirm('destructive', false, confirmChanges), true);
      assert.equal(mustConfirm('edit', false, confirmChanges), true);
    }
  });

  it('on this machine, asks before destructive changes unless turned off, and never before edits', () => {
    assert.equal(mustConfirm('destructive', true, true), true);
    assert.equal(mustConfirm('destructive', true, false), false);
    assert.equal(mustConfirm('edit', true, true), false);
    assert.equal(mustConfirm('edit', true, false), false);
  });
});
