import { openCacheBackend, type CacheSecrets } from '../cache/openCacheStore';
import { cacheSettingsOf } from '../cache/cacheSettings';
import { CacheSessionStore } from '../cache/cacheSessionStore';
import type { SessionStore } from '../sessionStore';
import type { StoreDescriptor } from '../storeDescriptor';
import { StoreError } from '../storeError';
import { CachedDbSessionStore } from './cachedDbSessionStore';

/**
 * Opens a `cached_db` store: the db store for `descriptor.database` (opened by `openDbStore`,
 * which receives the descriptor with engine `db`) plus the cache in `descriptor.cache`.
 * `lateInvalidationMs` overrides how long after a change its cache entry is deleted once more.
 */
export async function openCachedDbStore(
  descriptor: StoreDescriptor,
  openDbStore: (dbDescriptor: StoreDescriptor) => Promise<SessionStore>,
  secrets: CacheSecrets = {},
  options: { lateInvalidationMs?: number } = {},
): Promise<CachedDbSessionStore> {
  if (descriptor.engine !== 'cached_db') {
    throw new StoreError('bad-url', `Store ${descriptor.id} uses the ${descriptor.engine} engine, not cached_db.`);
  }
  const settings = cacheSettingsOf(descriptor);
  const cache = await openCacheBackend(settings, secrets);
  let db: SessionStore | undefined;
  try {
    db = await openDbStore({ ...descriptor, engine: 'db' });
    return new CachedDbSessionStore(descriptor, db, new CacheSessionStore(descriptor, settings, cache), options.lateInvalidationMs);
  } catch (err) {
    // Either connection left open would keep the process alive after the error.
    await Promise.all([cache.close(), db?.close()]);
    throw err;
  }
}
