import * as path from 'node:path';
import type { DjangoProject, ResolvedSetting } from '../../project/discoverProjects';
import { versionAtLeast } from '../../project/djangoVersion';
import { BUILTIN_SESSION_ENGINES, isJsonSerializer, JSON_SERIALIZER, PICKLE_SERIALIZER, SESSION_SETTING_DEFAULTS } from '../../project/sessionSettingDefaults';
import type { SettingValue } from '../../project/settingValue';
import type { SettingsText } from '../../project/settingsEvaluation';
import { SESSION_SETTING_DOCS, SESSION_SETTING_TYPE_WORDS, type SessionSettingType } from '../sessionSettingDocs';
import { settingValueText } from '../settingHover';
import { refusedCookieName } from './cookieName';
import { setTrueFix } from './deploySessionChecks';
import { didYouMean } from './didYouMean';
import type { LintDiagnostic, LintFix } from './lintDiagnostic';
import { settingNameRange, settingValueRange } from './settingsRange';

/**
 * Prefixes and names of `SESSION_*` settings that well-known third-party packages read:
 * django-session-security, django-redis-sessions, django-session-timeout.
 */
const THIRD_PARTY_PREFIXES = ['SESSION_SECURITY_', 'SESSION_REDIS', 'SESSION_EXPIRE_SECONDS', 'SESSION_EXPIRE_AFTER_LAST_ACTIVITY', 'SESSION_TIMEOUT_'];

function hasType(value: SettingValue, expected: SessionSettingType): boolean {
  switch (expected) {
    case 'bool':
      return value.kind === 'bool';
    case 'seconds':
      return value.kind === 'int' || value.kind === 'float';
    case 'str':
      return value.kind === 'str';
    case 'str-or-none':
      return value.kind === 'str' || value.kind === 'none';
    case 'path-or-none':
      return value.kind === 'str' || value.kind === 'path' || value.kind === 'none';
    case 'samesite':
      // Django's set_cookie only tests `if samesite:`, so None, like False, sends no SameSite attribute.
      return value.kind === 'str' || value.kind === 'none' || (value.kind === 'bool' && !value.value);
  }
}

function replaceValue(setting: ResolvedSetting, title: string, newText: string): LintFix | undefined {
  const range = settingValueRange(setting);
  return range && setting.valueSpan ? { title, edits: [{ file: setting.valueSpan.file, range, newText }] } : undefined;
}

function diagnostic(setting: ResolvedSetting, code: string, severity: LintDiagnostic['severity'], message: string, fix?: LintFix, onValue = false): LintDiagnostic {
  const result: LintDiagnostic = { file: setting.location.file, range: (onValue && settingValueRange(setting)) || settingNameRange(setting), code, severity, message };
  if (fix) {
    result.fix = fix;
  }
  return result;
}

/** Whether DS201 reports a name: a `SESSION_*` name Django does not have, nor a third party's unless a near-miss of Django's. */
export function isUnknownSettingName(name: string): boolean {
  if (!name.startsWith('SESSION_') || SESSION_SETTING_DOCS.has(name)) {
    return false;
  }
  // A near-miss of a Django setting is a typo even under a third-party prefix (SESSION_REDIS → no, SESSION_FILE_PAHT → yes).
  return !THIRD_PARTY_PREFIXES.some((prefix) => name.startsWith(prefix)) || didYouMean(name, SESSION_SETTING_DOCS.keys()) !== undefined;
}

/**
 * DS201 for a `SESSION_*` name Django does not have, at `setting`'s location (its name's), with
 * a did-you-mean and its rename; none for a known name or a third party's (unless a near-miss of Django's).
 */
export function unknownSettingName(setting: ResolvedSetting): LintDiagnostic | undefined {
  if (!isUnknownSettingName(setting.name)) {
    return undefined;
  }
  const suggestion = didYouMean(setting.name, SESSION_SETTING_DOCS.keys());
  const fix: LintFix | undefined = suggestion ? { title: `Rename to ${suggestion}`, edits: [{ file: setting.location.file, range: settingNameRange(setting), newText: suggestion }] } : undefined;
  return {
    ...diagnostic(setting, 'DS201', 'warning', suggestion ? `${setting.name} is not a Django setting, so it has no effect. Did you mean ${suggestion}?` : `${setting.name} is not a Django setting, so it has no effect; remove it or check its spelling.`, fix),
    setting: setting.name,
  };
}

/**
 * The settings rules over one project's resolved settings: DS201 unknown `SESSION_*` name,
 * DS202 wrong type, DS203 invalid choice, DS204 cache alias missing from CACHES, DS205
 * per-process or dummy cache, DS206 PickleSerializer, DS207 signed cookies with pickle,
 * DS208 SameSite=None without Secure.
 */
