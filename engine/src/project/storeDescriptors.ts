import { DEFAULT_SESSION_SALT } from '../codec';
import type { StoreDescriptor } from '../stores/storeDescriptor';
import * as path from 'node:path';
import { mayBeOnEitherSide, versionAtLeast, type DjangoVersion } from './djangoVersion';
import type { Binding, ProjectProblem } from './evaluationContext';
import { BUILTIN_SESSION_ENGINES, isSessionMiddleware, isSessionsApp, JSON_SERIALIZER, serializerKind, SESSION_MIDDLEWARE, SESSIONS_APP } from './sessionSettingDefaults';
import { sessionFileDir } from './sessionFileDir';
import { type EngineSubclass } from './sessionEngineSubclass';
import { SettingsReader } from './settingsReader';
import { secretKeys } from './secretKeySettings';
import { database } from './databaseTarget';
import { cache } from './cacheTarget';
import { databaseRoutersCaveat } from './databaseRoutersSetting';
import { strItems } from './settingValue';

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
  givesSession: (middleware: string) => boolean = isSessionMiddleware,
): { stores: StoreDescriptor[]; problems: ProjectProblem[] } {
  const reader = new SettingsReader(values, { file: settingsFile, line: 1, column: 0 });
  const enginePath = reader.string('SESSION_ENGINE');
  if (enginePath === undefined) {
    return { stores: [], problems: reader.problems };
  }
  const builtin = BUILTIN_SESSION_ENGINES.get(enginePath);
  const subclass = builtin ? undefined : subclassOf(enginePath);
  const engine = builtin ?? (subclass && 'engine' in subclass ? subclass.engine : 'custom');
  // One the settings set but static reading cannot tell is not Django's default (django-hijack's `if django.VERSION < (4, 0)` pickle).
  const serializerUnknown = reader.value('SESSION_SERIALIZER')?.kind === 'unknown';
  const serializerPath = reader.string('SESSION_SERIALIZER') ?? JSON_SERIALIZER;
  const descriptor: StoreDescriptor = {
    id: '',
    engine,
    enginePath,
    table: 'django_session',
    cookieName: reader.string('SESSION_COOKIE_NAME') ?? 'sessionid',
    salt: DEFAULT_SESSION_SALT,
    serializer: serializerUnknown ? 'unknown' : serializerKind(serializerPath),
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
  Object.assign(descriptor, unknownTimeSettings(reader, descriptor.useTz, djangoVersion));
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
  noteSessionsDisabled(reader, engine, descriptor, givesSession);
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
  if (engine === 'cached_db' && descriptor.database && !descriptor.cache) {
    descriptor.tableOnlyRefusal = unknownCacheRefusal(reader);
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
 * Why a cached_db store whose table is known but whose cache is not is read from the table and
 * not changed: Django serves each session from that cache first and saves its copy back over the row.
 */
function unknownCacheRefusal(reader: SettingsReader): string {
  const why = reader.problems.find((problem) => /^(CACHES|SESSION_CACHE_ALIAS)/.test(problem.message))?.message ?? 'the settings do not name it statically';
  return `The session cache cannot be read from the settings (${why}): Django serves each session from that cache before the table and saves its copy back over the row, so a change made to the table alone could be undone. Sessions are read from the table and nothing was changed; name the cache with a store URL (postgres://user@host/db?cache=redis%3A%2F%2Fhost%3A6379%2F1), or set what the settings need to name it.`;
}

/**
 * USE_TZ, and TIME_ZONE where it may matter (USE_TZ off or unknown), when the settings set them
 * in a way static reading cannot tell, or leave USE_TZ to a default the project's Django version
 * does not tell (False before 5.0, True from it): Django's defaults then stand in only as
 * assumed, so nothing that depends on them is written (see assumedTimeSettings).
 */
function unknownTimeSettings(reader: SettingsReader, useTz: boolean, djangoVersion: DjangoVersion | undefined): Pick<StoreDescriptor, 'assumedTimeSettings' | 'assumedTimeReason'> {
  const useTzValue = reader.value('USE_TZ');
  const zoneValue = reader.value('TIME_ZONE');
  const assumed: ('USE_TZ' | 'TIME_ZONE')[] = [];
  const reasons: string[] = [];
  if (useTzValue?.kind === 'unknown') {
    assumed.push('USE_TZ');
    reasons.push(`USE_TZ: ${useTzValue.reason}`);
  } else if (useTzValue === undefined && mayBeOnEitherSide(djangoVersion, 5, 0)) {
    assumed.push('USE_TZ');
    reasons.push(`USE_TZ is not set, and its default is False before Django 5.0 and True from 5.0, ${unknownVersion(djangoVersion)}`);
  }
  if (zoneValue?.kind === 'unknown' && (!useTz || assumed.includes('USE_TZ'))) {
    assumed.push('TIME_ZONE');
    reasons.push(`TIME_ZONE: ${zoneValue.reason}`);
  }
  return assumed.length > 0 ? { assumedTimeSettings: assumed, assumedTimeReason: reasons.join('; ') } : {};
}

/** How the project's Django version leaves a default unknown: not found, or a range across the change. */
function unknownVersion(djangoVersion: DjangoVersion | undefined): string {
  return djangoVersion ? `which ${djangoVersion.specifier} in ${path.basename(djangoVersion.source.file)} both allow` : 'and no requirement or lock file gives the Django version';
}

/**
 * Notes settings that leave sessions off, where INSTALLED_APPS and MIDDLEWARE are known: a db
 * engine without the sessions app has no table to keep them in, and without a session middleware
 * (one `givesSession` tells: a subclass of the project's own counts, whatever its name) no request
 * has a session (saleor's API settings have neither).
 */
function noteSessionsDisabled(reader: SettingsReader, engine: StoreDescriptor['engine'], descriptor: StoreDescriptor, givesSession: (middleware: string) => boolean): void {
  const apps = strItems(reader.value('INSTALLED_APPS'));
  if ((engine === 'db' || engine === 'cached_db') && apps && !apps.some(isSessionsApp)) {
    descriptor.sessionsAppMissing = true;
    reader.problems.push({ message: `INSTALLED_APPS has no ${SESSIONS_APP}, so no migration creates the session table the ${engine} engine keeps sessions in`, location: reader.location('INSTALLED_APPS') });
  }
  const middleware = strItems(reader.value('MIDDLEWARE'));
  if (middleware && !middleware.some(givesSession)) {
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
