import { serverEndpoint } from './serverEndpoint';
import type { StoreDescriptor } from './storeDescriptor';

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i;
// redis-py's unix://[user[:password]@]/path (and unix:/path) names a socket file, which has no host to judge.
const SOCKET = /^unix:/i;

/**
 * Whether every part of a store lives on this machine: files, and database and cache servers on
 * loopback addresses or Unix sockets. Destructive changes to anything else are confirmed first, whatever the
 * user's other preferences.
 */
export function isLocalStore(descriptor: StoreDescriptor): boolean {
  const cacheLocal = (descriptor.cache?.locations ?? []).every((location) => SOCKET.test(location) || LOOPBACK.test(hostOf(location)));
  return databaseIsLocal(descriptor.database) && cacheLocal;
}

function databaseIsLocal(db: StoreDescriptor['database']): boolean {
  if (!db || db.vendor === 'sqlite') {
    return true;
  }
  // A host may be left to the client library (libpq: PGHOST, else the socket; libmariadb: its socket); a socket is on this machine.
  const endpoint = serverEndpoint(db, process.env);
  return 'socket' in endpoint || LOOPBACK.test(endpoint.host);
}

function hostOf(location: string): string {
  const m = /^(?:[a-z+]+:\/\/)?(?:[^@/]*@)?(\[[^\]]+\]|[^:/,]+)/i.exec(location);
  return m?.[1] ?? location;
}
