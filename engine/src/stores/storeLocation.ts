import type { StoreDescriptor } from './storeDescriptor';
import { withoutUserinfo } from './urlCredentials';

/**
 * Where a store is, for people: a path, servers or the engine itself. Credentials that settings
 * may carry in a cache LOCATION (`redis://:password@host`) are removed, since this text is shown
 * and logged.
 */
export function storeLocation(d: StoreDescriptor): string {
  const places: string[] = [];
  if (d.database) {
    const db = d.database;
    places.push(
      db.vendor === 'sqlite'
        ? db.path
        : `${db.vendor}://${db.user ? `${db.user}@` : ''}${db.host}${db.port ? `:${db.port}` : ''}/${db.name}${serverQuery(db)}`,
    );
  }
  if (d.cache) {
    places.push(d.cache.locations.map(withoutUserinfo).join(', '));
  }
  if (d.fileDir) {
    places.push(d.fileDir);
  }
  return places.join(' + ') || d.enginePath;
}

/** The sslmode and libpq options (which may pick the session table's schema) a server database is opened with. */
function serverQuery(db: { tls?: { mode?: string }; options?: string }): string {
  const query = new URLSearchParams();
  if (db.tls?.mode) {
    query.set('sslmode', db.tls.mode);
  }
  if (db.options) {
    query.set('options', db.options);
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}
