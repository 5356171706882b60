import * as assert from 'node:assert/strict';
import { CACHE_SESSION_PREFIX, CACHED_DB_SESSION_PREFIX, DEFAULT_KEY_PATTERN } from '../../../../../engine/src/stores/cache/cacheSettings';
import { SessionKeyPattern } from '../../../../../engine/src/stores/cache/sessionKeyPattern';
import { StoreError } from '../../../../../engine/src/stores/storeError';

const KEY = 'abcdefghijklmnopqrstuvwxyz012345';

function pattern(over: Partial<ConstructorParameters<typeof SessionKeyPattern>[0]> = {}): SessionKeyPattern {
  return new SessionKeyPattern({ keyPattern: DEFAULT_KEY_PATTERN, keyPrefix: '', version: 1, sessionPrefix: CACHE_SESSION_PREFIX, ...over });
}

describe('SessionKeyPattern', () => {
  it("builds Django's default keys (spec §3.2)", () => {
    assert.equal(pattern().cacheKey(KEY), `:1:django.contrib.sessions.cache${KEY}`);
    assert.equal(pattern({ keyPrefix: 'myapp', version: 7 }).cacheKey(KEY), `myapp:7:django.contrib.sessions.cache${KEY}`);
    assert.equal(pattern({ sessionPrefix: CACHED_DB_SESSION_PREFIX }).cacheKey(KEY), `:1:django.contrib.sessions.cached_db${KEY}`);
    assert.equal(pattern().cacheKey(KEY).length, 64);
  });

  it('maps cache keys back, and refuses keys of other stores', () => {
    const p = pattern({ keyPrefix: 'shop', version: 2 });
    assert.equal(p.sessionKey(`shop:2:django.contrib.sessions.cache${KEY}`), KEY);
    assert.equal(p.sessionKey(`shop:3:django.contrib.sessions.cache${KEY}`), undefined, 'other version');
    assert.equal(p.sessionKey(`shop:2:django.contrib.sessions.cached_db${KEY}`), undefined, 'the cached_db engine');
    assert.equal(p.sessionKey('shop:2:django.contrib.sessions.cacheshort'), undefined, 'under 8 characters');
    assert.equal(p.sessionKey('shop:2:views.decorators.cache.cache_page.x'), undefined);
    assert.equal(pattern({ sessionPrefix: CACHED_DB_SESSION_PREFIX }).sessionKey(`:1:django.contrib.sessions.cached_db${KEY}`), KEY);
  });

  it('escapes glob characters in the prefix so SCAN MATCH selects only this store', () => {
    const p = pattern({ keyPrefix: 'a*b?[c]\\' });
    assert.equal(p.glob, 'a\\*b\\?\\[c\\]\\\\:1:django.contrib.sessions.cache*');
    assert.equal(p.sessionKey(`a*b?[c]\\:1:django.contrib.sessions.cache${KEY}`), KEY);
  });

  it('honours a custom KEY_FUNCTION given as a pattern', () => {
    const p = pattern({ keyPattern: 'v{version}|{key}|{prefix}', keyPrefix: 'site', version: 3 });
    assert.equal(p.cacheKey(KEY), `v3|django.contrib.sessions.cache${KEY}|site`);
    assert.equal(p.sessionKey(p.cacheKey(KEY)), KEY);
    assert.equal(p.glob, 'v3|django.contrib.sessions.cache*|site');
    assert.throws(() => pattern({ keyPattern: '{prefix}:{version}' }), (e: unknown) => e instanceof StoreError && e.code === 'bad-url' && /\{key\}/.test(e.message));
  });
});
