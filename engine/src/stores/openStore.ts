import type { SessionStore } from './sessionStore';
import type { StoreDescriptor } from './storeDescriptor';
import { StoreError } from './storeError';
import { SqlJsSessionStore } from './sqlite/sqlJsSessionStore';

/** Opens the adapter for a descriptor's engine and database. */
export async function openStore(descriptor: StoreDescriptor): Promise<SessionStore> {
  if ((descriptor.engine === 'db' || descriptor.engine === 'cached_db') && descriptor.database?.vendor === 'sqlite') {
    return SqlJsSessionStore.open(descriptor);
  }
  const where = descriptor.database?.vendor ?? descriptor.engine;
  throw new StoreError('unsupported', `Sessions in ${where} stores are not supported yet; this release reads the db engine on SQLite.`);
}
