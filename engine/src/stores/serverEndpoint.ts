import { mysqlEndpoint } from './mysql/mysqlDefaults';
import { isSocketHost, libpqHost, libpqPort } from './postgres/libpqDefaults';
import type { DatabaseTarget } from './storeDescriptor';

/** Where a server database connection goes, once the client library has filled in what the target leaves out. */
type ServerEndpoint = { socket: string } | { host: string };

/**
 * The endpoint of a PostgreSQL or MySQL target as its client library resolves it: libpq's
 * `PGHOST` or socket directory for an empty host, libmariadb's Unix socket for none or `localhost`.
 */
export function serverEndpoint(db: Exclude<DatabaseTarget, { vendor: 'sqlite' }>, env: NodeJS.ProcessEnv): ServerEndpoint {
  if (db.vendor === 'mysql') {
    return mysqlEndpoint(db, env);
  }
  const host = libpqHost(db.host, libpqPort(db.port, env), env);
  return isSocketHost(host) ? { socket: host } : { host };
}
