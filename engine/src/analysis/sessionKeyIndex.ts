import { deepestWithin, isWithin } from '../pathWithin';
import type { DjangoProject } from '../project/discoverProjects';
import { analyseIndexedFile, parseWithin, type FileAnalysis } from './fileAnalysis';
import { WIZARD_PREFIX, wizardSessionKeys } from './formtoolsWizardKeys';
import { mayCallHelper, NO_HELPER_NAMES } from './helperCalls';
import { helperCallSites, type HelperCallRecord, helperId, type HelperCallSites } from './helperCallSites';
import type { KeyHelper } from './keyParameterHelpers';
import { type ConstantDefinition, type KeyResolution, KeyResolver, placeInFolder } from './keyResolver';
import { loadPythonParser, type PythonParser } from './pythonParser';
import { byStart, sameRange } from './range';
import { holdsPyvenvCfg } from './pythonPaths';
import type { SessionAccess, SessionParameter, SessionPassed } from './sessionAccesses';
import type { SessionHandOn } from './helperSessionAccesses';
import { type ProjectSettingKeys, projectSettingKeys } from './settingKeys';
import type { SessionKeyUsage, UnresolvedSessionKey } from './sessionKeyUsage';
import { isTemplatePath } from './templateSessionReads';
import type { PrefixKeys } from './thirdPartySessionKeys';
import { readTextFile } from './textFile';

/**
 * How long the parser may take over an editor's text before the file is held back until saved
 * or finished: a few times a large view's ordinary parse, far below what a stuck recovery costs.
 */
const EDIT_PARSE_BUDGET_MS = 400;

/** A resolved usage together with the constant that named its key, if any. */
export interface ResolvedUsage extends SessionKeyUsage {
  definition?: ConstantDefinition;
}

interface FileResult {
  usages: ResolvedUsage[];
  unresolved: UnresolvedSessionKey[];
  /** The file's calls of key-parameter helpers and the accesses they make; absent when it makes none. */
  sites?: HelperCallSites;
  /** Its unresolved accesses keyed by a parameter of a key-parameter helper, with the helper's id: its calls may tell the key. */
  parameterKeyed?: Map<UnresolvedSessionKey, string>;
}

/**
 * The session keys used across a workspace's Python files. Incremental: `updateFile`
 * re-analyses one file; key resolution is redone lazily on the next query, for that file
 * only unless the edit changed names other modules can import.
 */
export class SessionKeyIndex {
  private readonly files = new Map<string, FileAnalysis>();
  private readonly roots: string[] = [];
  /** Files whose editor text does not parse, kept at their last analysis that did. */
  private readonly heldBack = new Set<string>();
  /** Each file's scope, by `scopeOf`, until the roots change. */
  private readonly scopes = new Map<string, string>();
  /** Resolved accesses per file; an edit that changes no module-level names drops only its own. */
  private readonly results = new Map<string, FileResult>();
  /** What `settings.NAME` keys resolve to, by Django project root (see setProjectSettings). */
  private readonly projectSettings = new Map<string, ProjectSettingKeys>();
  /** The settings as keys last taken, to tell whether new ones change any key. */
  private settingsSignature = '';
  /** Valid while the set of files is unchanged. */
  private keyResolver: KeyResolver | undefined;
  private sortedFiles: string[] | undefined;
  private combined: FileResult | undefined;
  /** Where calls hand a session on (see sessionsPassed), as of `combined`. */
  private passed: ReadonlySet<string> = new Set();
  /** prefixKeys() per scope, for one state of the index (see current()). */
  private prefixKeysCache?: { state: FileResult; byScope: Map<string, PrefixKeys> };
  /** The names of the project's module-level key-parameter helpers, whose calls files are searched for (see refreshHelperCalls). */
  private helperNames: ReadonlySet<string> = NO_HELPER_NAMES;
  /** Set when an analysis brought or took away such a name. */
  private helperNamesChanged = false;
  /** The helper names each file's analysis searched it for; absent for none. */
  private readonly searched = new Map<string, ReadonlySet<string>>();
  /** The editors' texts whose analyses the index holds, which the files on disk may not have yet. */
  private readonly editorTexts = new Map<string, string>();
  /** The texts of analyses made elsewhere (see setAnalysis), until the files are searched for the helpers known then. */
  private readonly pendingTexts = new Map<string, string>();

