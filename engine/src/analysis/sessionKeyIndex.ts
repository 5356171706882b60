import { deepestWithin, isWithin } from '../pathWithin';
import type { DjangoProject } from '../project/discoverProjects';
import { analyseIndexedFile, type FileAnalysis } from './fileAnalysis';
import { type ConstantDefinition, KeyResolver } from './keyResolver';
import { loadPythonParser, type PythonParser } from './pythonParser';
import { holdsPyvenvCfg } from './pythonPaths';
import { type ProjectSettingKeys, projectSettingKeys } from './settingKeys';
import type { SessionKeyUsage, UnresolvedSessionKey } from './sessionKeyUsage';

/** A resolved usage together with the constant that named its key, if any. */
export interface ResolvedUsage extends SessionKeyUsage {
  definition?: ConstantDefinition;
}

interface FileResult {
  usages: ResolvedUsage[];
  unresolved: UnresolvedSessionKey[];
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

  private constructor(readonly python: PythonParser) {}

  /** Loads the Python parser (once per process) and returns an empty index. */
  static async create(): Promise<SessionKeyIndex> {
    return new SessionKeyIndex(await loadPythonParser());
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
   * (Re-)analyses one file from its current text. Files a full scan skips are ignored, by the
   * same rule: under a skipped directory or a virtualenv, which is told by its `pyvenv.cfg` on disk.
   */
  updateFile(file: string, text: string): void {
    const analysis = analyseIndexedFile(this.python, this.roots, file, text, holdsPyvenvCfg);
    if (analysis) {
      this.setAnalysis(analysis);
    }
  }

  /**
   * `updateFile` for an editor's text as it is typed: text with a syntax error (`x = foo(` on
   * its way to `foo(bar)`) leaves the file's last analysis without one in place, since the
   * parser's recovery can read every write after the error as a read, and warn across the
   * project until the line is finished. Such a file is `heldBack` until its text parses.
   */
  updateEditedFile(file: string, text: string): void {
    const analysis = analyseIndexedFile(this.python, this.roots, file, text, holdsPyvenvCfg);
    if (!analysis) {
      return;
    }
    const previous = this.files.get(file);
    if (analysis.syntaxError && previous && !previous.syntaxError) {
      this.heldBack.add(file);
      return;
    }
    this.setAnalysis(analysis);
  }

  /** Whether the index holds an older analysis of the file than its editor's text (see updateEditedFile): its ranges may be off. */
  isHeldBack(file: string): boolean {
    return this.heldBack.has(file);
  }

  /** Takes a file's analysis made by `analyseIndexedFile` elsewhere (a worker thread), as `updateFile` would. */
  setAnalysis(analysis: FileAnalysis): void {
    const file = analysis.file;
    this.heldBack.delete(file);
    const previous = this.files.get(file);
    this.files.set(file, analysis);
    this.combined = undefined;
    if (!previous) {
      this.forgetFileSet();
    } else if (moduleSignature(previous) !== moduleSignature(analysis)) {
      this.results.clear();
    } else {
      this.results.delete(file);
    }
  }

  /** Forgets a deleted file. */
  removeFile(file: string): void {
    this.heldBack.delete(file);
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

  /** One file's facts, if the index holds the file. */
  analysisOf(file: string): FileAnalysis | undefined {
    return this.files.get(file);
  }

  /** The per-file facts, for the lint rules. */
  analyses(): Iterable<FileAnalysis> {
    return this.files.values();
  }

  /** The resolver over the current files, for rules that resolve keys of their own facts. */
  resolver(): KeyResolver {
    this.keyResolver ??= new KeyResolver(this.files, (file) => this.scopeOf(file), (file) => this.settingsOf(file));
    return this.keyResolver;
  }

  private current(): FileResult {
    if (this.combined) {
      return this.combined;
    }
    const resolver = this.resolver();
    this.sortedFiles ??= [...this.files.keys()].sort();
    const combined: FileResult = { usages: [], unresolved: [] };
    for (const file of this.sortedFiles) {
      let result = this.results.get(file);
      if (!result) {
        result = resolveFile(resolver, this.files.get(file)!);
        this.results.set(file, result);
      }
      combined.usages.push(...result.usages);
      combined.unresolved.push(...result.unresolved);
    }
    this.combined = combined;
    return combined;
  }
}

function resolveFile(resolver: KeyResolver, analysis: FileAnalysis): FileResult {
  const result: FileResult = { usages: [], unresolved: [] };
  for (const access of analysis.session?.accesses ?? []) {
    const resolved = resolver.resolve(analysis, access.key);
    const base = { op: access.op, file: analysis.file, range: access.range, inTest: analysis.inTest };
    if ('key' in resolved) {
      const spelling = access.spelling ? { spelling: access.spelling } : {};
      result.usages.push(resolved.definition ? { key: resolved.key, ...base, ...spelling, definition: resolved.definition } : { key: resolved.key, ...base, ...spelling });
    } else {
      result.unresolved.push({ ...base, reason: resolved.reason });
    }
  }
  return result;
}

/** What other files can see of a module: if it is unchanged, their keys resolve as before. */
function moduleSignature(analysis: FileAnalysis): string {
  const { constants, classes, imports, moduleAliases, starImports } = analysis.module;
  return JSON.stringify([[...constants], [...classes].map(([name, cls]) => [name, cls.bases, [...cls.constants]]), [...imports], [...moduleAliases], starImports]);
}
