import * as path from 'node:path';
import type { FileAnalysis } from '../fileAnalysis';
import type { ConstantDefinition } from '../keyResolver';
import { keyLiteral, keyLiteralContent } from '../keyLiteralText';
import { rangeId, type Position } from '../range';
import type { NonStrKey } from '../nonStrKey';
import type { SessionAccess } from '../sessionAccesses';
import type { SessionKeyIndex } from '../sessionKeyIndex';
import { isWriteOp, type SessionOp, type UnresolvedSessionKey } from '../sessionKeyUsage';
import { installedUsesOf, installedWrittenKeys, type PrefixKeys } from '../thirdPartySessionKeys';
import { pyRepr } from '../../codec/pyRepr';
import { versionAtLeast } from '../../project/djangoVersion';
import { outermostWithin } from '../../pathWithin';
import { constantReference } from './constantImport';
import { TypoSuggestions } from './didYouMean';
import type { LintDiagnostic, LintFix } from './lintDiagnostic';
import { savedByHelper } from './savingHelpers';
import { handWrittenLogins } from './handWrittenLogin';
import { blockingSessionAccesses } from './blockingSessionAccess';
import type { SessionEngineName } from '../../stores/storeDescriptor';
import { isTemplatePath } from '../templateSessionReads';

/** What the session-key rules need to know about the project's settings. */
export interface SessionKeyLintOptions {
  /** DS103 judges only `json`. */
  serializer: 'json' | 'pickle' | 'custom' | 'unknown';
  saveEveryRequest: boolean;
  /** `X.Y` when requirements or lock files tell it: before 4.1, set_expiry stores a datetime as it is. */
  djangoVersion?: string;
  /**
   * INSTALLED_APPS as the settings give it; undefined when they do not tell it statically (or
   * there are no settings), where every app of thirdPartySessionKeys counts as installed.
   */
  installedApps?: readonly string[];
  /** Keys the settings tell an installed app to write: the fields social-auth copies from the login request (SOCIAL_AUTH_FIELDS_STORED_IN_SESSION). */
  settingsWrittenKeys?: readonly string[];
  /** The settings an app writes a key only under (ThirdPartyKey.writtenWith) that the settings leave False or unset. */
  settingsOff?: readonly string[];
  /** The session engine the settings give; DS113 judges only `db` and `cached_db`. */
  engine?: SessionEngineName;
}

/** Keys Django itself writes (auth, CSRF, messages, expiry, test cookie). */
const DJANGO_WRITTEN_KEYS = new Set(['_auth_user_id', '_auth_user_backend', '_auth_user_hash', '_session_expiry', '_language', '_csrftoken', '_messages', '_password_reset_token', 'testcookie']);
const READS = new Set<SessionOp>(['read', 'get', 'pop', 'contains', 'setdefault']);

/** Whether an access reads its key for DS101 and DS102: a read that only serves removing the key does not (see isCleanupRead). */
function isRead(access: SessionAccess): boolean {
  return READS.has(access.op) && !access.cleanup;
}

interface KeyedAccess {
  analysis: FileAnalysis;
  access: SessionAccess;
  key: string;
  definition?: ConstantDefinition;
}

const CONVERSIONS: Record<string, { title: string; convert: (text: string) => string; advice: string }> = {
  datetime: { title: 'Store the ISO string', convert: (text) => `${wrap(text)}.isoformat()`, advice: 'store value.isoformat() and parse it back with datetime.fromisoformat() on read' },
  date: { title: 'Store the ISO string', convert: (text) => `${wrap(text)}.isoformat()`, advice: 'store value.isoformat() and parse it back with date.fromisoformat() on read' },
  timedelta: { title: 'Store the seconds', convert: (text) => `${wrap(text)}.total_seconds()`, advice: 'store value.total_seconds() and rebuild the timedelta on read' },
  Decimal: { title: 'Store the string', convert: (text) => `str(${text})`, advice: 'store str(value) and rebuild the Decimal on read' },
  UUID: { title: 'Store the string', convert: (text) => `str(${text})`, advice: 'store str(value) and rebuild the UUID on read' },
  set: { title: 'Store a list', convert: (text) => `list(${text})`, advice: 'store list(value) and rebuild the set on read' },
  bytes: { title: 'Store a str', convert: (text) => `${wrap(text)}.decode()`, advice: 'store a str (decode or base64-encode the bytes)' },
  'time zone': { title: 'Store the zone name', convert: (text) => `str(${text})`, advice: 'store its name, str(value), and rebuild the zone with zoneinfo.ZoneInfo(name) on read' },
  'model instance': { title: 'Store the primary key', convert: (text) => `${wrap(text)}.pk`, advice: 'store its primary key (value.pk) and fetch the object on read' },
  QuerySet: { title: 'Store the primary keys', convert: (text) => `list(${wrap(text)}.values_list("pk", flat=True))`, advice: 'store a list of its primary keys, list(value.values_list("pk", flat=True)), and query them on read' },
  'QuerySet of values': { title: 'Store a list', convert: (text) => `list(${text})`, advice: 'store list(value)' },
};

