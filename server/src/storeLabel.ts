import * as path from 'node:path';
import type { StoreDescriptor } from '../../engine/src';

const VENDORS = { sqlite: 'SQLite', postgresql: 'PostgreSQL', mysql: 'MySQL' } as const;

/** How the view names a store: its engine, then where the sessions live, e.g. "db · SQLite · db.sqlite3". */
export function storeLabel(d: StoreDescriptor): string {
  const parts: string[] = [d.engine];
  if (d.database) {
    parts.push(VENDORS[d.database.vendor], d.database.vendor === 'sqlite' ? path.basename(d.database.path) : d.database.name);
  }
  if (d.cache) {
    parts.push(cacheKind(d.cache.backend));
  }
  if (d.fileDir) {
    parts.push(path.basename(d.fileDir) || d.fileDir);
  }
  if (d.engine === 'signed_cookies') {
    parts.push("in the browser's cookie");
  }
  return parts.join(' · ');
}

function cacheKind(backend: string): string {
  if (/redis/i.test(backend)) return 'Redis';
  // Django's LocMemCache has "memcache" in its name, and is no memcached.
  if (/locmem/i.test(backend)) return 'local memory';
  if (/memcache/i.test(backend)) return 'memcached';
  return backend.split('.').pop() ?? backend;
}
