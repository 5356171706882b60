import { mysqlEndpoint } from './mysql/mysqlDefaults';
import { isSocketHost, libpqHost, libpqPort } from './postgres/libpqDefaults';
import type { DatabaseTarget, StoreDescriptor } from './storeDescriptor';
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
    places.push(db.vendor === 'sqlite' ? db.path : serverLocation(db));
  }
  if (d.cache) {
    places.push(d.cache.locations.map(withoutUserinfo).join(', '));
  }
  if (d.fileDir) {
    places.push(d.fileDir);
  }
  return places.join(' + ') || d.enginePath;
}

/**
 * A server database as a store URL naming where the connection goes: a Unix socket, resolved as
 * the client library resolves it, is `unix_socket=` (MySQL) or `host=` (libpq's socket directory).
 */
function serverLocation(db: Exclude<DatabaseTarget, { vendor: 'sqlite' }>): string {
  const query = new URLSearchParams();
  let host = db.host;
  let port = db.port;
  if (db.vendor === 'mysql') {
    const endpoint = mysqlEndpoint(db, process.env);
    if ('socket' in endpoint) {
      query.set('unix_socket', endpoint.socket);
      host = '';
      port = undefined;
    } else if (db.protocol && (db.host === '' || db.host === 'localhost')) {
      query.set('protocol', db.protocol);
    }
  } else {
    const resolved = libpqHost(db.host, libpqPort(db.port, process.env), process.env);
    if (isSocketHost(resolved)) {
      query.set('host', resolved);
      host = '';
    }
  }
  // Over a socket no TLS is negotiated, so an sslmode there would say what does not happen.
  if (db.tls?.mode && !query.has('unix_socket') && !query.has('host')) {
    query.set('sslmode', db.tls.mode);
  }
  if (db.options) {
    query.set('options', db.options);
  }
  const text = query.toString().replace(/%2F/g, '/');
  return `${db.vendor}://${db.user ? `${db.user}@` : ''}${host}${port ? `:${port}` : ''}/${db.name}${text ? `?${text}` : ''}`;
}