function wrap(text: string): string {
  return /^[\w.]+(\(.*\))?$/s.test(text) ? text : `(${text})`;
}

/**
 * The session-key rules: DS101 read but never written, DS102 written but never read,
 * DS103 a value the serializer cannot store, DS104 an in-place change Django will not save,
 * DS105 `set_expiry` with a wrong type, DS106 a literal that duplicates a key constant, DS107
 * a change to a test client's session property, which is never saved, DS108 a key that is not
 * a str, which JSON turns into one, DS109 a use of what `create()` returns, always None, DS110
 * a write that a later logout(), flush() or login() of another user throws away, DS111 the
 * language kept in the session, which Django no longer reads, DS112 a login written by hand
 * without the keys Django needs to take it as one, DS113 a synchronous session access in an
 * async function, which the db engine refuses there.
 * `options` may depend on the file, for a workspace with several projects.
 */
export function lintSessionKeys(index: SessionKeyIndex, options: SessionKeyLintOptions | ((file: string) => SessionKeyLintOptions)): LintDiagnostic[] {
  const optionsFor = typeof options === 'function' ? options : () => options;
  const resolver = index.resolver();
  const keyed: KeyedAccess[] = [];
  const diagnostics: LintDiagnostic[] = [];
  const handedOn = index.handedOnAccesses();
  for (const analysis of index.analyses()) {
    // A key passed to a helper's key parameter is accessed at the call (see helperCallSites); one
    // through a helper's session parameter that a call fills is a usage too (CommCare's session_expiry).
    for (const access of [...(analysis.session?.accesses ?? []), ...(index.helperCallAccesses(analysis.file)?.accesses ?? []), ...(handedOn.get(analysis.file) ?? [])]) {
      if (access.unsaved) {
        continue;
      }
      for (const resolution of [resolver.resolve(analysis, access.key), ...resolver.overrides(analysis, access.key)]) {
        if ('key' in resolution) {
          keyed.push(resolution.definition ? { analysis, access, key: resolution.key, definition: resolution.definition } : { analysis, access, key: resolution.key });
        }
      }
    }
  }
  // Each workspace folder is its own project: a key written in one does not answer a read in another.
  const byScope = new Map<string, KeyedAccess[]>();
  for (const k of keyed) {
    const scope = index.scopeOf(k.analysis.file);
    const list = byScope.get(scope);
    if (list) {
      list.push(k);
    } else {
      byScope.set(scope, [k]);
    }
  }
  for (const [scope, inScope] of byScope) {
    diagnostics.push(...keyRules(inScope, scope, index, optionsFor));
  }
  diagnostics.push(...handWrittenLogins(keyed));
  for (const analysis of index.analyses()) {
    diagnostics.push(...fileRules(analysis, optionsFor(analysis.file), index));
  }
  return distinctDiagnostics(diagnostics);
}

/** Each finding once: one literal can key two accesses (a loop's key tested, then deleted), which would report it twice at the same place. */
function distinctDiagnostics(diagnostics: LintDiagnostic[]): LintDiagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const id = `${d.file}\u0000${rangeId(d.range)}\u0000${d.code}\u0000${d.message}`;
    return !seen.has(id) && seen.add(id) !== undefined;
  });
}

/**
 * What the third-party apps a file's project installs do with keys: a key such an app writes is
 * not "never written", one it reads not "never read"; the exact keys it writes are what a
 * misspelt read of them most likely meant (a prefix names no key to suggest).
 */
class AppKeys {
  readonly suggestions: TypoSuggestions;

