import * as path from 'node:path';
import { DEFAULT_SESSION_SALT } from '../codec';
import { isKnownTimeZone } from '../stores/djangoDatetime';
import type { CacheCompressor, CacheTargetExtras, ExtendedCacheTarget } from '../stores/cache/cacheSettings';
import { locationNamesDatabase, withPoolOptions } from '../stores/cache/redis/redisPoolOptions';
import type { DatabaseTarget, SecretKeys, StoreDescriptor } from '../stores/storeDescriptor';
import { versionAtLeast, type DjangoVersion } from './djangoVersion';
import type { Binding, ProjectProblem } from './evaluationContext';
import { BUILTIN_SESSION_ENGINES, JSON_SERIALIZER, serializerKind, SESSION_MIDDLEWARE, SESSIONS_APP } from './sessionSettingDefaults';
import { sessionFileDir } from './sessionFileDir';
import { type EngineSubclass } from './sessionEngineSubclass';
import { SettingsReader } from './settingsReader';
import { databaseRoutersCaveat } from './databaseRoutersSetting';
import { databaseTls } from './databaseTlsSettings';
import { redisPoolOptionsOf } from './redisCacheOptions';
import { mysqlConnection } from './mysqlConnectionSettings';
import { postgresOptions } from './postgresOptionsSetting';
import { pythonTypeName, type SettingValue, stringOf, strItems, unknown } from './settingValue';

const DEFAULT_CACHES: SettingValue = {
  kind: 'dict',
  entries: new Map([['default', { kind: 'dict', entries: new Map([['BACKEND', { kind: 'str', value: 'django.core.cache.backends.locmem.LocMemCache' }]]) }]]),
};

/**
 * The session store a settings module configures, as a descriptor the store adapters open.
 * Values that cannot be read statically become problems with their location, never guesses.
 */
export function storeDescriptorsFor(
  values: ReadonlyMap<string, Binding>,
  settingsFile: string,
  projectRoot: string,
  djangoVersion: DjangoVersion | undefined,
  subclassOf: (enginePath: string) => EngineSubclass | undefined = () => undefined,
): { stores: StoreDescriptor[]; problems: ProjectProblem[] } {
  const reader = new SettingsReader(values, { file: settingsFile, line: 1, column: 0 });
  const enginePath = reader.string('SESSION_ENGINE');
  if (enginePath === undefined) {
    return { stores: [], problems: reader.problems };
  }
  const builtin = BUILTIN_SESSION_ENGINES.get(enginePath);
  const subclass = builtin ? undefined : subclassOf(enginePath);
  const engine = builtin ?? (subclass && 'engine' in subclass ? subclass.engine : 'custom');
  const serializerPath = reader.string('SESSION_SERIALIZER') ?? JSON_SERIALIZER;
  const descriptor: StoreDescriptor = {
    id: '',
    engine,
    enginePath,
    table: 'django_session',
    cookieName: reader.string('SESSION_COOKIE_NAME') ?? 'sessionid',
    salt: DEFAULT_SESSION_SALT,
    serializer: serializerKind(serializerPath),
    secretKeys: secretKeys(reader, !djangoVersion || versionAtLeast(djangoVersion.version, 4, 1)),
    ...cookieAge(reader),
    expireAtBrowserClose: reader.bool('SESSION_EXPIRE_AT_BROWSER_CLOSE', false),
    useTz: reader.bool('USE_TZ', djangoVersion ? versionAtLeast(djangoVersion.version, 5, 0) : false),
    timeZone: reader.string('TIME_ZONE') ?? 'America/Chicago',
    source: reader.location('SESSION_ENGINE'),
  };
  if (djangoVersion) {
    descriptor.djangoVersion = djangoVersion.version;
  }
  Object.assign(descriptor, unknownTimeSettings(reader, descriptor.useTz));
  // Django 4.0 removed the setting; set on an unknown version, it means a 3.1/3.2 project.
  if (reader.string('DEFAULT_HASHING_ALGORITHM') === 'sha1' && !(djangoVersion && versionAtLeast(djangoVersion.version, 4, 0))) {
    descriptor.hashingAlgorithm = 'sha1';
  }
  if (engine === 'custom') {
    const why = subclass && 'why' in subclass ? ` (${subclass.why})` : '';
    reader.problems.push({
      message: `SESSION_ENGINE '${enginePath}' is not a built-in engine${why}; how it stores sessions cannot be read statically (give a store URL)`,
      location: reader.location('SESSION_ENGINE'),
    });
  }
  noteSessionsDisabled(reader, engine, descriptor);
  if (engine === 'db' || engine === 'cached_db') {
    descriptor.database = database(reader, projectRoot, descriptor.useTz);
    const routers = databaseRoutersCaveat(reader);
    if (routers) {
      descriptor.routersCaveat = routers;
    }
  }
  // Read once, for the id too: a cache that cannot be read is still named by the alias the settings give.
  const cacheAlias = engine === 'cache' || engine === 'cached_db' ? reader.string('SESSION_CACHE_ALIAS') : undefined;
  if ((engine === 'cache' || engine === 'cached_db') && cacheAlias !== undefined) {
    descriptor.cache = cache(reader, engine, cacheAlias);
  }
  if (engine === 'file') {
    const fileDir = sessionFileDir(reader, projectRoot);
    if (fileDir !== undefined) {
      descriptor.fileDir = fileDir;
    }
  }
  descriptor.id = storeId(descriptor, cacheAlias ?? '?');
  return { stores: [descriptor], problems: reader.problems };
}