  private constructor(
    readonly python: PythonParser,
    private readonly editParseBudgetMs: number,
  ) {}

  /**
   * Loads the Python parser (once per process) and returns an empty index. `editParseBudgetMs`
   * bounds an editor text's parse (see updateEditedFile); tests set it so no machine's speed decides.
   */
  static async create(editParseBudgetMs = EDIT_PARSE_BUDGET_MS): Promise<SessionKeyIndex> {
    return new SessionKeyIndex(await loadPythonParser(), editParseBudgetMs);
  }

  /** Declares a workspace or project root: test files are recognised by their path below it. */
  addRoot(root: string): void {
    if (!this.roots.includes(root)) {
      this.roots.push(root);
      this.rootsChanged();
    }
  }

  /** Forgets a root that is no longer a workspace folder: its files' scopes and imports are found again without it. */
  removeRoot(root: string): void {
    const at = this.roots.indexOf(root);
    if (at !== -1) {
      this.roots.splice(at, 1);
      this.rootsChanged();
    }
  }

  /** Scopes decide which module an import names: keys resolve again under the roots there are now. */
  private rootsChanged(): void {
    this.scopes.clear();
    this.combined = undefined;
    this.forgetFileSet();
  }

  /**
   * Takes the Django projects discovery found, whose settings `settings.NAME` keys resolve to
   * (each in its own project's files). Keys resolve again when the settings give other keys
   * or definitions, as they do when a module constant that other files import changes.
   */
  setProjectSettings(projects: readonly DjangoProject[]): void {
    const settings = projects.map(projectSettingKeys);
    const signature = JSON.stringify(settings.map(({ root, keys, unreadable }) => [root, [...keys], unreadable]));
    if (signature === this.settingsSignature) {
      return;
    }
    this.settingsSignature = signature;
    this.projectSettings.clear();
    settings.forEach((project) => this.projectSettings.set(project.root, project));
    this.results.clear();
    this.combined = undefined;
  }

  /**
   * The projects whose settings `settings.NAME` may mean in a file: the project it is in (its
   * scope), else those in its workspace folder, of which only one can be taken for sure.
   */
  private settingsOf(file: string): ProjectSettingKeys[] {
    const scope = this.scopeOf(file);
    const own = this.projectSettings.get(scope);
    if (own) {
      return [own];
    }
    return scope === '' ? [] : [...this.projectSettings.values()].filter((project) => isWithin(scope, project.root));
  }

  /** The declared roots, as `analyseIndexedFile` takes them. */
  get rootDirs(): readonly string[] {
    return this.roots;
  }

  /**
   * (Re-)analyses one file from its current text, the file's on disk (an editor's goes through
   * updateEditedFile): when helpers appear later, the file is searched for their calls from disk.
   * Files a full scan skips are ignored, by the same rule: under a skipped directory or a
   * virtualenv, which is told by its `pyvenv.cfg` on disk. The files are searched for helpers
   * the update brings when the index is next read, not at once: a checkout updates a thousand
   * files in a row, and searching the whole project after each would read it a thousand times.
   */
  updateFile(file: string, text: string): void {
    const names = this.helperNames;
    const analysis = analyseIndexedFile(this.python, this.roots, file, text, holdsPyvenvCfg, names);
    if (analysis) {
      this.editorTexts.delete(file);
      // Kept until that search, which finds in it the calls of helpers other updates bring.
      this.setAnalysis(analysis, names, text);
    }
  }

