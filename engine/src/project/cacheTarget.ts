import type { CacheCompressor, CacheTargetExtras, ExtendedCacheTarget } from '../stores/cache/cacheSettings';
import { locationNamesDatabase, withPoolOptions } from '../stores/cache/redis/redisPoolOptions';
import { redisPoolOptionsOf } from './redisCacheOptions';
import type { SettingsReader } from './settingsReader';
import { type SettingValue, stringOf, unknown } from './settingValue';

const DEFAULT_CACHES: SettingValue = {
  kind: 'dict',
  entries: new Map([['default', { kind: 'dict', entries: new Map([['BACKEND', { kind: 'str', value: 'django.core.cache.backends.locmem.LocMemCache' }]]) }]]),
};

/** A cache's `LOCATION`: one string (`;`- or `,`-separated servers) or a list of them; undefined, with a problem, when unreadable. */
function cacheLocations(reader: SettingsReader, name: string, location: SettingValue | undefined): string[] | undefined {
  if (!location || location.kind === 'none') {
    return [];
  }
  if (location.kind === 'list' || location.kind === 'tuple') {
    const items = location.items.map((item) => reader.expect(name, item, 'a list of strings', stringOf));
    return items.every((item) => item !== undefined) ? items : undefined;
  }
  return reader.expect(name, location, 'a string or a list of strings', stringOf)?.split(/[;,]/).map((part) => part.trim()).filter(Boolean);
}

/** django-redis `COMPRESSOR`s by class path: those Node's zlib writes, and the identity (none). */
const COMPRESSORS = new Map<string, CacheCompressor | 'none'>([
  ['django_redis.compressors.zlib.ZlibCompressor', 'zlib'],
  ['django_redis.compressors.gzip.GzipCompressor', 'gzip'],
  ['django_redis.compressors.identity.IdentityCompressor', 'none'],
]);
/** django-redis's JSON serializer, whose session objects are read (not written: its encoder turns dates into text). */
const JSON_SERIALIZER = 'django_redis.serializers.json.JSONSerializer';

/** The serializers that pickle, as django-redis (`SERIALIZER`) and Django's RedisCache (`serializer`) name them. */
const PICKLE_SERIALIZERS = new Set(['django_redis.serializers.pickle.PickleSerializer', 'django.core.cache.backends.redis.RedisSerializer']);
const DEFAULT_KEY_FUNCTION = 'django.core.cache.backends.base.default_key_func';

/**
 * What a cache's `KEY_FUNCTION` and `OPTIONS` mean for its sessions: the compressor and pickle
 * protocol to write, or why the store cannot be used (a custom key function: every key would
 * be looked up under the wrong name, so listings come back empty) or must not be written (a
 * value format Django could not read back). Each such setting is also a project problem.
 * cached_db writes its sessions to the table and only deletes from the cache, so there a value
 * format matters only where it keeps cache entries from being read to compare with the rows.
 */
