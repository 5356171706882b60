import * as assert from 'node:assert/strict';
import { globMatcher } from '../../../../../engine/src/stores/cache/globMatcher';

describe('globMatcher', () => {
  it('matches as Redis MATCH does: * any run, ? one character, [..] a class, \\ the next character as it is', () => {
    const session = globMatcher(':1:django.contrib.sessions.cache*');
    assert.equal(session(':1:django.contrib.sessions.cacheabcdefgh12345678'), true);
    assert.equal(session(':1:django.contrib.sessions.cached_dbabcdefgh'), true);
    assert.equal(session(':1:views.page'), false);
    assert.equal(session('x:1:django.contrib.sessions.cacheabc'), false, 'anchored at the start');
    assert.equal(session(':1:djangoXcontrib.sessions.cacheabc'), false, 'a dot is a dot');
    assert.equal(globMatcher('a?c')('abc'), true);
    assert.equal(globMatcher('a?c')('ac'), false);
    assert.equal(globMatcher('v[12]:*')('v2:x'), true);
    assert.equal(globMatcher('v[^12]:*')('v2:x'), false);
    assert.equal(globMatcher('v[a-c]')('vb'), true);
  });

  it('takes escaped glob characters literally, as SessionKeyPattern escapes a prefix', () => {
    const literal = globMatcher('pre\\*fix\\?\\[x\\]:*');
    assert.equal(literal('pre*fix?[x]:key'), true);
    assert.equal(literal('preAfixB[x]:key'), false);
    assert.equal(globMatcher('a\\\\b*')('a\\bc'), true);
  });

  it('matches keys spanning lines, as memcached keys cannot but a prefix might', () => {
    assert.equal(globMatcher('p*')('p\nq'), true);
  });
});