  /**
   * `updateFile` for an editor's text as it is typed: text with a syntax error (`x = foo(` on
   * its way to `foo(bar)`) leaves the file's last analysis without one in place, since the
   * parser's recovery can read every write after the error as a read, and warn across the
   * project until the line is finished. Such a file is `heldBack` until its text parses.
   */
  updateEditedFile(file: string, text: string): void {
    this.refreshHelperCalls();
    const names = this.helperNames;
    const previous = this.files.get(file);
    // Parsed first, within a budget: held back on a syntax error, nothing is analysed at all, and
    // an unfinished line whose recovery would take the parser seconds holds the file back too.
    const parsed = previous && !isTemplatePath(file) ? parseWithin(this.python, text, this.editParseBudgetMs) : undefined;
    if (parsed === 'slow' || (parsed?.rootNode.hasError && !previous!.syntaxError)) {
      if (parsed !== 'slow') {
        parsed!.delete();
      }
      this.heldBack.add(file);
      return;
    }
    const analysis = analyseIndexedFile(this.python, this.roots, file, text, holdsPyvenvCfg, names, parsed);
    if (!analysis) {
      return;
    }
    this.editorTexts.set(file, text);
    this.setAnalysis(analysis, names);
    this.pendingTexts.delete(file);
  }

  /** Whether the index holds an older analysis of the file than its editor's text (see updateEditedFile): its ranges may be off. */
  isHeldBack(file: string): boolean {
    return this.heldBack.has(file);
  }

  /**
   * Takes a file's analysis made by `analyseIndexedFile` elsewhere (a worker thread), as `updateFile`
   * would; `searched` are the helper names it was given, if any: the file is searched for the others
   * (see refreshHelperCalls) in `text`, the text analysed, until `searchHelperCalls`, else on disk.
   */
  setAnalysis(analysis: FileAnalysis, searched: ReadonlySet<string> = NO_HELPER_NAMES, text?: string): void {
    const file = analysis.file;
    if (text !== undefined) {
      this.pendingTexts.set(file, text);
    }
    this.heldBack.delete(file);
    const previous = this.files.get(file);
    this.files.set(file, analysis);
    this.searched.set(file, searched);
    this.combined = undefined;
    this.helperNamesChanged ||= searched !== this.helperNames || helperNamesOf(previous) !== helperNamesOf(analysis);
    if (!previous) {
      this.forgetFileSet();
    } else if (moduleSignature(previous) !== moduleSignature(analysis)) {
      this.results.clear();
      this.keyResolver?.classesChanged();
    } else {
      this.results.delete(file);
    }
  }

  /** Forgets a deleted file. */
  removeFile(file: string): void {
    this.heldBack.delete(file);
    this.editorTexts.delete(file);
    this.pendingTexts.delete(file);
    this.searched.delete(file);
    this.helperNamesChanged ||= helperNamesOf(this.files.get(file)) !== '';
    if (this.files.delete(file)) {
      this.scopes.delete(file);
      this.combined = undefined;
      this.forgetFileSet();
    }
  }

  private forgetFileSet(): void {
    this.keyResolver = undefined;
    this.sortedFiles = undefined;
    this.results.clear();
  }

  /** Every access whose key is known, in file order. */
  usages(): ResolvedUsage[] {
    return this.current().usages;
  }

  /** Accesses whose key cannot be told statically, with the reason. */
  unresolved(): UnresolvedSessionKey[] {
    return this.current().unresolved;
  }

  /**
   * The scope a file's keys live in: the longest declared root holding it (a workspace folder),
   * or '' for a file under none. Keys and imports of one folder say nothing about another's.
   */
  scopeOf(file: string): string {
    let scope = this.scopes.get(file);
    if (scope === undefined) {
      scope = deepestWithin(this.roots, file) ?? '';
      this.scopes.set(file, scope);
    }
    return scope;
  }

