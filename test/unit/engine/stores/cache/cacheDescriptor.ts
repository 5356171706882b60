import { parseCacheUrl } from '../../../../../engine/src/stores/cache/cacheUrl';
import type { StoreDescriptor } from '../../../../../engine/src/stores/storeDescriptor';

export const TEST_SECRET = 'cache-test-secret-key-cache-test-secret-key-00000';

/** A descriptor for a cache (or cached_db) store named by URL, with Django's defaults. */
export function cacheDescriptor(url: string, engine: 'cache' | 'cached_db' = 'cache', extra: Partial<StoreDescriptor> = {}): StoreDescriptor {
  return {
    id: `test:${engine}`,
    engine,
    enginePath: `django.contrib.sessions.backends.${engine}`,
    table: 'django_session',
    cache: parseCacheUrl(url).target,
    cookieName: 'sessionid',
    salt: 'django.contrib.sessions.SessionStore',
    serializer: 'json',
    secretKeys: { values: [TEST_SECRET] },
    cookieAgeSeconds: 1209600,
    expireAtBrowserClose: false,
    useTz: true,
    timeZone: 'UTC',
    ...extra,
  };
}