export function lintSettings(project: DjangoProject, settingsText?: SettingsText): LintDiagnostic[] {
  const diagnostics: LintDiagnostic[] = [];
  const byName = new Map(project.settings.map((setting) => [setting.name, setting]));
  const value = (name: string): SettingValue | undefined => byName.get(name)?.value ?? SESSION_SETTING_DEFAULTS.get(name);
  for (const setting of project.settings) {
    if (!setting.name.startsWith('SESSION_')) {
      continue;
    }
    const expected = SESSION_SETTING_DOCS.get(setting.name)?.type;
    if (!expected) {
      // At the name's own assignment, not at an opaque call after it (edX's add_plugins(__name__, …)), which a rename would break.
      const unknownName = unknownSettingName(setting.nameAt ? { ...setting, location: setting.nameAt } : setting);
      if (unknownName) {
        diagnostics.push(unknownName);
      }
      continue;
    }
    const timedelta = expected === 'seconds' && setting.value.kind === 'unknown' ? setting.value.timedelta : undefined;
    if (timedelta) {
      // SessionMiddleware adds the age to time.time(), and get_expiry_date() passes it to timedelta(seconds=…): neither takes a timedelta.
      const seconds = timedelta.seconds !== undefined && Number.isInteger(timedelta.seconds) ? String(timedelta.seconds) : undefined;
      const converted = `int(${timedelta.text}.total_seconds())`;
      const message = `${setting.name} must be seconds (an int), not a timedelta: Django raises TypeError on every response that saves a session; write ${converted}${seconds ? ` or ${seconds}` : ''}.`;
      diagnostics.push(diagnostic(setting, 'DS202', 'error', message, replaceValue(setting, `Use ${seconds ?? converted}`, seconds ?? converted), true));
      continue;
    }
    // A name is known or not whatever its value; its type and choice only where the value is known.
    if (setting.value.kind === 'unknown') {
      continue;
    }
    if (expected === 'bool' && setting.value.kind === 'int' && (setting.value.value === 0 || setting.value.value === 1)) {
      // Django only tests the setting's truth, so 0 and 1 work: worth tidying, not failing a build.
      const meant = setting.value.value === 1 ? 'True' : 'False';
      diagnostics.push(diagnostic(setting, 'DS202', 'warning', `${setting.name} is given ${setting.value.value}, which Django takes as ${meant}; write ${meant}.`, replaceValue(setting, `Use ${meant}`, meant), true));
      continue;
    }
    if (!hasType(setting.value, expected)) {
      const fix = expected === 'bool' && setting.value.kind === 'str' && /^(true|false)$/i.test(setting.value.value)
        ? replaceValue(setting, `Use ${setting.value.value.toLowerCase() === 'true' ? 'True' : 'False'}`, setting.value.value.toLowerCase() === 'true' ? 'True' : 'False')
        : expected === 'seconds' && setting.value.kind === 'str' && /^\d+$/.test(setting.value.value)
          ? replaceValue(setting, `Use ${setting.value.value}`, setting.value.value)
          : undefined;
      diagnostics.push(diagnostic(setting, 'DS202', 'error', `${setting.name} must be ${SESSION_SETTING_TYPE_WORDS[expected]}, not ${settingValueText(setting.value)}.`, fix, true));
      continue;
    }
    const refused = setting.name === 'SESSION_COOKIE_NAME' && setting.value.kind === 'str' ? refusedCookieName(setting.value.value) : undefined;
    if (refused) {
      const instead = settingValueText({ kind: 'str', value: refused.instead });
      const message = `SESSION_COOKIE_NAME ${settingValueText(setting.value)} is no cookie name Python takes (${refused.why}): Django's set_cookie raises CookieError("${refused.error}") on every response that sends the session cookie; use ${instead}.`;
      diagnostics.push(diagnostic(setting, 'DS202', 'error', message, replaceValue(setting, `Use ${instead}`, instead), true));
    }
  }
  diagnostics.push(...choiceRules(byName, value, project, settingsText));
  return diagnostics;
}

