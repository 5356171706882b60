import * as path from 'node:path';
import type { Node, Tree } from 'web-tree-sitter';
import { leadingImportsEnd } from './leadingImports';
import { fileSyntax, type FileSyntax } from './fileSyntax';
import { functionNames, moduleImports, type FunctionNames, type ModuleImport } from './boundNames';
import { LocalBindings } from './localBindings';
import { classesWithoutParsing } from './classLines';
import { constantsWithoutParsing } from './constantLines';
import { emptyModuleFacts, importsWithoutParsing, moduleFacts, type ModuleFacts } from './moduleFacts';
import { isIndexedDirectory, isIndexedPythonPath, isTestPath } from './pythonPaths';
import { isTemplatePath, templateSessionFacts } from './templateSessionReads';
import type { PythonParser } from './pythonParser';
import { withoutLookalikes } from './lookalikeSessions';
import { type Captures, receiverMatchesIn, sessionAttributes, sessionNameOffset } from './receiverMatches';
import { aliasOrigins, sessionAliasUses } from './sessionAliases';
import { Scopes } from './scopes';
import { dictSessionAccesses, sessionFacts, type SessionAccess, type SessionFacts, type StoredValue } from './sessionAccesses';
import { bareSettingReadsIn, sessionSettingReadsIn, type SessionSettingRead } from './sessionSettingNames';
import { decodedSessionCalls, getattrSessionCalls, sessionStoreCalls } from './sessionStoreCalls';
import { helperSessionAccesses, type SessionHandOn } from './helperSessionAccesses';
import { type HelperCall, helperCallsIn, mayCallHelper, NO_HELPER_NAMES } from './helperCalls';
import { type KeyHelper, keyParameterHelpers } from './keyParameterHelpers';
import { instanceAssignments } from './instanceAssignments';
import { markInstanceAttributes } from './instanceAttributes';
import { markEnclosingFunctions } from './enclosingFunctions';
import { markAsyncCallFixes, markAsyncFixes } from './asyncAccessFix';
import { noqaLines } from './lint/noqa';
import { deepestWithin } from '../pathWithin';
import { holds, nodeRange, type Range } from './range';
import { requestSessionFacts } from './requestSessionFacts';

/** Everything the index keeps about one Python file: plain data, no syntax tree. */
export interface FileAnalysis {
  file: string;
  inTest: boolean;
  module: ModuleFacts;
  /** Absent when the cheap pre-filter showed the file has no session code. */
  session?: SessionFacts;
  /** `settings.SESSION_*` reads, for references to a setting; absent when there are none. */
  settingReads?: SessionSettingRead[];
  /** `SESSION_*` names read bare, as settings modules read their own settings (see bareSettingReadsIn); absent when none. */
  bareSettingReads?: string[];
  /** Where code outside tests first reads a request's session (see requestSessionFacts), for DS211; absent when none. */
  requestSessionUse?: Range;
  /** Set where code outside tests gives a request its session itself (`request.session = …`), as a session middleware does. */
  setsRequestSession?: true;
  /** The lines with a `# noqa: …` list and their codes (see noqaLines); absent when none. */
  noqa?: [number, string[]][];
  /** Set when the parser had to recover from a syntax error: some accesses may be misread (a write as a read). */
  syntaxError?: true;
  /** Accesses through a helper's `session` parameter or `scope["session"]`, which are not usages (see helperSessionAccesses); absent when none. */
  helperAccesses?: SessionAccess[];
  /** Values stored through those that JSONSerializer cannot encode; absent when none. */
  helperNonJsonValues?: StoredValue[];
  /** Calls a helper makes with its `session` parameter (see helperSessionAccesses); absent when none. */
  sessionHandOns?: SessionHandOn[];
  /** Accesses keyed by a parameter of their function, which its calls may tell (see keyParameterHelpers); absent when none. */
  keyHelpers?: KeyHelper[];
  /** Calls by the name of a key-parameter helper, here or of the project (see helperCallsIn); absent when none. */
  helperCalls?: HelperCall[];
  /** Where a quick fix adds an import, for files with session code (see leadingImportsEnd); absent for files not parsed. */
  importsEnd?: number;
  /** The module-level imports, for fixes that name a constant (see moduleImports); absent when none. */
  moduleImports?: ModuleImport[];
  /** What each function around a session access or helper call binds for itself (see functionNames); absent when none. */
  functionNames?: FunctionNames[];
}

const MENTIONS_SESSION = /session/i;

/**
 * Whether `analyseFile` parses this text for its session code: files that mention "session"
 * are. Of the others, only the few whose constants or classes the line readers decline are
 * parsed, on the spot (see constantsWithoutParsing and classesWithoutParsing).
 */
export function isParsed(text: string): boolean {
  return MENTIONS_SESSION.test(text);
}