/**
 * USE_TZ, and TIME_ZONE where it may matter (USE_TZ off or unknown), when the settings set them
 * in a way static reading cannot tell: Django's defaults then stand in only as assumed, so
 * nothing that depends on them is written (see assumedTimeSettings).
 */
function unknownTimeSettings(reader: SettingsReader, useTz: boolean): Pick<StoreDescriptor, 'assumedTimeSettings' | 'assumedTimeReason'> {
  const useTzValue = reader.value('USE_TZ');
  const zoneValue = reader.value('TIME_ZONE');
  const assumed: ('USE_TZ' | 'TIME_ZONE')[] = [];
  const reasons: string[] = [];
  if (useTzValue?.kind === 'unknown') {
    assumed.push('USE_TZ');
    reasons.push(`USE_TZ: ${useTzValue.reason}`);
  }
  if (zoneValue?.kind === 'unknown' && (!useTz || useTzValue?.kind === 'unknown')) {
    assumed.push('TIME_ZONE');
    reasons.push(`TIME_ZONE: ${zoneValue.reason}`);
  }
  return assumed.length > 0 ? { assumedTimeSettings: assumed, assumedTimeReason: reasons.join('; ') } : {};
}

/**
 * Notes settings that leave sessions off, where INSTALLED_APPS and MIDDLEWARE are known: a db
 * engine without the sessions app has no table to keep them in, and without SessionMiddleware
 * no request has a session (saleor's API settings have neither).
 */
function noteSessionsDisabled(reader: SettingsReader, engine: StoreDescriptor['engine'], descriptor: StoreDescriptor): void {
  const apps = strItems(reader.value('INSTALLED_APPS'));
  if ((engine === 'db' || engine === 'cached_db') && apps && !apps.some((app) => app === SESSIONS_APP || app.startsWith(`${SESSIONS_APP}.apps.`))) {
    descriptor.sessionsAppMissing = true;
    reader.problems.push({ message: `INSTALLED_APPS has no ${SESSIONS_APP}, so no migration creates the session table the ${engine} engine keeps sessions in`, location: reader.location('INSTALLED_APPS') });
  }
  const middleware = strItems(reader.value('MIDDLEWARE'));
  // A session middleware of another package (django-user-sessions', a project's subclass) gives requests a session too.
  if (middleware && !middleware.some((name) => name === SESSION_MIDDLEWARE || name.endsWith('.SessionMiddleware'))) {
    reader.problems.push({ message: `MIDDLEWARE has no ${SESSION_MIDDLEWARE}, so requests get no session: the project may not use sessions at all`, location: reader.location('MIDDLEWARE') });
  }
}