  private readonly installedApps: readonly string[] | undefined;
  private readonly settingsWritten: ReadonlySet<string>;

  private readonly settingsOff: ReadonlySet<string>;

  constructor(
    options: Pick<SessionKeyLintOptions, 'installedApps' | 'settingsWrittenKeys' | 'settingsOff'>,
    written: Set<string>,
    private readonly prefixKeys: PrefixKeys,
  ) {
    this.installedApps = options.installedApps;
    this.settingsWritten = new Set(options.settingsWrittenKeys ?? []);
    this.settingsOff = new Set(options.settingsOff ?? []);
    // The exact keys a prefix stands for here are what a misspelt read of one most likely meant (formtools' wizard keys).
    const prefixed = [...prefixKeys].flatMap(([, keys]) => [...keys].filter((key) => this.writes(key)));
    this.suggestions = new TypoSuggestions(new Set([...written, ...installedWrittenKeys(this.installedApps), ...this.settingsWritten, ...prefixed]));
  }

  writes(key: string): boolean {
    return this.settingsWritten.has(key) || installedUsesOf(key, this.installedApps, this.prefixKeys).some(({ entry }) => entry.writes && !(entry.writtenWith && this.settingsOff.has(entry.writtenWith)));
  }

  /** The app and setting under which an installed app would write `key`, where the settings leave that setting off. */
  writtenOnlyWith(key: string): { app: string; setting: string } | undefined {
    const use = installedUsesOf(key, this.installedApps, this.prefixKeys).find(({ entry }) => entry.writes && entry.writtenWith && this.settingsOff.has(entry.writtenWith));
    return use ? { app: use.app.package, setting: use.entry.writtenWith! } : undefined;
  }

  reads(key: string): boolean {
    return installedUsesOf(key, this.installedApps, this.prefixKeys).some(({ entry }) => entry.reads);
  }
}

