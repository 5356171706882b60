import type { SettingValue } from './settingValue';

/** Django's `global_settings` for sessions (identical in 3.2 and 5.2). */
export const SESSION_SETTING_DEFAULTS: ReadonlyMap<string, SettingValue> = new Map<string, SettingValue>([
  ['SESSION_CACHE_ALIAS', { kind: 'str', value: 'default' }],
  ['SESSION_COOKIE_AGE', { kind: 'int', value: 1209600 }],
  ['SESSION_COOKIE_DOMAIN', { kind: 'none' }],
  ['SESSION_COOKIE_HTTPONLY', { kind: 'bool', value: true }],
  ['SESSION_COOKIE_NAME', { kind: 'str', value: 'sessionid' }],
  ['SESSION_COOKIE_PATH', { kind: 'str', value: '/' }],
  ['SESSION_COOKIE_SAMESITE', { kind: 'str', value: 'Lax' }],
  ['SESSION_COOKIE_SECURE', { kind: 'bool', value: false }],
  ['SESSION_ENGINE', { kind: 'str', value: 'django.contrib.sessions.backends.db' }],
  ['SESSION_EXPIRE_AT_BROWSER_CLOSE', { kind: 'bool', value: false }],
  ['SESSION_FILE_PATH', { kind: 'none' }],
  ['SESSION_SAVE_EVERY_REQUEST', { kind: 'bool', value: false }],
  ['SESSION_SERIALIZER', { kind: 'str', value: 'django.contrib.sessions.serializers.JSONSerializer' }],
]);

/** The built-in engines by module path. */
export const BUILTIN_SESSION_ENGINES: ReadonlyMap<string, 'db' | 'cache' | 'cached_db' | 'file' | 'signed_cookies'> = new Map([
  ['django.contrib.sessions.backends.db', 'db'],
  ['django.contrib.sessions.backends.cache', 'cache'],
  ['django.contrib.sessions.backends.cached_db', 'cached_db'],
  ['django.contrib.sessions.backends.file', 'file'],
  ['django.contrib.sessions.backends.signed_cookies', 'signed_cookies'],
] as const);

/** The app whose migration makes the session table, and the middleware that gives requests their session. */
export const SESSIONS_APP = 'django.contrib.sessions';
export const SESSION_MIDDLEWARE = 'django.contrib.sessions.middleware.SessionMiddleware';

/**
 * Whether a MIDDLEWARE entry gives requests a session: Django's, another package's (django-user-sessions'),
 * or a project's subclass under its own name (CommCare's SelectiveSessionMiddleware), as Django's admin check (E410) accepts.
 */
export function isSessionMiddleware(name: string): boolean {
  return name === SESSION_MIDDLEWARE || /SessionMiddleware$/.test(name);
}

/** Whether an INSTALLED_APPS entry installs the sessions app: its module, or an AppConfig in its `apps`. */
export function isSessionsApp(app: string): boolean {
  return app === SESSIONS_APP || app.startsWith(`${SESSIONS_APP}.apps.`);
}

export const JSON_SERIALIZER = 'django.contrib.sessions.serializers.JSONSerializer';
export const PICKLE_SERIALIZER = 'django.contrib.sessions.serializers.PickleSerializer';

/**
 * The paths that import Django's JSON serializer itself: the sessions' JSONSerializer is
 * `django.core.signing.JSONSerializer` imported as BaseJSONSerializer (3.2 to 5.2), so each
 * writes the very same bytes.
 */
const JSON_SERIALIZER_PATHS: ReadonlySet<string> = new Set([JSON_SERIALIZER, 'django.core.signing.JSONSerializer', 'django.contrib.sessions.serializers.BaseJSONSerializer']);

/** Whether a `SESSION_SERIALIZER` path names Django's own JSON serializer, under any of its importable names. */
export function isJsonSerializer(serializerPath: string): boolean {
  return JSON_SERIALIZER_PATHS.has(serializerPath);
}

/** What `SESSION_SERIALIZER` names: Django's JSON or pickle serializer, or one of the project's. */
export function serializerKind(serializerPath: string): 'json' | 'pickle' | 'custom' {
  return isJsonSerializer(serializerPath) ? 'json' : serializerPath === PICKLE_SERIALIZER ? 'pickle' : 'custom';
}

const GLOBAL_SETTINGS = 'django.conf.global_settings.';

/**
 * The value of a name from Django's `global_settings` (`global_settings.SESSION_COOKIE_AGE`)
 * where it is known: the session settings. Undefined for any other qualified name.
 */
export function globalSettingValue(qualifiedName: string): SettingValue | undefined {
  return qualifiedName.startsWith(GLOBAL_SETTINGS) ? SESSION_SETTING_DEFAULTS.get(qualifiedName.slice(GLOBAL_SETTINGS.length)) : undefined;
}
