import { isPerProcessCache } from './cache/cacheSettings';
import { serverEndpoint } from './serverEndpoint';
import type { DatabaseTarget, StoreDescriptor } from './storeDescriptor';
import { urlHost } from './hostPort';
import { withoutUserinfo } from './urlCredentials';

/**
 * Where a store is, for people: a path, servers, or the cookie of signed_cookies; 'unknown' while
 * the settings do not tell it (their problems say why). Credentials that settings may carry in a
 * cache LOCATION (`redis://:password@host`) are removed, since this text is shown and logged.
 */
export function storeLocation(d: StoreDescriptor): string {
  const places: string[] = [];
  if (d.database) {
    const db = d.database;
    places.push(db.vendor === 'sqlite' ? db.path : serverLocation(db));
  } else if (d.engine === 'db' || d.engine === 'cached_db') {
    places.push('unknown');
  }
  if (d.cache) {
    // A per-process cache (LocMemCache) is no place: it is named by its backend, its LOCATION only names it within each process.
    const backend = d.cache.backend.split('.').pop() ?? d.cache.backend;
    const locations = d.cache.locations.map(withoutUserinfo).join(', ');
    places.push(isPerProcessCache(d.cache.backend) || !locations ? `${backend}${locations ? ` '${locations}'` : ''}` : locations);
  }
  if (d.fileDir) {
    places.push(d.fileDir);
  }
  if (places.length > 0) {
    return places.join(' + ');
  }
  return d.engine === 'signed_cookies' ? `cookie ${d.cookieName}` : 'unknown';
}

/**
 * A server database as a store URL naming where the connection goes: a Unix socket, resolved as
 * the client library resolves it, is `unix_socket=` (MySQL) or `host=` (libpq's socket directory).
 */
function serverLocation(db: Exclude<DatabaseTarget, { vendor: 'sqlite' }>): string {
  const query = new URLSearchParams();
  const endpoint = serverEndpoint(db, process.env);
  const socket = 'socket' in endpoint;
  if (socket) {
    // A MySQL socket is a file, named by unix_socket=; libpq's is a directory, named by host=.
    query.set(db.vendor === 'mysql' ? 'unix_socket' : 'host', endpoint.socket);
  } else if (db.vendor === 'mysql' && db.protocol && (db.host === '' || db.host === 'localhost')) {
    query.set('protocol', db.protocol);
  }
  // Over a socket no TLS is negotiated, so an sslmode there would say what does not happen.
  if (db.tls?.mode && !socket) {
    query.set('sslmode', db.tls.mode);
  }
  if (db.options) {
    query.set('options', db.options);
  }
  const text = query.toString().replace(/%2F/g, '/');
  const host = socket ? '' : urlHost(db.host);
  // libpq's socket file is named after the port, so it stays; MySQL's socket takes none.
  const port = socket && db.vendor === 'mysql' ? undefined : db.port;
  return `${db.vendor}://${db.user ? `${db.user}@` : ''}${host}${port ? `:${port}` : ''}/${db.name}${text ? `?${text}` : ''}`;
}