/**
 * Analyses one file. Files that never mention "session" are not parsed when their lines tell
 * their module-level string constants and their classes (see constantsWithoutParsing and
 * classesWithoutParsing): only those and the `from … import` lines are read, in case a view
 * imports a key, or a class holding keys, from them (directly or through a re-export). The
 * facts are the same as parsing would give. `helperNames` are the project's module-level
 * key-parameter helpers (see keyParameterHelpers): a file that may call one is parsed too, for
 * its calls' keys.
 */
export function analyseFile(python: PythonParser, file: string, text: string, root?: string, helperNames = NO_HELPER_NAMES, parsed?: Tree): FileAnalysis {
  const noqa = noqaLines(text);
  const analysis = analyseCode(python, file, text, root, helperNames, parsed);
  return noqa ? { ...analysis, noqa } : analysis;
}

/**
 * Parses an editor's text, giving up after `budgetMs`: some unfinished lines (`x = foo['` near
 * the top of a long file) cost the parser's error recovery seconds, which typing would pay at
 * every keystroke. 'slow' when it gave up.
 */
export function parseWithin(python: PythonParser, text: string, budgetMs: number): Tree | 'slow' {
  const deadline = performance.now() + budgetMs;
  const tree = python.parser.parse(text, null, { progressCallback: () => performance.now() > deadline });
  if (!tree) {
    // A parser cut off resumes that parse on its next call, whatever text it is given, unless reset.
    python.parser.reset();
    return 'slow';
  }
  return tree;
}

/** `parsed`, when given, is the text's tree, owned from here on. */
function analyseCode(python: PythonParser, file: string, text: string, root: string | undefined, helperNames: ReadonlySet<string>, parsed: Tree | undefined): FileAnalysis {
  const inTest = isTestPath(file, root);
  const constants = isParsed(text) || mayCallHelper(text, helperNames) ? undefined : constantsWithoutParsing(text);
  const classes = constants && classesWithoutParsing(text);
  if (constants && classes) {
    parsed?.delete();
    return { file, inTest, module: { ...emptyModuleFacts(), ...constants, classes, instanceAssignments: instanceAssignments(text), ...importsWithoutParsing(text, file) } };
  }
  const tree = parsed ?? python.parser.parse(text);
  if (!tree) {
    return { file, inTest, module: emptyModuleFacts() };
  }
  try {
    const rootNode = tree.rootNode;
    const syntax = fileSyntax(rootNode, text);
    const scopes = new Scopes();
    syntax.functions.forEach((fn) => scopes.addFunction(fn));
    syntax.classes.forEach((cls) => scopes.addClass(cls.node));
    const found = sessionAttributes(rootNode, text);
    // Each receiver's parent is read once here, for all its uses: `parent` is a costly call.
    const { receivers, parents } = withoutLookalikes(text, found, found.map((receiver) => receiver.parent), scopes);
    const getattrCalls = getattrSessionCalls(rootNode, text);
    for (const call of [...sessionStoreCalls(rootNode, text), ...getattrCalls, ...decodedSessionCalls(rootNode, text)]) {
      receivers.push(call);
      parents.push(call.parent);
    }
    // An alias named `session` is spelled like the attributes' own names, which as the names of
    // attributes never match anything (see receiverMatches): they need not be looked up again.
    const aliases = sessionAliasUses(rootNode, text, receivers, parents, scopes, new Set(found.map(sessionNameOffset)));
    receivers.push(...aliases.uses);
    parents.push(...aliases.parents);
    const matches: Captures[] = receivers.flatMap((receiver, i) => receiverMatchesIn(receiver, parents[i] ?? null));
    const locals = new LocalBindings(scopes, rootNode, text);
    const session = sessionFacts(matches, scopes, locals, { root: rootNode, text, aliasOrigins: aliasOrigins(aliases) });
    session.accesses.push(...dictSessionAccesses(receivers, parents, locals, scopes));
    markInstanceAttributes(session.accesses, rootNode, text, scopes);
    markEnclosingFunctions(session.accesses, syntax.functions, text);
    markAsyncFixes(session.accesses, rootNode);
    const analysis: FileAnalysis = { file, inTest, module: { ...moduleFacts(syntax, file), instanceAssignments: instanceAssignments(text) }, session };
    if (!inTest) {
      Object.assign(analysis, requestSessionFacts(found, getattrCalls, rootNode, text));
    }
    // A file that never says "session" cannot say `settings.SESSION_X` either, so the pre-filter loses none.
    const settingReads = sessionSettingReadsIn(rootNode, text);
    if (settingReads.length > 0) {
      analysis.settingReads = settingReads;
    }
    const bareReads = bareSettingReadsIn(rootNode, text);
    if (bareReads.length > 0) {
      analysis.bareSettingReads = bareReads;
    }
    if (rootNode.hasError) {
      analysis.syntaxError = true;
    }
    analysis.importsEnd = leadingImportsEnd(rootNode);
    const helpers = helperSessionAccesses(rootNode, text, scopes, locals);
    markEnclosingFunctions(helpers.accesses, syntax.functions, text);
    markAsyncFixes(helpers.accesses, rootNode);
    const blockingCalls = [...(session.blockingCalls ?? []), ...helpers.blockingCalls];
    if (blockingCalls.length > 0) {
      markEnclosingFunctions(blockingCalls, syntax.functions, text);
      markAsyncCallFixes(blockingCalls, rootNode);
      session.blockingCalls = blockingCalls;
    }
    if (helpers.accesses.length > 0) {
      analysis.helperAccesses = helpers.accesses;
    }
    if (helpers.nonJsonValues.length > 0) {
      analysis.helperNonJsonValues = helpers.nonJsonValues;
    }
    if (helpers.handOns.length > 0) {
      analysis.sessionHandOns = helpers.handOns;
    }
    readHelpers(analysis, { root: rootNode, text }, helperNames, scopes, locals);
    readBoundNames(analysis, syntax, scopes);
    return analysis;
  } finally {
    tree.delete();
  }
}