function cacheOptions(reader: SettingsReader, alias: string, entry: { entries: Map<string, SettingValue> }, serverCount: number, engine: 'cache' | 'cached_db'): CacheTargetExtras {
  const extras: CacheTargetExtras = {};
  const where = `CACHES['${alias}']`;
  /** A value format that cannot be written here; `readable` when entries in it still decode. */
  const refuseWrites = (why: string, readable = false) => {
    if (engine === 'cache') {
      reader.problems.push({ message: `${why}; sessions are ${readable ? 'read but not written' : 'neither read nor written'} there`, location: reader.location('CACHES') });
      extras.writeRefusal ??= `${why}, so sessions written here could not be read by Django; nothing was written. Change the setting, or give a store URL that matches it.`;
    } else if (!readable) {
      reader.problems.push({ message: `${why}; cache entries may not decode, so they cannot be compared with their rows for drift (sessions are still read and written in the table)`, location: reader.location('CACHES') });
    }
  };
  const keyFunction = entry.entries.get('KEY_FUNCTION');
  const keyFunctionName = keyFunction?.kind === 'ref' ? keyFunction.name : stringOf(keyFunction);
  if (keyFunction && keyFunction.kind !== 'none' && keyFunctionName !== DEFAULT_KEY_FUNCTION) {
    const why = `${where}['KEY_FUNCTION'] is a custom key function (${keyFunctionName ?? 'not readable statically'}), which cannot be followed`;
    reader.problems.push({ message: `${why}; the session cache cannot be opened (give a store URL with key_pattern=)`, location: reader.location('CACHES') });
    extras.unsupported = `${why}: session keys would be looked up under the wrong names. Give a store URL with key_pattern= spelling what it builds from {prefix}, {version} and {key}.`;
    return extras;
  }
  const options = entry.entries.get('OPTIONS');
  if (!options || options.kind === 'none') {
    return extras;
  }
  if (options.kind !== 'dict') {
    refuseWrites(`${where}['OPTIONS'] cannot be read statically${options.kind === 'unknown' ? ` (${options.reason})` : ''}, so the value format is unknown`);
    return extras;
  }
  const option = (name: string) => options.entries.get(name);
  const named = (value: SettingValue | undefined) => (value?.kind === 'ref' ? value.name : stringOf(value));
  const clientClass = named(option('CLIENT_CLASS'));
  if (clientClass === 'django_redis.client.ShardClient' && serverCount > 1) {
    const why = `${where} uses django-redis's ShardClient, which spreads sessions over its servers by its own hashing`;
    reader.problems.push({ message: `${why}; the session cache cannot be opened (point a store URL at one server)`, location: reader.location('CACHES') });
    extras.unsupported = `${why}, which is not followed here: listings would miss sessions and reads would look on the wrong server. Give a store URL for one server.`;
    return extras;
  }
  const compressor = option('COMPRESSOR');
  if (compressor) {
    const kind = COMPRESSORS.get(named(compressor) ?? '');
    if (kind === undefined) {
      refuseWrites(`${where}['OPTIONS']['COMPRESSOR'] is ${named(compressor) ?? 'not readable statically'}, which cannot be read or written here (zlib and gzip can)`);
    } else if (kind !== 'none') {
      extras.compressor = kind;
    }
  }
  for (const name of ['SERIALIZER', 'serializer']) {
    const serializer = option(name);
    if (serializer && !PICKLE_SERIALIZERS.has(named(serializer) ?? '')) {
      // The cache engine reads django-redis's JSON sessions (cached_db compares only pickles with its rows).
      const json = engine === 'cache' && named(serializer) === JSON_SERIALIZER;
      if (json) {
        extras.jsonValues = true;
      }
      refuseWrites(`${where}['OPTIONS']['${name}'] is ${named(serializer) ?? 'not readable statically'}, not pickle`, json);
    }
  }
  const pickleVersion = option('PICKLE_VERSION');
  if (pickleVersion) {
    const version = pickleVersion.kind === 'int' ? pickleVersion.value : undefined;
    if (version !== undefined && version >= 2 && version <= 5) {
      extras.pickleProtocol = version;
    } else if (version !== -1) {
      // -1 is the writing Python's highest protocol, which the reading one may not know: the default (4) is read by all.
      refuseWrites(`${where}['OPTIONS']['PICKLE_VERSION'] is ${version ?? 'not readable statically'}; protocols 2 to 5 can be written`, true);
    }
  }
  return extras;
}

/** The cache a `cache` or `cached_db` store keeps sessions in: `CACHES[alias]`, as a target the cache adapters open. */
export function cache(reader: SettingsReader, engine: 'cache' | 'cached_db', alias: string): ExtendedCacheTarget | undefined {
  const caches = reader.value('CACHES', DEFAULT_CACHES);
  const entry = caches?.kind === 'dict' ? caches.entries.get(alias) : caches;
  if (!entry || entry.kind !== 'dict') {
    reader.problems.push({
      message: entry?.kind === 'unknown' ? `CACHES['${alias}']: ${entry.reason}` : `SESSION_CACHE_ALIAS '${alias}' is not in CACHES`,
      location: entry?.kind === 'unknown' && entry.location ? entry.location : reader.location('CACHES'),
    });
    return undefined;
  }
  // A guess at where sessions live would list none and report a logout as done: unreadable is a problem, and no store.
  const where = `CACHES['${alias}']`;
  const field = (name: string) => entry.entries.get(name);
  const locations = cacheLocations(reader, `${where}['LOCATION']`, field('LOCATION'));
  const backend = reader.expect(`${where}['BACKEND']`, field('BACKEND') ?? unknown('not set'), 'a string', stringOf);
  // Django formats the prefix into each key with %s, so a number (django-environ's ?key_prefix=2024) is its digits.
  const keyPrefix = field('KEY_PREFIX') ? reader.expect(`${where}['KEY_PREFIX']`, field('KEY_PREFIX'), 'a string', (v) => stringOf(v) ?? (v.kind === 'int' ? String(v.value) : undefined)) : '';
  const version = field('VERSION') ? reader.expect(`${where}['VERSION']`, field('VERSION'), 'an integer', (v) => (v.kind === 'int' ? v.value : undefined)) : 1;
  if (locations === undefined || backend === undefined || keyPrefix === undefined || version === undefined) {
    return undefined;
  }
  const extras = cacheOptions(reader, alias, entry, locations.length, engine);
  // OPTIONS may name the database a LOCATION leaves out; unread, a logout would clear another database.
  const { unreadable, passwordRef, ...pool } = redisPoolOptionsOf(backend, field('OPTIONS'), where);
  if (unreadable && !extras.unsupported && !locations.every(locationNamesDatabase)) {
    reader.problems.push({ message: `${unreadable}, and it may name the Redis database; the session cache cannot be opened (give a store URL with the database)`, location: reader.location('CACHES') });
    extras.unsupported = `${unreadable}, and it may name the Redis database the sessions are in, which LOCATION leaves out. Give a store URL naming the database, e.g. redis://host:6379/1.`;
  }
  return { alias, backend, locations: Object.keys(pool).length > 0 ? locations.map((l) => withPoolOptions(l, pool)) : locations, keyPrefix, version, ...(passwordRef ? { passwordRef } : {}), ...extras };
}
