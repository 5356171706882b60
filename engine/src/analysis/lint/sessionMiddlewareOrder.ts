import type { ResolvedSetting } from '../../project/discoverProjects';
import { type DjangoVersion, mayBeOnEitherSide, versionAtLeast } from '../../project/djangoVersion';
import { SESSION_MIDDLEWARE } from '../../project/sessionSettingDefaults';
import { moduleFileCandidates } from '../../project/moduleFile';
import { strItems, truthiness } from '../../project/settingValue';
import type { LintDiagnostic, LintFix } from './lintDiagnostic';
import { type ListItemLiteral, onlyLiteral } from './listItemLiterals';
import { settingNameRange } from './settingsRange';

/** A middleware of Django's whose `process_request` reads `request.session`, and what it raises without one. */
interface SessionNeed {
  path: string;
  /** Whether the settings make it read the session (MessageMiddleware only with a session-based storage). */
  applies: (setting: (name: string) => ResolvedSetting | undefined) => boolean;
  /** Django's own text; `asserted` where Django before 4.0 asserts it (AssertionError) instead of raising ImproperlyConfigured. */
  error: string;
  asserted: boolean;
}

const SESSION_MESSAGE_STORAGES = new Set(['django.contrib.messages.storage.fallback.FallbackStorage', 'django.contrib.messages.storage.session.SessionStorage']);

const SESSION_NEEDS: readonly SessionNeed[] = [
  {
    path: 'django.contrib.auth.middleware.AuthenticationMiddleware',
    applies: () => true,
    error: 'The Django authentication middleware requires session middleware to be installed. …',
    asserted: true,
  },
  {
    path: 'django.contrib.messages.middleware.MessageMiddleware',
    // The default FallbackStorage builds a SessionStorage beside its CookieStorage on every request.
    applies: (setting) => {
      const storage = setting('MESSAGE_STORAGE')?.value;
      return storage === undefined || (storage.kind === 'str' && SESSION_MESSAGE_STORAGES.has(storage.value));
    },
    error: 'The session-based temporary message storage requires session middleware to be installed, and come before the message middleware in the MIDDLEWARE list.',
    asserted: true,
  },
  {
    path: 'django.middleware.csrf.CsrfViewMiddleware',
    applies: (setting) => {
      const useSessions = setting('CSRF_USE_SESSIONS')?.value;
      return useSessions !== undefined && truthiness(useSessions) === true;
    },
    error: 'CSRF_USE_SESSIONS is enabled, but request.session is not set. SessionMiddleware must appear before CsrfViewMiddleware in MIDDLEWARE.',
    asserted: false,
  },
];

/**
 * Middleware Django's docs order before SessionMiddleware: UpdateCacheMiddleware must see the
 * `Vary: Cookie` it adds, or one user's page is cached for the next. A fix never puts the session
 * middleware above one of them.
 */
const BEFORE_SESSION = new Set([
  'django.middleware.security.SecurityMiddleware',
  'django.middleware.cache.UpdateCacheMiddleware',
  'django.middleware.gzip.GZipMiddleware',
  'django.middleware.http.ConditionalGetMiddleware',
]);

function shortName(path: string): string {
  return path.split('.').pop()!;
}

/** What Django raises, as the project's Django version tells: ImproperlyConfigured from 4.0, where 3.2 asserted. */
function raised(need: SessionNeed, djangoVersion: DjangoVersion | undefined): string {
  if (!need.asserted) {
    return `ImproperlyConfigured("${need.error}")`;
  }
  if (djangoVersion && !mayBeOnEitherSide(djangoVersion, 4, 0)) {
    return versionAtLeast(djangoVersion.version, 4, 0) ? `ImproperlyConfigured("${need.error}")` : `AssertionError("${need.error}")`;
  }
  return `ImproperlyConfigured("${need.error}") (AssertionError before Django 4.0)`;
}

/**
 * The fix that puts SessionMiddleware right before `anchor` (the item at `at` in `middleware`),
 * with `anchor`'s quotes; none where that would put it above a middleware Django orders before it.
 */
