import type { StoreDescriptor } from './storeDescriptor';

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i;

/**
 * Whether every part of a store lives on this machine: files, and database and cache servers on
 * loopback addresses. Destructive changes to anything else are confirmed first, whatever the
 * user's other preferences.
 */
export function isLocalStore(descriptor: StoreDescriptor): boolean {
  const db = descriptor.database;
  const dbLocal = !db || db.vendor === 'sqlite' || LOOPBACK.test(db.host);
  const cacheLocal = (descriptor.cache?.locations ?? []).every((location) => LOOPBACK.test(hostOf(location)));
  return dbLocal && cacheLocal;
}

function hostOf(location: string): string {
  const m = /^(?:[a-z+]+:\/\/)?(?:[^@/]*@)?(\[[^\]]+\]|[^:/,]+)/i.exec(location);
  return m?.[1] ?? location;
}
