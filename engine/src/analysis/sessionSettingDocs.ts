import { BUILTIN_SESSION_ENGINES, JSON_SERIALIZER, PICKLE_SERIALIZER } from '../project/sessionSettingDefaults';

/** The values Django accepts for a session setting, as the lint rules check them. */
export type SessionSettingType = 'bool' | 'seconds' | 'str' | 'str-or-none' | 'path-or-none' | 'samesite';

/** What one of Django's `SESSION_*` settings does and which values it takes. */
export interface SessionSettingDoc {
  type: SessionSettingType;
  /** One line, after Django's settings reference. */
  summary: string;
}

/**
 * Django's session settings (identical in 3.2 and 5.2), the one table that completion, hover
 * and the settings lint rules share. Their defaults are `SESSION_SETTING_DEFAULTS`.
 */
export const SESSION_SETTING_DOCS: ReadonlyMap<string, SessionSettingDoc> = new Map<string, SessionSettingDoc>([
  ['SESSION_CACHE_ALIAS', { type: 'str', summary: 'The key of CACHES that the cache and cached_db engines keep sessions in.' }],
  ['SESSION_COOKIE_AGE', { type: 'seconds', summary: 'How long a session lasts, in seconds: the cookie max-age and the stored expiry.' }],
  ['SESSION_COOKIE_DOMAIN', { type: 'str-or-none', summary: "The session cookie's domain, e.g. '.example.com' to share it across subdomains; None for the current host only." }],
  ['SESSION_COOKIE_HTTPONLY', { type: 'bool', summary: 'Sends the session cookie with HttpOnly, so JavaScript in the page cannot read it.' }],
  ['SESSION_COOKIE_NAME', { type: 'str', summary: 'The name of the session cookie; it must differ from the other cookies of the site.' }],
  ['SESSION_COOKIE_PATH', { type: 'str', summary: "The session cookie's path; set it when several Django sites share one host name." }],
  ['SESSION_COOKIE_SAMESITE', { type: 'samesite', summary: "The session cookie's SameSite flag: 'Lax', 'Strict', 'None', or False for none." }],
  ['SESSION_COOKIE_SECURE', { type: 'bool', summary: 'Sends the session cookie with Secure, so browsers send it over HTTPS only.' }],
  ['SESSION_ENGINE', { type: 'str', summary: 'The module that stores session data: the db, cache, cached_db, file or signed_cookies backend, or your own.' }],
  ['SESSION_EXPIRE_AT_BROWSER_CLOSE', { type: 'bool', summary: 'Makes the session cookie a browser-length cookie that ends when the browser closes.' }],
  ['SESSION_FILE_PATH', { type: 'path-or-none', summary: "The directory the file engine writes sessions to; None for the system's temporary directory." }],
  ['SESSION_SAVE_EVERY_REQUEST', { type: 'bool', summary: 'Saves the session (and renews its expiry) on every request, not only when it changed.' }],
  ['SESSION_SERIALIZER', { type: 'str', summary: 'The class that turns session data into bytes: JSONSerializer, or the deprecated PickleSerializer.' }],
]);

/** A setting's type in words, as completion, hover and lint messages show it. */
export const SESSION_SETTING_TYPE_WORDS: Record<SessionSettingType, string> = {
  bool: 'True or False',
  seconds: 'an int or float (seconds)',
  str: 'a str',
  'str-or-none': 'a str or None',
  'path-or-none': 'a path or None',
  samesite: "'Lax', 'Strict', 'None', False or None",
};

/** One value a setting can be given from a fixed set. */
export interface SessionSettingChoice {
  /** The Python literal: `'Lax'`, `False`. */
  literal: string;
  /** The characters inside the quotes, when the literal is a string. */
  text?: string;
  summary: string;
  /** The summary quotes the project's settings, to be shown as text, never read as Markdown. */
  plainText?: true;
  deprecated?: boolean;
}

const ENGINE_SUMMARIES: Record<string, string> = {
  db: 'Sessions in the django_session table of the database.',
  cache: 'Sessions in the cache only: fast, but lost when the cache evicts or restarts.',
  cached_db: 'Sessions in the database, read through the cache.',
  file: 'One file per session under SESSION_FILE_PATH.',
  signed_cookies: "The whole session, signed with SECRET_KEY, in the browser's cookie.",
};

/** The values of a setting with a fixed set of them (engines, serializers, SameSite, booleans); empty for the rest. */
export function sessionSettingChoices(name: string): SessionSettingChoice[] {
  switch (name) {
    case 'SESSION_ENGINE':
      return [...BUILTIN_SESSION_ENGINES].map(([module, engine]) => stringChoice(module, ENGINE_SUMMARIES[engine]!));
    case 'SESSION_SERIALIZER':
      return [
        stringChoice(JSON_SERIALIZER, "Django's default: JSON, which holds str, int, float, bool, None, list and dict."),
        { ...stringChoice(PICKLE_SERIALIZER, 'Deprecated in Django 4.1 and removed in 5.0: unpickling lets anyone with SECRET_KEY run code.'), deprecated: true },
      ];
    case 'SESSION_COOKIE_SAMESITE':
      return [
        stringChoice('Lax', "Django's default: sent on top-level navigations from other sites, not on their subrequests."),
        stringChoice('Strict', 'Never sent on requests that come from another site, not even on links.'),
        stringChoice('None', 'Sent on every cross-site request; browsers require SESSION_COOKIE_SECURE = True with it.'),
        { literal: 'False', summary: 'No SameSite attribute: the browser applies its own default.' },
      ];
  }
  return SESSION_SETTING_DOCS.get(name)?.type === 'bool'
    ? [
        { literal: 'True', summary: 'On.' },
        { literal: 'False', summary: 'Off.' },
      ]
    : [];
}

function stringChoice(text: string, summary: string): SessionSettingChoice {
  return { literal: `'${text}'`, text, summary };
}
