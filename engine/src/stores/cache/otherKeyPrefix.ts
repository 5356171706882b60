import type { SessionStore } from '../sessionStore';
import { CACHE_SESSION_PREFIX, DEFAULT_KEY_PATTERN } from './cacheSettings';
import { CacheSessionStore } from './cacheSessionStore';

/** How many SCAN steps of about 1000 keys the search takes at most, never a whole large keyspace. */
const STEPS = 5;
/** A key Django's default KEY_FUNCTION made for a cache session: `KEY_PREFIX:VERSION:django.contrib.sessions.cache<key>`. */
const DJANGO_SESSION_KEY = /^(.*):(\d+):django\.contrib\.sessions\.cache(?!d_db)./s;

/**
 * For a cache store that found no session: whether the server holds cache sessions under another
 * KEY_PREFIX or VERSION than the store's (a URL without ?key_prefix=, settings that set another),
 * said as the note that names them and how to reach them; undefined where it holds none, or the
 * store makes its keys with a KEY_FUNCTION of its own. Reads keys only, no values.
 */
export async function otherKeyPrefixNote(store: SessionStore): Promise<string | undefined> {
  if (!(store instanceof CacheSessionStore) || store.settings.keyPattern !== DEFAULT_KEY_PATTERN || store.settings.sessionPrefix !== CACHE_SESSION_PREFIX) {
    return undefined;
  }
  let cursor: string | undefined;
  try {
    for (let step = 0; step < STEPS; step++) {
      const batch = await store.backend.scan(cursor, 1000, `*${CACHE_SESSION_PREFIX}*`);
      const found = batch.keys.map((key) => DJANGO_SESSION_KEY.exec(key)).find((match) => match !== null);
      if (found) {
        return notePrefix(store, found[1]!, found[2]!);
      }
      cursor = batch.cursor;
      if (cursor === undefined) {
        break;
      }
    }
  } catch {
    // A hint is not worth failing the count or listing it follows: without it, 0 is still the answer.
  }
  return undefined;
}

function notePrefix(store: CacheSessionStore, keyPrefix: string, version: string): string {
  const { keyPrefix: ours, version: ourVersion } = store.settings;
  const saved = `${keyPrefix}:${version}:${CACHE_SESSION_PREFIX}…`;
  // Django's defaults, an empty KEY_PREFIX and VERSION 1, are what a URL without the parameter means.
  const params = [
    ...(keyPrefix !== ours ? [keyPrefix === '' ? 'no key_prefix=' : `key_prefix=${encodeURIComponent(keyPrefix)}`] : []),
    ...(version !== String(ourVersion) ? [version === '1' ? 'no version=' : `version=${version}`] : []),
  ];
  const fix = store.descriptor.id.startsWith('url:') ? `if they are the project's, the store URL needs ${params.join(' and ')}` : "check KEY_PREFIX and VERSION in the settings' CACHES";
  return `no session is saved under this store's key prefix and version ("${ours}:${ourVersion}:${CACHE_SESSION_PREFIX}…"), but the server holds cache sessions saved as "${saved}": ${fix}`;
}
