import type { RedisPoolOptions } from '../stores/cache/redis/redisPoolOptions';
import { type SettingValue, stringOf } from './settingValue';

const DJANGO_REDIS_CACHE = 'django.core.cache.backends.redis.RedisCache';

/**
 * The redis-py pool keywords a Redis cache's `OPTIONS` give: Django's RedisCache passes
 * `OPTIONS` itself to the pool, django-redis its `CONNECTION_POOL_KWARGS` (and `PASSWORD`
 * under them). `unreadable` says why the database may be set there but cannot be read
 * statically; a password that cannot be read is left to `REDISCLI_AUTH`, since a wrong one
 * fails loudly where a wrong database would not. `passwordRef` names the variable the settings
 * read the password from when it is not set here, so the password can be given there, as for
 * a database.
 */
export function redisPoolOptionsOf(backend: string, options: SettingValue | undefined, where: string): RedisPoolOptions & { unreadable?: string; passwordRef?: string } {
  const djangoRedis = backend.startsWith('django_redis.');
  if ((backend !== DJANGO_REDIS_CACHE && !djangoRedis) || !options || options.kind === 'none') {
    return {};
  }
  if (options.kind !== 'dict') {
    return { unreadable: `${where}['OPTIONS'] cannot be read statically${options.kind === 'unknown' ? ` (${options.reason})` : ''}` };
  }
  let keywords = options.entries;
  let name = `${where}['OPTIONS']`;
  if (djangoRedis) {
    const pool = options.entries.get('CONNECTION_POOL_KWARGS');
    name = `${name}['CONNECTION_POOL_KWARGS']`;
    if (pool && pool.kind !== 'dict' && pool.kind !== 'none') {
      return { unreadable: `${name} cannot be read statically${pool.kind === 'unknown' ? ` (${pool.reason})` : ''}` };
    }
    keywords = pool?.kind === 'dict' ? pool.entries : new Map();
  }
  const result: RedisPoolOptions & { unreadable?: string; passwordRef?: string } = {};
  const db = keywords.get('db');
  if (db?.kind === 'int' || db?.kind === 'none' || (db?.kind === 'str' && /^\d+$/.test(db.value))) {
    // redis-py selects no database for None, which is database 0.
    result.db = db.kind === 'none' ? 0 : Number(db.value);
  } else if (db) {
    result.unreadable = `${name}['db'] ${db.kind === 'unknown' ? `cannot be read statically (${db.reason})` : 'is not a database index'}`;
  }
  const username = stringOf(keywords.get('username'));
  const passwordValue = keywords.get('password') ?? (djangoRedis ? options.entries.get('PASSWORD') : undefined);
  const password = stringOf(passwordValue);
  const passwordRef = passwordValue?.kind === 'unknown' ? /needs environment variable (\w+)/.exec(passwordValue.reason)?.[1] : undefined;
  return { ...result, ...(username ? { username } : {}), ...(password ? { password } : {}), ...(passwordRef ? { passwordRef } : {}) };
}
