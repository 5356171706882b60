import { parseRedisLocation } from './cache/redis/redisLocation';
import type { StoreDescriptor } from './storeDescriptor';

/**
 * The environment variables a store's passwords are read from: the one settings name
 * (`passwordRef`), else each client's usual variable; each once. Editors fill these from their secret
 * storage, so passwords never sit in settings files or URLs.
 */
export function passwordVariables(descriptor: StoreDescriptor): string[] {
  const names: string[] = [];
  const db = descriptor.database;
  // A password the settings give is the one Django uses: no variable or secret stands in for it.
  if (db && db.vendor !== 'sqlite' && db.password === undefined) {
    names.push(db.passwordRef ?? (db.vendor === 'postgresql' ? 'PGPASSWORD' : 'MYSQL_PWD'));
  }
  // Nor for Redis locations that carry the settings' password, which wins over any variable.
  if (descriptor.cache && /redis/i.test(descriptor.cache.backend) && !descriptor.cache.locations.every(carriesPassword)) {
    names.push(descriptor.cache.passwordRef ?? 'REDISCLI_AUTH');
  }
  return [...new Set(names)];
}

function carriesPassword(location: string): boolean {
  try {
    return parseRedisLocation(location).password !== undefined;
  } catch {
    return false;
  }
}