/** `cacheAlias` is SESSION_CACHE_ALIAS, `?` when it cannot be read. */
function storeId(descriptor: StoreDescriptor, cacheAlias: string): string {
  switch (descriptor.engine) {
    case 'db':
      return 'db:default';
    case 'cache':
      return `cache:${cacheAlias}`;
    case 'cached_db':
      return `cached_db:default+${cacheAlias}`;
    case 'file':
      return 'file';
    case 'signed_cookies':
      return 'signed_cookies';
    case 'custom':
      return `custom:${descriptor.enginePath}`;
  }
}

/** Why an empty or None SECRET_KEY is none: Django refuses it ("The SECRET_KEY setting must not be empty."). */
function emptySecretKey(secret: SettingValue): string {
  const what = secret.kind === 'str' ? `empty${secret.envVar ? ` (environment variable ${secret.envVar} is set to '')` : ''}` : 'None';
  return `SECRET_KEY is ${what}, and Django refuses to run with an empty SECRET_KEY`;
}

/** SECRET_KEY, then SECRET_KEY_FALLBACKS where the Django version has them (4.1+, or unknown). */
function secretKeys(reader: SettingsReader, withFallbacks: boolean): SecretKeys {
  const keys: SecretKeys = { values: [], source: reader.location('SECRET_KEY') };
  const secret = reader.value('SECRET_KEY', { kind: 'unknown', reason: 'SECRET_KEY is not set in the settings' });
  if (secret?.kind === 'str' && secret.value !== '') {
    keys.values.push(secret.value);
  } else {
    keys.missing = secret?.kind === 'unknown' ? secret.reason : secret?.kind === 'str' || secret?.kind === 'none' ? emptySecretKey(secret) : 'SECRET_KEY is not a string';
    return keys;
  }
  if (!withFallbacks) {
    return keys;
  }
  const fallbacks = reader.value('SECRET_KEY_FALLBACKS', { kind: 'list', items: [] });
  if (fallbacks?.kind === 'list' || fallbacks?.kind === 'tuple') {
    for (const item of fallbacks.items) {
      if (item.kind === 'str') {
        keys.values.push(item.value);
      } else {
        keys.missing = `SECRET_KEY_FALLBACKS: ${item.kind === 'unknown' ? item.reason : 'an item is not a string'}`;
      }
    }
  } else if (fallbacks?.kind === 'unknown') {
    keys.missing = `SECRET_KEY_FALLBACKS: ${fallbacks.reason}`;
  }
  return keys;
}

/**
 * `SESSION_COOKIE_AGE`, or Django's two weeks when it is not set. An int or a float, as Django
 * takes either (`timedelta(seconds=age)` for the expiry date, the cache's own rounding for a
 * cache's timeout): `60 * 60 * 24 * 365 / 2` is a float. One set to something that cannot be
 * read statically is marked unknown: writes that take a session's expiry from it are refused,
 * instead of giving the session two weeks where the project gives it, say, an hour.
 */
function cookieAge(reader: SettingsReader): Pick<StoreDescriptor, 'cookieAgeSeconds' | 'cookieAgeUnknown'> {
  const value = reader.value('SESSION_COOKIE_AGE');
  const seconds = reader.expect('SESSION_COOKIE_AGE', value, 'a number of seconds', (v) => ((v.kind === 'int' || v.kind === 'float') && Number.isFinite(v.value) ? v.value : undefined));
  if (seconds !== undefined) {
    return { cookieAgeSeconds: seconds };
  }
  return { cookieAgeSeconds: 1209600, cookieAgeUnknown: value?.kind === 'unknown' ? value.reason : 'it is not a number of seconds' };
}

/**
 * Django's PostgreSQL backend connects to the 'postgres' database for a NAME of None
 * (`settings_dict['NAME'] or 'postgres'`), as it is where a variable read without a default is
 * unset: that database, said, rather than none.
 */