function choiceRules(byName: Map<string, ResolvedSetting>, value: (name: string) => SettingValue | undefined, project: DjangoProject, settingsText: SettingsText | undefined): LintDiagnostic[] {
  const diagnostics: LintDiagnostic[] = [];
  const samesite = byName.get('SESSION_COOKIE_SAMESITE');
  if (samesite?.value.kind === 'str' && !['lax', 'strict', 'none'].includes(samesite.value.value.toLowerCase())) {
    diagnostics.push(diagnostic(samesite, 'DS203', 'error', `SESSION_COOKIE_SAMESITE must be 'Lax', 'Strict', 'None' or False; Django raises ValueError when it sets the cookie.`, replaceValue(samesite, "Use 'Lax'", "'Lax'"), true));
  }
  const engine = byName.get('SESSION_ENGINE');
  const enginePath = engine?.value.kind === 'str' ? engine.value.value : undefined;
  if (engine && enginePath && !BUILTIN_SESSION_ENGINES.has(enginePath) && (enginePath.startsWith('django.') || !/^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+$/.test(enginePath))) {
    const suggestion = didYouMean(enginePath, BUILTIN_SESSION_ENGINES.keys()) ?? didYouMean(enginePath.split('.').pop() ?? '', [...BUILTIN_SESSION_ENGINES.values()]);
    const full = suggestion && !suggestion.includes('.') ? `django.contrib.sessions.backends.${suggestion}` : suggestion;
    diagnostics.push(
      diagnostic(engine, 'DS203', 'error', `SESSION_ENGINE '${enginePath}' is not a session engine module${full ? `. Did you mean '${full}'?` : '; use one of django.contrib.sessions.backends.db, cache, cached_db, file or signed_cookies.'}`, full ? replaceValue(engine, `Use '${full}'`, `'${full}'`) : undefined, true),
    );
  }
  const serializer = byName.get('SESSION_SERIALIZER');
  const serializerPath = serializer?.value.kind === 'str' ? serializer.value.value : undefined;
  if (serializer && serializerPath?.startsWith('django.') && !isJsonSerializer(serializerPath) && serializerPath !== PICKLE_SERIALIZER) {
    diagnostics.push(diagnostic(serializer, 'DS203', 'error', `SESSION_SERIALIZER '${serializerPath}' does not exist; use '${JSON_SERIALIZER}'.`, replaceValue(serializer, 'Use JSONSerializer', `'${JSON_SERIALIZER}'`), true));
  }
  const engineName = enginePath ? BUILTIN_SESSION_ENGINES.get(enginePath) : 'db';
  if (engineName === 'cache' || engineName === 'cached_db') {
    diagnostics.push(...cacheRules(byName, value, engineName));
  }
  if (serializerPath === PICKLE_SERIALIZER && serializer) {
    const removed = project.djangoVersion && versionAtLeast(project.djangoVersion.version, 5, 0);
    diagnostics.push(
      diagnostic(serializer, 'DS206', removed ? 'error' : 'warning', `PickleSerializer ${removed ? 'was removed in Django 5.0' : 'is deprecated since Django 4.1 and removed in 5.0'}, and unpickling session data lets anyone who learns SECRET_KEY run code; use JSONSerializer${switchingNote(engineName, project.djangoVersion?.version)}.`, replaceValue(serializer, 'Use JSONSerializer', `'${JSON_SERIALIZER}'`), true),
    );
    if (engineName === 'signed_cookies') {
      diagnostics.push(diagnostic(serializer, 'DS207', 'error', 'signed_cookies with PickleSerializer stores pickles in the client\'s cookie: a leaked SECRET_KEY means remote code execution. Use JSONSerializer.', replaceValue(serializer, 'Use JSONSerializer', `'${JSON_SERIALIZER}'`), true));
    }
  }
  const own = project.unpicklingSerializer;
  if (own && serializer && serializerPath) {
    const where = `${path.relative(project.root, own.file).split(path.sep).join('/')}:${own.line}`;
    diagnostics.push(
      diagnostic(serializer, 'DS206', 'warning', `SESSION_SERIALIZER '${serializerPath}' unpickles session data (${where}), so anyone who learns SECRET_KEY can run code on the server, as with Django's PickleSerializer; use JSONSerializer${switchingNote(engineName, project.djangoVersion?.version)}.`, replaceValue(serializer, 'Use JSONSerializer', `'${JSON_SERIALIZER}'`), true),
    );
    if (engineName === 'signed_cookies') {
      diagnostics.push(diagnostic(serializer, 'DS207', 'error', `signed_cookies with a serializer that unpickles (${where}) stores pickles in the client's cookie: a leaked SECRET_KEY means remote code execution. Use JSONSerializer.`, replaceValue(serializer, 'Use JSONSerializer', `'${JSON_SERIALIZER}'`), true));
    }
  }
  const secure = value('SESSION_COOKIE_SECURE');
  if (samesite?.value.kind === 'str' && samesite.value.value.toLowerCase() === 'none' && secure?.kind === 'bool' && !secure.value) {
    const fix = project.settingsFiles[0] ? setTrueFix(byName.get('SESSION_COOKIE_SECURE'), 'SESSION_COOKIE_SECURE', project.settingsFiles[0], settingsText) : undefined;
    diagnostics.push(diagnostic(samesite, 'DS208', 'warning', "SESSION_COOKIE_SAMESITE = 'None' without SESSION_COOKIE_SECURE = True: browsers reject such cookies, so sessions will not stick. Set SESSION_COOKIE_SECURE = True.", fix, true));
  }
  return diagnostics;
}