  /** Usages grouped by key; only those in the scope of `file` when one is given. */
  keys(file?: string): Map<string, ResolvedUsage[]> {
    const scope = file === undefined ? undefined : this.scopeOf(file);
    const byKey = new Map<string, ResolvedUsage[]>();
    for (const usage of this.usages()) {
      if (scope !== undefined && this.scopeOf(usage.file) !== scope) {
        continue;
      }
      const list = byKey.get(usage.key) ?? [];
      list.push(usage);
      byKey.set(usage.key, list);
    }
    return byKey;
  }

  /**
   * The exact keys the third-party prefixes stand for in the scope of `file`: formtools'
   * `wizard_` is the keys of the project's wizard classes, where it has any (see wizardSessionKeys).
   */
  prefixKeys(file: string): PrefixKeys {
    const state = this.current();
    if (this.prefixKeysCache?.state !== state) {
      this.prefixKeysCache = { state, byScope: new Map() };
    }
    const scope = this.scopeOf(file);
    let keys = this.prefixKeysCache.byScope.get(scope);
    if (!keys) {
      const wizards = wizardSessionKeys([...this.files.values()].filter((analysis) => this.scopeOf(analysis.file) === scope));
      // Without a wizard class in the code, the wizards may be an installed package's: the prefix stands.
      keys = new Map(wizards.size > 0 ? [[WIZARD_PREFIX, wizards]] : []);
      this.prefixKeysCache.byScope.set(scope, keys);
    }
    return keys;
  }

  /** One file's facts, if the index holds the file. */
  analysisOf(file: string): FileAnalysis | undefined {
    this.refreshHelperCalls();
    return this.files.get(file);
  }

  /** The per-file facts, for the lint rules. */
  analyses(): Iterable<FileAnalysis> {
    this.refreshHelperCalls();
    return this.files.values();
  }

  /**
   * The key-parameter helpers named `name`: module-level functions, or methods when `method` (see
   * keyParameterHelpers); by name alone, for completion, which offers keys and needs no more.
   */
  keyHelpersNamed(name: string, method: boolean): KeyHelper[] {
    return [...this.analyses()].flatMap((analysis) => (analysis.keyHelpers ?? []).filter((helper) => helper.name === name && (helper.className !== undefined) === method));
  }

  /**
   * The accesses through helpers' `session` parameters that calls in the project fill with a
   * session, by file, also those the calls of such a helper make at their key arguments:
   * usages, as in `usages()`.
   */
  handedOnAccesses(): Map<string, SessionAccess[]> {
    this.current();
    const byFile = new Map<string, SessionAccess[]>();
    for (const [file, analysis] of this.files) {
      const handedOn = throughSessionParameters(analysis, this.results.get(file)).filter((access) => isHandedOn(access, this.passed));
      if (handedOn.length > 0) {
        byFile.set(file, handedOn);
      }
    }
    return byFile;
  }

  /**
   * Whether what is stored through a helper's `session` parameter reaches a session: a call in
   * the project fills the parameter with one. Without a parameter (`scope["session"]`) it does.
   */
  reachesSession(through: SessionParameter | undefined): boolean {
    this.current();
    return through === undefined || isFilled(through, this.passed);
  }

  /** The accesses a file's calls of key-parameter helpers make at their key arguments (see helperCallSites); undefined when it makes none. */
  helperCallAccesses(file: string): { accesses: SessionAccess[]; notUsages: SessionAccess[] } | undefined {
    this.current();
    return this.results.get(file)?.sites;
  }

  /**
   * Searches files for calls of the helpers whose names are new to them, once analyses brought or
   * took away a module-level key-parameter helper, or came without those names: such a call may
   * be in a file that never says "session", which the pre-filter left unparsed. Only files whose
   * text may call one of the new names (see mayCallHelper) are analysed again, from the editor's
   * text or the file on disk.
   */
  private refreshHelperCalls(): void {
    if (!this.helperNamesChanged) {
      this.pendingTexts.clear();
      return;
    }
    this.helperNamesChanged = false;
    const names = this.currentHelperNames();
    if (names !== this.helperNames) {
      this.helperNames = names;
      this.combined = undefined;
    }
    for (const [file, searched] of this.searched) {
      if (searched === names) {
        continue;
      }
      const missing = new Set([...names].filter((name) => !searched.has(name)));
      const text = missing.size > 0 && !isTemplatePath(file) ? this.textOf(file) : undefined;
      const redone = text !== undefined && mayCallHelper(text, missing) ? analyseIndexedFile(this.python, this.roots, file, text, holdsPyvenvCfg, names) : undefined;
      if (redone) {
        this.files.set(file, redone);
        this.results.delete(file);
        this.combined = undefined;
      }
      this.searched.set(file, names);
    }
    this.pendingTexts.clear();
  }