function postgresDefaultName(reader: SettingsReader, engine: string, value: SettingValue | undefined): string | undefined {
  const none = value?.kind === 'none' || (value?.kind === 'unknown' && value.unsetIsNone);
  if (!none || !/postg/.test(engine)) {
    return undefined;
  }
  const why = value.kind === 'unknown' ? ` (${value.reason})` : '';
  reader.problems.push({ message: `DATABASES['default']['NAME'] is None${why}, so Django connects to PostgreSQL's default database 'postgres'`, location: value.kind === 'unknown' && value.location ? value.location : reader.location('DATABASES') });
  return 'postgres';
}

function database(reader: SettingsReader, projectRoot: string, useTz: boolean): DatabaseTarget | undefined {
  const databases = reader.value('DATABASES', { kind: 'unknown', reason: 'DATABASES is not set in the settings' });
  const entry = databases?.kind === 'dict' ? databases.entries.get('default') : databases;
  if (!entry || entry.kind !== 'dict') {
    reader.problems.push({
      message: `DATABASES['default']: ${entry?.kind === 'unknown' ? entry.reason : 'not found'}`,
      location: entry?.kind === 'unknown' && entry.location ? entry.location : reader.location('DATABASES'),
    });
    return undefined;
  }
  const field = (name: string): SettingValue | undefined => entry.entries.get(name);
  const optionsValue = field('OPTIONS');
  if (optionsValue && optionsValue.kind !== 'dict' && optionsValue.kind !== 'none' && optionsValue.kind !== 'unknown') {
    // Django passes OPTIONS to the driver as keyword arguments: anything but a dict fails to connect.
    reader.problems.push({ message: `DATABASES['default']['OPTIONS'] should be a dict, not ${pythonTypeName(optionsValue)}: Django cannot connect with it, so the store is not opened`, location: reader.location('DATABASES') });
    return undefined;
  }
  if (!field('ENGINE')) {
    const why = entry.emptyBecause === undefined ? '' : ` (${entry.emptyBecause})`;
    reader.problems.push({ message: `DATABASES['default'] has no ENGINE, so Django cannot connect to it${why}`, location: reader.location('DATABASES') });
    return undefined;
  }
  const engine = reader.expect("DATABASES['default']['ENGINE']", field('ENGINE'), 'a string', stringOf) ?? '';
  const name = postgresDefaultName(reader, engine, field('NAME')) ?? reader.expect("DATABASES['default']['NAME']", field('NAME'), 'a string or path', stringOf);
  if (name === undefined) {
    return undefined;
  }
  const timeZone = databaseTimeZone(reader, field('TIME_ZONE'), useTz);
  if (/sqlite3|spatialite/.test(engine)) {
    if (name === '') {
      reader.problems.push({ message: "DATABASES['default']['NAME'] is empty, and Django refuses to open SQLite without one (\"Please supply the NAME value\")", location: reader.location('DATABASES') });
      return undefined;
    }
    return { vendor: 'sqlite', path: name === ':memory:' ? name : path.resolve(projectRoot, name), ...(timeZone ? { timeZone } : {}) };
  }
  const vendor = /postg/.test(engine) ? 'postgresql' : /mysql/.test(engine) ? 'mysql' : undefined;
  if (!vendor) {
    reader.problems.push({ message: `DATABASES['default']['ENGINE'] '${engine}' is not SQLite, PostgreSQL or MySQL`, location: reader.location('DATABASES') });
    return undefined;
  }
  // A server, port or user that cannot be read is no empty one: that would connect to the local
  // server's default database under the wrong name (djangoproject.com's values from secrets.json).
  for (const part of ['HOST', 'PORT', 'USER']) {
    const value = field(part);
    if (value?.kind === 'unknown') {
      reader.expect(`DATABASES['default']['${part}']`, value, 'a string', stringOf);
      return undefined;
    }
  }
  const target: DatabaseTarget = { vendor, host: '', name, ...(timeZone ? { timeZone } : {}) };
  if (vendor === 'mysql') {
    const connection = mysqlConnection(reader, entry.entries, projectRoot);
    if (!connection) {
      return undefined;
    }
    Object.assign(target, connection);
  } else {
    // Django passes no host to psycopg for an empty HOST, so libpq's default (PGHOST, else the Unix socket) applies: '' says so.
    target.host = stringOf(field('HOST')) ?? '';
    const port = field('PORT');
    const portNumber = port?.kind === 'int' ? port.value : port?.kind === 'str' && /^\d+$/.test(port.value) ? Number(port.value) : undefined;
    if (portNumber !== undefined) {
      target.port = portNumber;
    }
    const user = stringOf(field('USER'));
    if (user) {
      target.user = user;
    }
  }
  const tls = databaseTls(reader, vendor, field('OPTIONS'), projectRoot);
  if (tls === null) {
    reader.problems.push({
      message: "DATABASES['default'] is not opened: its TLS options cannot all be read statically, and connecting with less TLS than it asks for could expose its password. Give the store as a URL with sslmode= instead.",
      location: reader.location('DATABASES'),
    });
    return undefined;
  }
  if (tls) {
    target.tls = tls;
  }
  const options = vendor === 'postgresql' ? postgresOptions(reader, field('OPTIONS')) : undefined;
  if (options === null) {
    return undefined;
  }
  if (options) {
    target.options = options;
  }
  const password = field('PASSWORD');
  if (password?.kind === 'str' && password.envVar) {
    target.passwordRef = password.envVar;
  } else if (password?.kind === 'unknown') {
    target.passwordRef = /needs environment variable (\S+)/.exec(password.reason)?.[1] ?? 'DATABASES.default.PASSWORD';
  }
  return target;
}