/** DS101, DS102, DS106 and DS111 over the keyed accesses of one workspace folder. */
function keyRules(inScope: KeyedAccess[], scope: string, index: SessionKeyIndex, optionsOf: (file: string) => SessionKeyLintOptions): LintDiagnostic[] {
  const diagnostics: LintDiagnostic[] = [];
  const analyses = [...index.analyses()].filter((analysis) => index.scopeOf(analysis.file) === scope);
  const written = new Set(inScope.filter((k) => isWriteOp(k.access.op)).map((k) => k.key));
  // Under JSON a write keyed by 5 or None is saved under "5" or "null" (DS108 says so at the write): a read of that str finds it.
  for (const analysis of analyses.filter((a) => optionsOf(a.file).serializer === 'json')) {
    for (const access of analysis.session?.accesses ?? []) {
      if (isWriteOp(access.op) && access.key.kind === 'dynamic' && access.key.nonStr?.jsonKey !== undefined) {
        written.add(access.key.nonStr.jsonKey);
      }
    }
  }
  // Accesses that are not usages (through a helper's `session` parameter, also at its calls) still make a key written, or read.
  const helperKeys = (counts: (access: SessionAccess) => boolean) =>
    new Set(
      analyses.flatMap((analysis) =>
        [...(analysis.helperAccesses ?? []), ...(index.helperCallAccesses(analysis.file)?.notUsages ?? [])].flatMap((access) => {
          const resolution = counts(access) ? index.resolver().resolve(analysis, access.key) : undefined;
          return resolution && 'key' in resolution ? [resolution.key] : [];
        }),
      ),
    );
  const writtenElsewhere = helperKeys((access) => isWriteOp(access.op));
  const readElsewhere = helperKeys(isRead);
  const read = new Set(inScope.filter((k) => isRead(k.access)).map((k) => k.key));
  // A literal that is no str (`request.session[5]`) is known, and never any str key.
  const dynamic = index.unresolved().filter((u) => u.nonStr === undefined && index.scopeOf(u.file) === scope);
  const dynamicWrites = dynamic.filter((u) => isWriteOp(u.op));
  const dynamicReads = dynamic.filter((u) => READS.has(u.op));
  // Application code is pointed only at constants outside tests: a test module's constant is the tests' own.
  const testFiles = new Set(analyses.filter((analysis) => analysis.inTest).map((analysis) => analysis.file));
  const constantsByKey = new Map<string, ConstantDefinition>();
  for (const k of inScope) {
    if (k.definition && !testFiles.has(k.definition.file) && !constantsByKey.has(k.key)) {
      constantsByKey.set(k.key, k.definition);
    }
  }
  // Built once per set of installed apps (usually one per folder): asking each unwritten key against every written key is quadratic.
  const appKeysByApps = new Map<string, AppKeys>();
  const appKeysOf = (file: string): AppKeys => {
    const { installedApps, settingsWrittenKeys, settingsOff } = optionsOf(file);
    const id = JSON.stringify([installedApps ?? null, settingsWrittenKeys ?? null, settingsOff ?? null]);
    let appKeys = appKeysByApps.get(id);
    if (!appKeys) {
      appKeys = new AppKeys({ installedApps, settingsWrittenKeys, settingsOff }, written, index.prefixKeys(file));
      appKeysByApps.set(id, appKeys);
    }
    return appKeys;
  };
  for (const k of inScope) {
    const file = k.analysis.file;
    const appKeys = appKeysOf(file);
    // An empty key is a literal still being typed (`get("` completes to `get("")`), not a finding.
    if (k.key !== '' && isRead(k.access) && k.access.op !== 'setdefault' && !written.has(k.key) && !writtenElsewhere.has(k.key) && !DJANGO_WRITTEN_KEYS.has(k.key) && !appKeys.writes(k.key) && !prefixMatched(k.key, dynamicWrites)) {
      diagnostics.push(neverWritten(k, appKeys.suggestions, dynamicWrites, appKeys.writtenOnlyWith(k.key), { constantsByKey, index }));
    }
    if (isWriteOp(k.access.op) && !read.has(k.key) && !readElsewhere.has(k.key) && !DJANGO_WRITTEN_KEYS.has(k.key) && !appKeys.reads(k.key) && !prefixMatched(k.key, dynamicReads)) {
      diagnostics.push({
        file,
        range: k.access.range,
        code: 'DS102',
        severity: 'hint',
        message: `Session key ${pyRepr(k.key)} is written but never read in this project${dynamicCaveat(k.key, dynamicReads, 'read')}; read it where it is needed or stop storing it.`,
      });
    }
    const language = k.key === LANGUAGE_KEY ? languageInSession(k, optionsOf(file).djangoVersion) : undefined;
    if (language) {
      diagnostics.push(language);
    }
    // A test spells a key out on purpose: it pins the name stored in the session, which a constant would follow.
    const constant = k.analysis.inTest || isTemplatePath(file) ? undefined : constantsByKey.get(k.key);
    if (constant && !k.definition && k.access.key.kind === 'literal' && k.access.keyText !== undefined && /^[a-zA-Z]*['"]/.test(k.access.keyText)) {
      diagnostics.push(duplicatesConstant(k, constant, index));
    }
  }
  return diagnostics;
}

const LANGUAGE_KEY = '_language';

/**
 * DS111: the language kept in the session. Since Django 3.0 `get_language_from_request()` reads
 * only the URL, the language cookie and Accept-Language, so writing `_language` changes nothing;
 * 3.x's `set_language` still wrote it, and 4.0 removed it with LANGUAGE_SESSION_KEY, so from
 * then on a read finds nothing. Writes are judged unless the project is known to run Django
 * before 3.0; reads where it is known to run 4.0 or later.
 */
function languageInSession(k: KeyedAccess, version: string | undefined): LintDiagnostic | undefined {
  const writes = isWriteOp(k.access.op) && k.access.op !== 'delete';
  const known = version === undefined ? 'Django 3.0 and later' : `Django ${version}`;
  if (writes && (version === undefined || versionAtLeast(version, 3, 0))) {
    return {
      file: k.analysis.file,
      range: k.access.range,
      code: 'DS111',
      severity: 'warning',
      message: `${known} ${version === undefined ? 'do' : 'does'} not read the language from the session, so writing '${LANGUAGE_KEY}' does not change it (and LANGUAGE_SESSION_KEY is gone from Django 4.0); call translation.activate() and set the settings.LANGUAGE_COOKIE_NAME cookie on the response, as django.views.i18n.set_language does.`,
    };
  }
  if (isRead(k.access) && version !== undefined && versionAtLeast(version, 4, 0)) {
    return {
      file: k.analysis.file,
      range: k.access.range,
      code: 'DS111',
      severity: 'warning',
      message: `Django ${version} never stores the language in the session (LANGUAGE_SESSION_KEY is gone from Django 4.0), so '${LANGUAGE_KEY}' is there only if your code writes it; read the active language with translation.get_language().`,
    };
  }
  return undefined;
}

/**
 * Whether an access with a dynamic key starts as `key` does (`f"filter_{name}"` for `filter_q`):
 * that family of keys is plainly written (or read) there, so no DS101 (DS102) is claimed.
 */
function prefixMatched(key: string, dynamic: readonly UnresolvedSessionKey[]): boolean {
  return dynamic.some((u) => u.prefix !== undefined && u.prefix !== '' && key.startsWith(u.prefix));
}

/**
 * What DS101 and DS102 cannot rule out: that one of the accesses whose key is only known at run
 * time is to `key`; not one whose key starts otherwise (`"cart_{}".format(pk)` is never `email`).
 */
function dynamicCaveat(key: string, dynamic: readonly UnresolvedSessionKey[], access: 'read' | 'write'): string {
  const count = dynamic.filter((u) => u.prefix === undefined || key.startsWith(u.prefix)).length;
  return count > 0 ? ` (${count} ${access}${count === 1 ? '' : 's'} with a dynamic key could also ${access === 'read' ? 'read' : 'set'} it)` : '';
}

/** The project's key constants outside tests, by key, for fixes that name a key by its constant. */
interface KeyConstants {
  constantsByKey: ReadonlyMap<string, ConstantDefinition>;
  index: SessionKeyIndex;
}

function neverWritten(
  k: KeyedAccess,
  typos: TypoSuggestions,
  dynamicWrites: readonly UnresolvedSessionKey[],
  off: { app: string; setting: string } | undefined,
  constants: KeyConstants,
): LintDiagnostic {
  const suggestion = off ? undefined : typos.suggest(k.key);
  const caveat = dynamicCaveat(k.key, dynamicWrites, 'write');
  if (off) {
    return {
      file: k.analysis.file,
      range: k.access.range,
      code: 'DS101',
      severity: 'warning',
      message: `Session key ${pyRepr(k.key)} is never written in this project${caveat}: ${off.app} writes it only with ${off.setting} = True, which the settings leave off; set it, or stop reading the key.`,
    };
  }
  const diagnostic: LintDiagnostic = {
    file: k.analysis.file,
    range: k.access.range,
    code: 'DS101',
    severity: 'warning',
    message: suggestion
      ? `Session key ${pyRepr(k.key)} is read but never written in this project${caveat}. Did you mean ${pyRepr(suggestion)}?`
      : `Session key ${pyRepr(k.key)} is read but never written in this project${caveat}; check the key's spelling or write it first.`,
  };
  // A template's `request.session.cart` spells the key as a variable name, which only such a name can replace.
  if (suggestion && k.access.spelling?.kind === 'lookup' && /^[A-Za-z_]\w*$/.test(suggestion)) {
    diagnostic.fix = { title: `Change to ${pyRepr(suggestion)}`, edits: [{ file: k.analysis.file, range: k.access.range, newText: suggestion }] };
  }
  const literal = k.access.keyText ? /^([a-zA-Z]*)(['"])/.exec(k.access.keyText) : null;
  if (suggestion && literal && !k.definition) {
    // Where the key has a constant, the fix names it, as DS106 would ask of the literal next.
    const constant = k.analysis.inTest || isTemplatePath(k.analysis.file) ? undefined : constants.constantsByKey.get(suggestion);
    const named = constant && useConstantFix(k, constant, constants.index);
    // The literal keeps its prefix and quote where it can read as the suggestion; a raw one that cannot becomes a plain one.
    const content = keyLiteralContent(suggestion, literal[1]!.toLowerCase(), literal[2]!);
    diagnostic.fix = (named && { ...named, title: `Change to ${pyRepr(suggestion)}: ${named.title}` }) ?? {
      title: `Change to ${pyRepr(suggestion)}`,
      edits: [{ file: k.analysis.file, range: k.access.range, newText: content === undefined ? keyLiteral(suggestion, literal[2]!) : `${literal[1]}${literal[2]}${content}${literal[2]}` }],
    };
  }
  return diagnostic;
}

function duplicatesConstant(k: KeyedAccess, constant: ConstantDefinition, index: SessionKeyIndex): LintDiagnostic {
  // Relative to the folder linted or opened, as the CLI and the editor show files: a bare `__init__.py` names no module.
  const root = outermostWithin(index.rootDirs, constant.file);
  const where = root === undefined ? constant.file : path.relative(root, constant.file).split(path.sep).join('/');
  const diagnostic: LintDiagnostic = {
    file: k.analysis.file,
    range: k.access.range,
    code: 'DS106',
    severity: 'information',
    message: `${pyRepr(k.key)} duplicates the constant ${constant.name} (${where}); use ${constant.name} so the key is named in one place.`,
  };
  const fix = useConstantFix(k, constant, index);
  return fix ? { ...diagnostic, fix } : diagnostic;
}

/** Puts `constant` in place of the access's key: by the name the code there knows it under, else with an import added. */
function useConstantFix(k: KeyedAccess, constant: ConstantDefinition, index: SessionKeyIndex): LintFix | undefined {
  const root = outermostWithin(index.rootDirs, constant.file);
  const reference = constantReference(k.analysis, constant, k.access.range.start, root, (module) => index.resolver().findModule(module, k.analysis)?.file);
  if (!reference) {
    return undefined;
  }
  const use = { file: k.analysis.file, range: k.access.range, newText: reference.name };
  return reference.edit ? { title: `Use ${reference.name} (${reference.importing})`, edits: [reference.edit, use] } : { title: `Use ${reference.name}`, edits: [use] };
}

function fileRules(analysis: FileAnalysis, options: SessionKeyLintOptions, index: SessionKeyIndex): LintDiagnostic[] {
  const diagnostics: LintDiagnostic[] = blockingSessionAccesses(analysis, options);
  const file = analysis.file;
  const describe = (key: SessionAccess['key']): string => {
    const resolved = index.resolver().resolve(analysis, key);
    return 'key' in resolved ? `Session key ${pyRepr(resolved.key)}` : 'A session key';
  };
  if (options.serializer === 'json') {
    const throughHelpers = (analysis.helperNonJsonValues ?? []).filter((value) => index.reachesSession(value.through));
    for (const value of [...(analysis.session?.nonJsonValues ?? []), ...throughHelpers]) {
      const conversion = CONVERSIONS[value.kind];
      const diagnostic: LintDiagnostic = {
        file,
        range: value.range,
        code: 'DS103',
        severity: 'error',
        message: `${describe(value.key)} is given a ${value.inside ? `${value.inside} holding a ${value.kind}` : value.kind}, which JSONSerializer cannot store (TypeError when the session is saved); ${conversion?.advice ?? 'store a JSON-compatible value'}.`,
      };
      if (conversion) {
        diagnostic.fix = { title: conversion.title, edits: [{ file, range: value.range, newText: conversion.convert(value.text) }] };
      }
      diagnostics.push(diagnostic);
    }
    for (const access of analysis.session?.accesses ?? []) {
      if (access.key.kind === 'dynamic' && access.key.nonStr) {
        diagnostics.push(nonStrKey(file, access.range, access.key.nonStr, isWriteOp(access.op)));
      }
    }
  }
  if (!options.saveEveryRequest) {
    for (const mutation of analysis.session?.unmarkedMutations ?? []) {
      if (mutation.laterCalls && savedByHelper(analysis, mutation.laterCalls, index)) {
        continue;
      }
      // Saving would raise on the value DS103 reports: `modified = True` would turn a lost change into a crash.
      if (mutation.storesNonJson && options.serializer === 'json') {
        continue;
      }
      diagnostics.push({
        file,
        range: mutation.range,
        code: 'DS104',
        severity: 'warning',
        message: `${describe(mutation.key)} is changed in place, which Django does not notice, so the change is not saved; set ${mutation.receiver}.modified = True after it (or assign the key again).`,
        ...(mutation.indent !== undefined ? { fix: insertModified(file, mutation.lineEnd, mutation.indent, mutation.receiver) } : {}),
      });
    }
  }
  for (const change of analysis.session?.testClientChanges ?? []) {
    diagnostics.push({
      file,
      range: change.range,
      code: 'DS107',
      severity: 'warning',
      message: change.unsavedLocal
        ? `${change.unsavedLocal} holds ${change.receiver}, a session the test client does not save for you, and nothing calls ${change.unsavedLocal}.save() after this change, so the view does not see it; call ${change.unsavedLocal}.save().`
        : `${change.receiver} is a new session each time it is read, so this change is never saved and the view does not see it; keep the session in a variable (session = ${change.receiver}), change that, then call session.save().`,
    });
  }
  for (const use of analysis.session?.createResults ?? []) {
    diagnostics.push({
      file,
      range: use.range,
      code: 'DS109',
      severity: 'warning',
      message: `${use.receiver}.${use.method}() returns None, not the key of the session it creates; call it, then read ${use.receiver}.session_key.`,
      ...(use.fix ? { fix: { title: `Read ${use.receiver}.session_key after ${use.method}()`, edits: [{ file, ...use.fix }] } } : {}),
    });
  }
  for (const write of analysis.session?.discardedWrites ?? []) {
    const { what, line, login } = write.by;
    const why = login ? `${what} on line ${line} flushes the session when another user is logged in, as here` : `${what} on line ${line} flushes the session`;
    diagnostics.push({
      file,
      range: write.range,
      code: 'DS110',
      severity: 'warning',
      message: `${describe(write.key)} is written and then thrown away: ${why}, so the next request does not find it; write it after ${what}.`,
    });
  }
  for (const call of analysis.session?.badExpiryCalls ?? []) {
    if (call.absolute) {
      const version = options.djangoVersion;
      if (options.serializer === 'json' && version !== undefined && !versionAtLeast(version, 4, 1)) {
        diagnostics.push({
          file,
          range: call.range,
          code: 'DS105',
          severity: 'error',
          message: `set_expiry() given ${call.argumentKind} stores a datetime in the session on Django ${version} (only 4.1+ turns it into text), which JSONSerializer cannot encode: saving raises TypeError. Pass the seconds as an int instead.`,
        });
      }
      continue;
    }
    // The seconds written as a str: `"300"` or `str(300)`.
    const numeric = /^[a-zA-Z]*(['"])(\d+)\1$/.exec(call.text)?.[2] ?? /^str\(\s*(\d+)\s*\)$/.exec(call.text)?.[1];
    const diagnostic: LintDiagnostic = {
      file,
      range: call.range,
      code: 'DS105',
      severity: 'error',
      message: `set_expiry() takes seconds as an int, a datetime, a timedelta or None, not ${call.argumentKind}; pass one of those.`,
    };
    if (numeric) {
      diagnostic.fix = { title: `Pass ${numeric} as an int`, edits: [{ file, range: call.range, newText: numeric }] };
    }
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}

function nonStrKey(file: string, range: SessionAccess['range'], key: NonStrKey, write: boolean): LintDiagnostic {
  if (key.jsonKey === undefined) {
    const str = key.strLiteral;
    const what = write ? 'saving the session then raises TypeError' : 'no session holds it, so this finds nothing';
    return {
      file,
      range,
      code: 'DS108',
      severity: write ? 'error' : 'warning',
      message: `Session key ${key.text} is not a str but ${key.kind}, which JSONSerializer cannot save as a key: ${what}; use ${str === undefined ? 'a str key' : `the str ${str}`}.`,
      ...(str === undefined ? {} : { fix: { title: `Use the str ${str}`, edits: [{ file, range, newText: str }] } }),
    };
  }
  return {
    file,
    range,
    code: 'DS108',
    severity: 'warning',
    message: `Session key ${key.text} is not a str but ${key.kind}: JSONSerializer saves it as the key '${key.jsonKey}', so from the next request on, ${key.text} no longer finds the value (KeyError, or None from get()); use the str '${key.jsonKey}'.`,
    fix: { title: `Use the str '${key.jsonKey}'`, edits: [{ file, range, newText: `"${key.jsonKey}"` }] },
  };
}

function insertModified(file: string, lineEnd: { at: Position; eol: string; inline?: true }, indent: string, receiver: string): LintFix {
  // Before a statement that follows on the same line (a `return`), not after it, where it would not run.
  const newText = lineEnd.inline ? `; ${receiver}.modified = True` : `${lineEnd.eol}${indent}${receiver}.modified = True`;
  return { title: `Add ${receiver}.modified = True`, edits: [{ file, range: { start: lineEnd.at, end: lineEnd.at }, newText }] };
}
