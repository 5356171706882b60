import { StoreError } from '../storeError';
import { CACHE_SESSION_PREFIX, CACHED_DB_SESSION_PREFIX, type CacheSettings } from './cacheSettings';

const PLACEHOLDER = /\{(prefix|version|key)\}/g;
/** What the cache session backend could have stored under: 8+ characters, none that memcached or a cookie refuses. */
const PLAUSIBLE_SESSION_KEY = /^[^\s\x00-\x1f\x7f]{8,}$/;

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Django's `make_key(KEY_PREFIX + session_key)`: by default `KEY_PREFIX:VERSION:<prefix><key>`, or
 * a custom `KEY_FUNCTION` given as a pattern. It maps session keys to cache keys, back again,
 * and to a SCAN `MATCH` glob.
 */
export class SessionKeyPattern {
  private readonly parts: string[];
  private readonly matcher: RegExp;
  private readonly excludedPrefix?: string;
  /** A Redis `MATCH` glob that selects (a superset of) the session keys. */
  readonly glob: string;

  constructor(private readonly settings: Pick<CacheSettings, 'keyPattern' | 'keyPrefix' | 'version' | 'sessionPrefix'>) {
    const pattern = settings.keyPattern;
    const keyCount = pattern.match(/\{key\}/g)?.length ?? 0;
    if (keyCount !== 1) {
      throw new StoreError('bad-url', `The key pattern "${pattern}" must contain {key} exactly once (it may also use {prefix} and {version}), e.g. {prefix}:{version}:{key}.`);
    }
    this.parts = pattern.split(PLACEHOLDER);
    let glob = '';
    let regex = '^';
    this.parts.forEach((part, i) => {
      if (i % 2 === 0) {
        glob += escapeGlob(part);
        regex += escapeRegExp(part);
      } else if (part === 'key') {
        glob += `${escapeGlob(settings.sessionPrefix)}*`;
        regex += `${escapeRegExp(settings.sessionPrefix)}(.+)`;
      } else {
        const value = part === 'prefix' ? settings.keyPrefix : String(settings.version);
        glob += escapeGlob(value);
        regex += escapeRegExp(value);
      }
    });
    this.glob = glob;
    this.matcher = new RegExp(`${regex}$`, 's');
    // "…sessions.cache*" also matches "…sessions.cached_db…": those belong to the cached_db engine.
    if (settings.sessionPrefix === CACHE_SESSION_PREFIX) {
      this.excludedPrefix = CACHED_DB_SESSION_PREFIX.slice(CACHE_SESSION_PREFIX.length);
    }
  }

  /** The cache key Django uses for a session key. */
  cacheKey(sessionKey: string): string {
    return this.parts
      .map((part, i) => {
        if (i % 2 === 0) {
          return part;
        }
        if (part === 'key') {
          return this.settings.sessionPrefix + sessionKey;
        }
        return part === 'prefix' ? this.settings.keyPrefix : String(this.settings.version);
      })
      .join('');
  }

  /** The session key a cache key holds, or undefined when the cache key is not one of this store's sessions. */
  sessionKey(cacheKey: string): string | undefined {
    const key = this.matcher.exec(cacheKey)?.[1];
    if (key === undefined || !PLAUSIBLE_SESSION_KEY.test(key)) {
      return undefined;
    }
    if (this.excludedPrefix && key.startsWith(this.excludedPrefix)) {
      return undefined;
    }
    return key;
  }
}