/**
 * `DATABASES['default']['TIME_ZONE']`, the zone SQLite and MySQL keep naive datetimes in when
 * `USE_TZ = True` (spec §3.1). Django refuses it without USE_TZ, so it is a problem then.
 */
function databaseTimeZone(reader: SettingsReader, value: SettingValue | undefined, useTz: boolean): string | undefined {
  const setting = "DATABASES['default']['TIME_ZONE']";
  if (!value || value.kind === 'none') {
    return undefined;
  }
  const zone = reader.expect(setting, value, 'a time zone name', stringOf);
  if (zone === undefined) {
    return undefined;
  }
  if (!useTz) {
    reader.problems.push({ message: `${setting} is set but USE_TZ is False; Django refuses to connect then`, location: reader.location('DATABASES') });
    return undefined;
  }
  if (!isKnownTimeZone(zone)) {
    reader.problems.push({ message: `${setting} '${zone}' is not a time zone name`, location: reader.location('DATABASES') });
    return undefined;
  }
  return zone;
}

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
      reader.problems.push({ message: `${why}; sessions are read but not written there`, location: reader.location('CACHES') });
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
      refuseWrites(`${where}['OPTIONS']['COMPRESSOR'] is ${named(compressor) ?? 'not readable statically'}, which cannot be written here (zlib and gzip can)`);
    } else if (kind !== 'none') {
      extras.compressor = kind;
    }
  }
  for (const name of ['SERIALIZER', 'serializer']) {
    const serializer = option(name);
    if (serializer && !PICKLE_SERIALIZERS.has(named(serializer) ?? '')) {
      refuseWrites(`${where}['OPTIONS']['${name}'] is ${named(serializer) ?? 'not readable statically'}, not pickle`);
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

function cache(reader: SettingsReader, engine: 'cache' | 'cached_db', alias: string): ExtendedCacheTarget | undefined {
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
  const { unreadable, ...pool } = redisPoolOptionsOf(backend, field('OPTIONS'), where);
  if (unreadable && !extras.unsupported && !locations.every(locationNamesDatabase)) {
    reader.problems.push({ message: `${unreadable}, and it may name the Redis database; the session cache cannot be opened (give a store URL with the database)`, location: reader.location('CACHES') });
    extras.unsupported = `${unreadable}, and it may name the Redis database the sessions are in, which LOCATION leaves out. Give a store URL naming the database, e.g. redis://host:6379/1.`;
  }
  return { alias, backend, locations: Object.keys(pool).length > 0 ? locations.map((l) => withPoolOptions(l, pool)) : locations, keyPrefix, version, ...extras };
}