  /** Searches the files for calls of the helpers they define now (see refreshHelperCalls), and lets go of the texts analyses came with. */
  searchHelperCalls(): void {
    this.refreshHelperCalls();
  }

  /** The names of the module-level key-parameter helpers the files define: the set in force when they are the same. */
  private currentHelperNames(): ReadonlySet<string> {
    const names = new Set<string>();
    for (const analysis of this.files.values()) {
      analysis.keyHelpers?.forEach((helper) => helper.className === undefined && names.add(helper.name));
    }
    if (names.size === this.helperNames.size && [...names].every((name) => this.helperNames.has(name))) {
      return this.helperNames;
    }
    return names.size === 0 ? NO_HELPER_NAMES : names;
  }

  /** The text a file's analysis was made from: its editor's, else the file's on disk; undefined when it cannot be read. */
  private textOf(file: string): string | undefined {
    try {
      return this.editorTexts.get(file) ?? this.pendingTexts.get(file) ?? readTextFile(file);
    } catch {
      return undefined;
    }
  }

  /** The resolver over the current files, for rules that resolve keys of their own facts. */
  resolver(): KeyResolver {
    this.keyResolver ??= new KeyResolver(this.files, (file) => this.scopeOf(file), (file) => this.settingsOf(file));
    return this.keyResolver;
  }

  private current(): FileResult {
    this.refreshHelperCalls();
    if (this.combined) {
      return this.combined;
    }
    const resolver = this.resolver();
    this.sortedFiles ??= [...this.files.keys()].sort();
    const combined: FileResult = { usages: [], unresolved: [] };
    const results: FileResult[] = [];
    const passed = sessionsPassed(this.files.values());
    this.passed = passed;
    /** The calls of each helper, by helperId, and the first that passes a key not known statically. */
    const calls = new Map<string, { dynamic?: HelperCallRecord & { file: string } }>();
    const handedOnUnresolved: UnresolvedSessionKey[] = [];
    for (const file of this.sortedFiles) {
      let result = this.results.get(file);
      if (!result) {
        result = resolveFile(resolver, this.files.get(file)!);
        this.results.set(file, result);
      }
      results.push(result);
      const handedOn = handedOnResolved(resolver, this.files.get(file)!, result, passed);
      combined.usages.push(...(handedOn.usages.length > 0 ? [...result.usages, ...handedOn.usages].sort(byStart) : result.usages));
      handedOnUnresolved.push(...handedOn.unresolved);
      for (const call of result.sites?.calls ?? []) {
        const seen = calls.get(call.helper) ?? {};
        seen.dynamic ??= call.dynamic === undefined ? undefined : { ...call, file };
        calls.set(call.helper, seen);
      }
    }
    for (const result of results) {
      for (const unresolved of result.unresolved) {
        const helper = result.parameterKeyed?.get(unresolved);
        const called = helper === undefined ? undefined : calls.get(helper);
        // Every call tells its key, each counted at the call: the access itself is no longer unknown.
        if (called && !called.dynamic) {
          continue;
        }
        combined.unresolved.push(called?.dynamic ? { ...unresolved, reason: this.dynamicCallReason(unresolved.reason, called.dynamic) } : unresolved);
      }
    }
    if (handedOnUnresolved.length > 0) {
      combined.unresolved.push(...handedOnUnresolved);
      // In file order, and by place within a file, as the rest.
      combined.unresolved.sort((a, b) => (a.file === b.file ? byStart(a, b) : a.file < b.file ? -1 : 1));
    }
    this.combined = combined;
    return combined;
  }