function cacheRules(byName: Map<string, ResolvedSetting>, value: (name: string) => SettingValue | undefined, engine: 'cache' | 'cached_db'): LintDiagnostic[] {
  const aliasValue = value('SESSION_CACHE_ALIAS');
  const alias = aliasValue?.kind === 'str' ? aliasValue.value : 'default';
  const caches = byName.get('CACHES');
  const anchor = byName.get('SESSION_CACHE_ALIAS') ?? byName.get('SESSION_ENGINE') ?? caches;
  if (!anchor || caches?.value.kind === 'unknown') {
    return [];
  }
  // Without CACHES, Django's default is {'default': LocMemCache}.
  const entries = caches?.value.kind === 'dict' ? caches.value.entries : undefined;
  if (entries ? !entries.has(alias) : alias !== 'default') {
    const suggestion = entries ? didYouMean(alias, entries.keys()) : undefined;
    const aliasSetting = byName.get('SESSION_CACHE_ALIAS');
    const fix = suggestion && aliasSetting ? replaceValue(aliasSetting, `Use '${suggestion}'`, `'${suggestion}'`) : undefined;
    return [diagnostic(anchor, 'DS204', 'error', `SESSION_CACHE_ALIAS '${alias}' is not a key of CACHES, so session reads fail with InvalidCacheBackendError${suggestion ? `. Did you mean '${suggestion}'?` : '; add the cache or change the alias.'}`, fix)];
  }
  const entry = entries?.get(alias);
  const backendValue = entry?.kind === 'dict' ? entry.entries.get('BACKEND') : undefined;
  // A backend not known statically (`env.cache("REDIS_URL")`, a variable) is not guessed at.
  const backend = !caches ? 'django.core.cache.backends.locmem.LocMemCache' : backendValue?.kind === 'str' ? backendValue.value : undefined;
  if (backend === undefined) {
    return [];
  }
  const where = caches ?? anchor;
  const kind = backend.endsWith('.DummyCache') ? 'DummyCache' : backend.endsWith('.LocMemCache') ? 'LocMemCache' : undefined;
  if (!kind) {
    return [];
  }
  const which = `The session cache '${alias}' is ${caches ? '' : "Django's default "}${kind}`;
  // A per-process cache harms only where several processes serve: settings that run with DEBUG on
  // are a developer's runserver, one process, and it is for the settings deployed (as check --deploy's).
  const debug = value('DEBUG');
  const [severity, suffix] = debug?.kind === 'bool' && debug.value ? (['information', DEVELOPMENT_SUFFIX] as const) : (['warning', ''] as const);
  if (engine === 'cached_db') {
    if (kind === 'DummyCache') {
      return [diagnostic(where, 'DS205', 'warning', `${which}, so the cache layer of cached_db does nothing and every read goes to the database. Use Redis or memcached, or SESSION_ENGINE db.`)];
    }
    return [diagnostic(where, 'DS205', severity, `${which}, a per-process cache, so workers can serve stale sessions after another worker changed them. Use Redis or memcached, or SESSION_ENGINE db.${suffix}`)];
  }
  if (kind === 'DummyCache') {
    return [diagnostic(where, 'DS205', 'error', `${which}, which stores nothing: every session is lost at once. Use Redis or memcached, or SESSION_ENGINE cached_db.`)];
  }
  return [diagnostic(where, 'DS205', severity, `${which}: sessions live in one process's memory, are lost on restart and are not shared between workers. Use Redis or memcached, or SESSION_ENGINE cached_db.${suffix}`)];
}

const DEVELOPMENT_SUFFIX = ' (Information only: these settings run with DEBUG = True, where one runserver process serves every request; this is for the settings you deploy with.)';

/**
 * What switching to JSONSerializer does to the sessions stored as pickles: the cache engine
 * stores the dict itself and never used the serializer; the others read them as empty, except
 * Django 3.1 and 3.2, whose fallback to the pre-3.1 format raises binascii.Error for many.
 */
function switchingNote(engine: string | undefined, djangoVersion: string | undefined): string {
  if (engine === 'cache') {
    return '';
  }
  const empty = 'Django then reads the sessions stored as pickles as empty, so their users sign in again';
  if (engine === 'signed_cookies' || (djangoVersion !== undefined && (versionAtLeast(djangoVersion, 4, 0) || !versionAtLeast(djangoVersion, 3, 1)))) {
    return ` (${empty})`;
  }
  const version = djangoVersion === undefined ? 'Django 3.1 and 3.2 raise' : `Django ${djangoVersion} raises`;
  return ` (${djangoVersion === undefined ? `${empty}, but ` : ''}${version} binascii.Error for many sessions stored as pickles, a server error for their users: delete the stored sessions when you switch)`;
}
