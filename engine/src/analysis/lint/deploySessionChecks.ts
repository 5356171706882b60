import type { ResolvedSetting } from '../../project/discoverProjects';
import { type DjangoVersion, versionAtLeast } from '../../project/djangoVersion';
import type { SettingsVariant } from '../../project/settingsVariants';
import { SESSION_MIDDLEWARE, SESSIONS_APP } from '../../project/sessionSettingDefaults';
import { certainStrs, type SettingValue, truthiness } from '../../project/settingValue';
import type { LintDiagnostic, LintFix } from './lintDiagnostic';
import { FILE_START, settingNameRange, settingValueRange } from './settingsRange';
import type { SettingsText } from '../../project/settingsEvaluation';
import { readTextFile } from '../textFile';

const SECURE_SUFFIX = ' Using a secure-only session cookie makes it more difficult for network traffic sniffers to hijack user sessions.';
/** Where DEBUG is True, which `check --deploy` warns of too (security.W018): the settings are not deployed as they read. */
const DEVELOPMENT_SUFFIX = ' (Information only: these settings run with DEBUG = True, so this is for the settings you deploy with.)';
const HTTPONLY_SUFFIX = ' Using an HttpOnly session cookie makes it more difficult for cross-site scripting attacks to hijack user sessions.';

/**
 * Whether SILENCED_SYSTEM_CHECKS silences `code`, as Django's `in` test decides: an item of a
 * list or tuple, or part of a plain string (`('security.W012')`, a tuple missing its comma).
 */
function silences(value: SettingValue | undefined, code: string): boolean {
  if (value?.kind === 'str') {
    return value.value.includes(code);
  }
  const items = value?.kind === 'list' || value?.kind === 'tuple' ? value.items : [];
  return items.some((item) => item.kind === 'str' && item.value === code);
}

/**
 * Django's `check --deploy` session warnings (security.W010–W015), with Django's exact
 * texts, evaluated on one settings module. Django 4.1+ tests `is True`; older versions
 * test truthiness, so `'True'` passes there.
 */
export function deploySessionChecks(variant: SettingsVariant, djangoVersion: DjangoVersion | undefined, settingsText?: SettingsText): LintDiagnostic[] {
  const settingsFile = variant.file;
  const byName = new Map(variant.settings.map((setting) => [setting.name, setting]));
  const hasApp = contains(byName.get('INSTALLED_APPS')?.value, SESSIONS_APP);
  const hasMiddleware = contains(byName.get('MIDDLEWARE')?.value, SESSION_MIDDLEWARE);
  const strict = djangoVersion ? versionAtLeast(djangoVersion.version, 4, 1) : false;
  // Django's own way to silence a check, which `check --deploy` honours.
  const silenced = byName.get('SILENCED_SYSTEM_CHECKS')?.value;
  // Settings that run with DEBUG on are a developer's: the warning is for the settings deployed.
  const debug = byName.get('DEBUG')?.value;
  const development = debug?.kind === 'bool' && debug.value;
  return [
    ...check('SESSION_COOKIE_SECURE', ['security.W010', 'security.W011', 'security.W012'], SECURE_SUFFIX),
    ...check('SESSION_COOKIE_HTTPONLY', ['security.W013', 'security.W014', 'security.W015'], HTTPONLY_SUFFIX),
  ].filter((diagnostic) => !silences(silenced, diagnostic.code));

  function check(name: string, [appCode, middlewareCode, bothCode]: string[], suffix: string): LintDiagnostic[] {
    const setting = byName.get(name);
    const value: SettingValue = setting?.value ?? { kind: 'bool', value: name === 'SESSION_COOKIE_HTTPONLY' };
    const passes = flagPasses(value, strict);
    if (passes !== false || hasApp === undefined || hasMiddleware === undefined || (!hasApp && !hasMiddleware)) {
      return [];
    }
    const [code, message] =
      hasApp && hasMiddleware
        ? [bothCode!, `${name} is not set to True.`]
        : hasApp
          ? [appCode!, `You have '${SESSIONS_APP}' in your INSTALLED_APPS, but you have not set ${name} to True.`]
          : [middlewareCode!, `You have '${SESSION_MIDDLEWARE}' in your MIDDLEWARE, but you have not set ${name} to True.`];
    const diagnostic: LintDiagnostic = {
      file: setting?.location.file ?? settingsFile,
      range: setting ? settingNameRange(setting) : FILE_START,
      code,
      severity: development ? 'information' : 'warning',
      message: message + suffix + (development ? DEVELOPMENT_SUFFIX : ''),
    };
    const fix = setTrueFix(setting, name, settingsFile, settingsText);
    if (fix) {
      diagnostic.fix = fix;
    }
    return [diagnostic];
  }
}