  /** Why a helper's access stays unresolved: its parameter, and a call that passes a key not known statically, by where it is in its folder. */
  private dynamicCallReason(reason: string, call: HelperCallRecord & { file: string }): string {
    const where = placeInFolder(this.scopeOf(call.file), call.file, call.range.start.line);
    return `${reason}, and the call of ${call.callee}() at ${where} passes a key not known statically: ${call.dynamic}`;
  }
}

function resolveFile(resolver: KeyResolver, analysis: FileAnalysis): FileResult {
  const result: FileResult = { usages: [], unresolved: [] };
  const sites = analysis.helperCalls ? helperCallSites(analysis, resolver) : undefined;
  const accesses = analysis.session?.accesses ?? [];
  if (sites) {
    result.sites = sites;
  }
  // The calls' accesses among the file's own, in the order of their places (a stable sort keeps the own ones' order).
  const all = sites && sites.accesses.length > 0 ? [...accesses, ...sites.accesses].sort(byStart) : accesses;
  for (const access of all) {
    const resolved = resolver.resolve(analysis, access.key);
    // The key as its own class binds it first, so what is found at the place (hover, rename) is that one.
    const overrides = resolver.overrides(analysis, access.key).map((override) => usageOf(analysis, access, override));
    if ('key' in resolved) {
      result.usages.push(usageOf(analysis, access, resolved), ...overrides);
      continue;
    }
    result.usages.push(...overrides);
    const unresolved = unresolvedAccess(analysis, access, resolved);
    result.unresolved.push(unresolved);
    const helper = access.key.kind === 'dynamic' && access.key.parameter !== undefined ? analysis.keyHelpers?.find((h) => !h.notUsage && sameRange(h.range, access.range)) : undefined;
    if (helper) {
      (result.parameterKeyed ??= new Map()).set(unresolved, helperId(analysis.file, helper));
    }
  }
  return result;
}

/** An access whose key resolves to no str, with why, and the literal where the key is one that is no str. */
function unresolvedAccess(analysis: FileAnalysis, access: SessionAccess, resolved: { reason: string; prefix?: string }): UnresolvedSessionKey {
  const nonStr = access.key.kind === 'dynamic' ? access.key.nonStr?.text : undefined;
  return {
    op: access.op,
    file: analysis.file,
    range: access.range,
    inTest: analysis.inTest,
    reason: resolved.reason,
    ...(resolved.prefix ? { prefix: resolved.prefix } : {}),
    ...(nonStr !== undefined ? { nonStr } : {}),
  };
}

/** Where calls across the project hand a session on: `name@position` and `name=keyword` (see SessionPassed). */
function sessionsPassed(analyses: Iterable<FileAnalysis>): Set<string> {
  const passed = new Set<string>();
  const handOns: SessionHandOn[] = [];
  for (const analysis of analyses) {
    for (const call of analysis.session?.passedTo ?? []) {
      passed.add(passedId(call));
    }
    handOns.push(...(analysis.sessionHandOns ?? []));
  }
  // A helper filled with a session fills the helper it hands it on to, however many hops down (Baserow's OAuth provider).
  let grew = handOns.length > 0;
  while (grew) {
    grew = false;
    for (const handOn of handOns) {
      const id = passedId(handOn.passed);
      if (!passed.has(id) && isFilled(handOn.through, passed)) {
        passed.add(id);
        grew = true;
      }
    }
  }
  return passed;
}

/** How sessionsPassed names where a call passes a session: `callee@position` or `callee=keyword`. */
function passedId(call: SessionPassed): string {
  return call.keyword === undefined ? `${call.callee}@${call.position}` : `${call.callee}=${call.keyword}`;
}

