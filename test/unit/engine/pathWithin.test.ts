import * as assert from 'node:assert/strict';
import { isWithin } from '../../../engine/src';

describe('isWithin', () => {
  it('goes by whole path segments', () => {
    assert.equal(isWithin('/w', '/w'), true);
    assert.equal(isWithin('/w', '/w/app/views.py'), true);
    assert.equal(isWithin('/w', '/w/..cache/views.py'), true, 'a folder whose name starts with two dots is inside');
    assert.equal(isWithin('/w', '/w2/views.py'), false);
    assert.equal(isWithin('/w/app', '/w/views.py'), false);
    assert.equal(isWithin('/w', '/'), false);
  });
});