/** Whether a cookie flag passes `check --deploy`: `is True` from Django 4.1 (`strict`), truthiness before; undefined where it cannot be told. */
function flagPasses(value: SettingValue, strict: boolean): boolean | undefined {
  return strict ? (value.kind === 'bool' ? value.value : value.kind === 'unknown' ? undefined : false) : truthiness(value);
}

/**
 * The cookie flags that fail `check --deploy` (not True) where its warning cannot be told, since
 * INSTALLED_APPS or MIDDLEWARE cannot be read statically (Evennia's optional apps in a `try`, an
 * include static reading cannot follow): a clean report would hide a warning Django gives.
 */
export function unplacedDeployChecks(settings: readonly ResolvedSetting[], djangoVersion: DjangoVersion | undefined): { name: string; codes: string; why: string }[] {
  const byName = new Map(settings.map((setting) => [setting.name, setting]));
  const lists = ['INSTALLED_APPS', 'MIDDLEWARE'].map((name) => ({ name, value: byName.get(name)?.value }));
  const unread = lists.find(({ name, value }) => contains(value, name === 'INSTALLED_APPS' ? SESSIONS_APP : SESSION_MIDDLEWARE) === undefined);
  if (!unread) {
    return [];
  }
  const strict = djangoVersion ? versionAtLeast(djangoVersion.version, 4, 1) : false;
  const why = `${unread.name} cannot be read statically${unread.value?.kind === 'unknown' ? ` (${unread.value.reason})` : ''}`;
  return (
    [
      ['SESSION_COOKIE_SECURE', 'W010–W012', false],
      ['SESSION_COOKIE_HTTPONLY', 'W013–W015', true],
    ] as const
  ).flatMap(([name, codes, fallback]) => {
    return flagPasses(byName.get(name)?.value ?? { kind: 'bool', value: fallback }, strict) === false ? [{ name, codes, why }] : [];
  });
}

/**
 * The quick fix that makes a boolean setting True: its value replaced where it is a plain
 * assignment of a literal, or `NAME = True` added at the end of the settings module when it is
 * not set. None where the value is computed (read from the environment, say): replacing that
 * would take away the switch, and what to set instead is the deployment's to decide. The module's
 * text is `settingsText`'s when it gives one (an editor's, unsaved), as the settings were read.
 */
export function setTrueFix(setting: ResolvedSetting | undefined, name: string, settingsFile: string, settingsText?: SettingsText): LintFix | undefined {
  const valueRange = setting && settingValueRange(setting);
  if (setting?.valueSpan && valueRange) {
    return setting.valueSpan.literal ? { title: `Set ${name} = True`, edits: [{ file: setting.valueSpan.file, range: valueRange, newText: 'True' }] } : undefined;
  }
  if (setting) {
    return undefined;
  }
  let text: string;
  try {
    text = settingsText?.(settingsFile) ?? readTextFile(settingsFile);
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const overrides = trailingOverridesLine(lines);
  if (overrides !== undefined) {
    const at = { line: overrides, character: 0 };
    return { title: `Add ${name} = True`, edits: [{ file: settingsFile, range: { start: at, end: at }, newText: `${name} = True\n` }] };
  }
  const lastLine = lines.length - 1;
  const prefix = text.endsWith('\n') || text === '' ? '' : '\n';
  const at = { line: lastLine, character: lines[lastLine]!.length };
  return { title: `Add ${name} = True`, edits: [{ file: settingsFile, range: { start: at, end: at }, newText: `${prefix}${name} = True\n` }] };
}

/** A top-level statement's first line: not indented, not a comment, not a clause continuing one. */
const STATEMENT_START = /^(?![\s#]|(?:except|else|elif|finally)\b)\S/;
/** What lets a deployment override the settings above it: a star import, an include, an exec. */
const OVERRIDES = /\bimport\s+\*|\binclude\s*\(|\bexec\s*\(/;

/**
 * The line of the last top-level statement when it loads overrides (`try: from .settings_local
 * import *`, Arches): a setting added after it would take away the deployment's say.
 */
function trailingOverridesLine(lines: string[]): number | undefined {
  for (let line = lines.length - 1; line >= 0; line--) {
    if (STATEMENT_START.test(lines[line]!)) {
      return OVERRIDES.test(lines.slice(line).join('\n')) ? line : undefined;
    }
  }
  return undefined;
}

/**
 * Whether a list holds a string: true also where the list is not wholly known but holds it for
 * certain (see `includes`); undefined when that cannot be told.
 */
function contains(value: SettingValue | undefined, item: string): boolean | undefined {
  if (!value) {
    return false;
  }
  if (certainStrs(value)?.includes(item)) {
    return true;
  }
  if (value.kind === 'unknown' && value.only !== undefined) {
    return value.only.includes(item) ? undefined : false;
  }
  if (value.kind !== 'list' && value.kind !== 'tuple') {
    return undefined;
  }
  return value.items.some((entry) => entry.kind === 'unknown') ? undefined : false;
}