/**
 * The accesses through a helper's `session` parameter that a call somewhere fills with a
 * session (`set_session_token(request.session, token)` for `def set_session_token(session,
 * token)`: GeoNode), as usages, or unresolved where their key cannot be told (django-oscar-api's
 * `session[settings.OSCAR_BASKET_COOKIE_OPEN]`): by the helper's name, since the parameter's name
 * already says what it holds. Those no call is seen to fill stay out (see helperSessionAccesses),
 * and so do keys a parameter gives, which the helper's calls tell (see helperCallSites).
 */
function handedOnResolved(resolver: KeyResolver, analysis: FileAnalysis, result: FileResult, passed: ReadonlySet<string>): { usages: ResolvedUsage[]; unresolved: UnresolvedSessionKey[] } {
  const usages: ResolvedUsage[] = [];
  const unresolved: UnresolvedSessionKey[] = [];
  for (const access of throughSessionParameters(analysis, result)) {
    if (!isHandedOn(access, passed)) {
      continue;
    }
    const resolved = resolver.resolve(analysis, access.key);
    if ('key' in resolved) {
      usages.push(usageOf(analysis, access, resolved));
    } else if (access.key.kind !== 'dynamic' || access.key.parameter === undefined) {
      unresolved.push(unresolvedAccess(analysis, access, resolved));
    }
  }
  return { usages, unresolved };
}

/** A file's accesses through a helper's `session` parameter, and its calls' of key-parameter helpers whose access goes through one. */
function throughSessionParameters(analysis: FileAnalysis, result: FileResult | undefined): SessionAccess[] {
  const calls = result?.sites?.notUsages ?? [];
  return calls.length > 0 ? [...(analysis.helperAccesses ?? []), ...calls] : (analysis.helperAccesses ?? []);
}

/** Whether a call in the project fills the helper parameter an access goes through with a session (see sessionsPassed). */
function isHandedOn(access: SessionAccess, passed: ReadonlySet<string>): boolean {
  return !!access.through && isFilled(access.through, passed);
}

/** Whether a call in the project passes a session where the parameter is (see sessionsPassed). */
function isFilled(through: SessionParameter, passed: ReadonlySet<string>): boolean {
  return (through.position !== undefined && passed.has(`${through.fn}@${through.position}`)) || (through.keyword && passed.has(`${through.fn}=session`));
}

/** An access whose key resolved, as the index lists it. */
function usageOf(analysis: FileAnalysis, access: SessionAccess, resolved: Extract<KeyResolution, { key: string }>): ResolvedUsage {
  const usage: ResolvedUsage = { key: resolved.key, op: access.op, file: analysis.file, range: access.range, inTest: analysis.inTest };
  if (access.spelling) {
    usage.spelling = access.spelling;
  }
  if (access.unsaved) {
    usage.unsaved = true;
  }
  if (access.noDefault) {
    usage.noDefault = true;
  }
  if (access.guarded) {
    usage.guarded = true;
  }
  if (resolved.definition) {
    usage.definition = resolved.definition;
  }
  return usage;
}

/** The names of a file's module-level key-parameter helpers, which calls in other files may name. */
function helperNamesOf(analysis: FileAnalysis | undefined): string {
  return [...new Set((analysis?.keyHelpers ?? []).flatMap((helper) => (helper.className === undefined ? [helper.name] : [])))].sort().join(' ');
}

/** What other files can see of a module: if it is unchanged, their keys resolve as before. */
function moduleSignature(analysis: FileAnalysis): string {
  const { constants, aliases, classes, imports, moduleAliases, starImports } = analysis.module;
  // A helper's calls elsewhere count its accesses: where in the file it makes them is its own.
  const helpers = (analysis.keyHelpers ?? []).filter((helper) => helper.className === undefined).map(({ range: _range, ...helper }) => helper);
  return JSON.stringify([[...constants], [...aliases].map(([name, alias]) => [name, alias.target]), [...classes].map(([name, cls]) => [name, cls.bases, [...cls.constants]]), [...imports], [...moduleAliases], starImports, helpers]);
}
