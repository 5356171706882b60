import type { StoreDescriptor } from './storeDescriptor';

/**
 * Where a store is, for people: a path, servers or the engine itself. Credentials that settings
 * may carry in a cache LOCATION (`redis://:password@host`) are removed, since this text is shown
 * and logged.
 */
export function storeLocation(d: StoreDescriptor): string {
  const places: string[] = [];
  if (d.database) {
    places.push(d.database.vendor === 'sqlite' ? d.database.path : `${d.database.vendor}://${d.database.user ? `${d.database.user}@` : ''}${d.database.host}${d.database.port ? `:${d.database.port}` : ''}/${d.database.name}`);
  }
  if (d.cache) {
    places.push(d.cache.locations.map(withoutCredentials).join(', '));
  }
  if (d.fileDir) {
    places.push(d.fileDir);
  }
  return places.join(' + ') || d.enginePath;
}

/** `scheme://user:password@host/…` → `scheme://host/…`; anything else unchanged. */
function withoutCredentials(location: string): string {
  return location.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}