export function insertSessionMiddleware(middleware: readonly string[], at: number, anchor: ListItemLiteral | undefined): LintFix | undefined {
  if (!anchor || middleware.slice(at).some((name) => BEFORE_SESSION.has(name))) {
    return undefined;
  }
  const quote = /['"]/.exec(anchor.text)?.[0] ?? "'";
  return { title: `Add ${shortName(SESSION_MIDDLEWARE)} before ${shortName(anchor.value)}`, edits: [anchor.insertBefore(`${quote}${SESSION_MIDDLEWARE}${quote}`)] };
}

/**
 * The item a SessionMiddleware added to a MIDDLEWARE without one goes before: the first that
 * Django does not order before it (startproject's CommonMiddleware), where all those are above it.
 */
export function sessionMiddlewarePlace(middleware: readonly string[]): number | undefined {
  const at = middleware.findIndex((name) => !BEFORE_SESSION.has(name));
  return at === -1 ? undefined : at;
}

/**
 * DS209: a middleware of Django's that reads `request.session` on every request (see
 * SESSION_NEEDS) listed before the session middleware (one `givesSession` tells, see
 * sessionMiddlewareEntries), or in a MIDDLEWARE without one: every
 * request then raises. Reported at the middleware's literal where the settings write it once as
 * a list item, else at MIDDLEWARE; the fix moves (or adds) the session middleware right above
 * the first such middleware, where both are list items of the same module. Without a session
 * middleware the finding stands only where no middleware of the project at `projectRoot` listed
 * above the one that fails gives requests a session itself (see withRequestSessionUses).
 */
export async function sessionMiddlewareOrder(
  setting: (name: string) => ResolvedSetting | undefined,
  literalsOf: () => Promise<readonly ListItemLiteral[]>,
  djangoVersion: DjangoVersion | undefined,
  givesSession: (middleware: string) => boolean,
  projectRoot: string,
): Promise<LintDiagnostic[]> {
  const middlewareSetting = setting('MIDDLEWARE');
  const middleware = strItems(middlewareSetting?.value);
  if (!middlewareSetting || !middleware) {
    return [];
  }
  const sessionAt = middleware.findIndex(givesSession);
  const early = SESSION_NEEDS.flatMap((need) => {
    const at = middleware.indexOf(need.path);
    return at !== -1 && (sessionAt === -1 || at < sessionAt) && need.applies(setting) ? [{ need, at }] : [];
  }).sort((a, b) => a.at - b.at);
  if (early.length === 0) {
    return [];
  }
  const first = early[0]!;
  const literals = await literalsOf();
  const fix = sessionAt === -1 ? insertSessionMiddleware(middleware, first.at, onlyLiteral(literals, first.need.path)) : moveSessionMiddleware(middleware, sessionAt, first.at, literals);
  return early.map(({ need, at }) => {
    const literal = onlyLiteral(literals, need.path);
    const name = shortName(need.path);
    const message =
      sessionAt === -1
        ? `${name} reads request.session, but MIDDLEWARE has no session middleware: every request raises ${raised(need, djangoVersion)}. Add '${SESSION_MIDDLEWARE}' above it.`
        : `${name} reads request.session, but MIDDLEWARE lists it before ${shortName(middleware[sessionAt]!)}, so it runs before the request has a session: every request raises ${raised(need, djangoVersion)}. Move '${middleware[sessionAt]}' above it.`;
    const diagnostic: LintDiagnostic = { file: literal?.file ?? middlewareSetting.location.file, range: literal?.range ?? settingNameRange(middlewareSetting), code: 'DS209', severity: 'error', message };
    if (fix) {
      diagnostic.fix = fix;
    }
    if (sessionAt === -1) {
      diagnostic.sessionGiverFiles = middleware.slice(0, at).flatMap((entry) => moduleFileCandidates(projectRoot, undefined, entry.split('.').slice(0, -1).join('.')));
    }
    return diagnostic;
  });
}

/** Takes the session middleware out of its place and puts it above the item at `before`, both written once in one module. */
function moveSessionMiddleware(middleware: readonly string[], sessionAt: number, before: number, literals: readonly ListItemLiteral[]): LintFix | undefined {
  const session = onlyLiteral(literals, middleware[sessionAt]!);
  const anchor = onlyLiteral(literals, middleware[before]!);
  if (!session || !anchor || session.file !== anchor.file || middleware.slice(before, sessionAt).some((name) => BEFORE_SESSION.has(name))) {
    return undefined;
  }
  return { title: `Move ${shortName(session.value)} above ${shortName(anchor.value)}`, edits: [anchor.insertBefore(session.text), session.removal] };
}