/**
 * Adds the names a fix that writes a constant's name must not clash with, where the file has keys
 * to fix: only a literal key outside tests is ever replaced by a constant (DS101, DS106), and
 * reading what a function binds walks all its names, so functions with none are left out.
 */
function readBoundNames(analysis: FileAnalysis, syntax: FileSyntax, scopes: Scopes): void {
  if (analysis.inTest) {
    return;
  }
  const literals = (analysis.session?.accesses ?? []).filter((access) => access.key.kind === 'literal');
  const places = [...literals, ...(analysis.helperCalls ?? [])].map((access) => access.range.start);
  if (places.length === 0) {
    return;
  }
  const imports = moduleImports(syntax.imports, analysis.file, scopes);
  if (imports.length > 0) {
    analysis.moduleImports = imports;
  }
  const around = syntax.functions.filter((fn) => places.some((at) => holds(nodeRange(fn), at)));
  if (around.length > 0) {
    analysis.functionNames = around.map((fn) => functionNames(fn, analysis.file, scopes));
  }
}

/** Adds the file's key-parameter helpers, and its calls of those and of the project's `helperNames`. */
function readHelpers(analysis: FileAnalysis, source: { root: Node; text: string }, helperNames: ReadonlySet<string>, scopes: Scopes, locals: LocalBindings): void {
  const keyHelpers = keyParameterHelpers(source.root, scopes, analysis.session?.accesses ?? [], analysis.helperAccesses ?? []);
  if (keyHelpers.length > 0) {
    analysis.keyHelpers = keyHelpers;
  }
  const functions = new Set(helperNames);
  const methods = new Set<string>();
  keyHelpers.forEach((helper) => (helper.className === undefined ? functions : methods).add(helper.name));
  const calls = functions.size + methods.size > 0 ? helperCallsIn(source.root, source.text, functions, methods, scopes, locals) : [];
  if (calls.length > 0) {
    analysis.helperCalls = calls;
  }
}

/**
 * Analyses a file as the index files it, a Python module or a template: test code is told by
 * its path below the deepest of `roots` that holds it. Undefined for files under skipped directories;
 * `hasPyvenvCfg` tells virtualenvs under other names, as isIndexedPythonPath takes it.
 */
export function analyseIndexedFile(
  python: PythonParser,
  roots: readonly string[],
  file: string,
  text: string,
  hasPyvenvCfg?: (dir: string) => boolean,
  helperNames?: ReadonlySet<string>,
  parsed?: Tree,
): FileAnalysis | undefined {
  const root = deepestWithin(roots, file);
  if (!isTemplatePath(file) && isIndexedPythonPath(file, root, hasPyvenvCfg)) {
    return analyseFile(python, file, text, root, helperNames, parsed);
  }
  parsed?.delete();
  if (isTemplatePath(file)) {
    return isIndexedDirectory(path.dirname(file), root, hasPyvenvCfg) ? templateAnalysis(file, text, root) : undefined;
  }
  return undefined;
}

/** A template's analysis: the session keys it reads (see templateSessionFacts); it defines no constants. */
function templateAnalysis(file: string, text: string, root: string | undefined): FileAnalysis {
  const analysis: FileAnalysis = { file, inTest: isTestPath(file, root), module: emptyModuleFacts() };
  const session = templateSessionFacts(text, file);
  const noqa = noqaLines(text, true);
  return { ...analysis, ...(session ? { session } : {}), ...(noqa ? { noqa } : {}) };
}
