import { fileSyntax } from './fileSyntax';
import { LocalBindings } from './localBindings';
import { constantsWithoutParsing, emptyModuleFacts, importsWithoutParsing, moduleFacts, type ModuleFacts } from './moduleFacts';
import { isIndexedPythonPath, isTestPath } from './pythonPaths';
import type { PythonParser } from './pythonParser';
import { aliasIdentifiers, aliasName, type Captures, receiverMatchesIn, sessionAttributes, sessionNameOffset } from './receiverMatches';
import { Scopes } from './scopes';
import { sessionFacts, type SessionFacts } from './sessionAccesses';

/** Everything the index keeps about one Python file: plain data, no syntax tree. */
export interface FileAnalysis {
  file: string;
  inTest: boolean;
  module: ModuleFacts;
  /** Absent when the cheap pre-filter showed the file has no session code. */
  session?: SessionFacts;
}

const MENTIONS_SESSION = /session/i;

/** Whether `analyseFile` parses this text: only files that mention "session" are. */
export function isParsed(text: string): boolean {
  return MENTIONS_SESSION.test(text);
}

/**
 * Analyses one file. Files that never mention "session" are not parsed: only their
 * module-level string constants and `from … import` lines are read, in case a view
 * imports a key from them (directly or through a re-export).
 */
export function analyseFile(python: PythonParser, file: string, text: string, root?: string): FileAnalysis {
  const inTest = isTestPath(file, root);
  if (!isParsed(text)) {
    return { file, inTest, module: { ...emptyModuleFacts(), constants: constantsWithoutParsing(text), ...importsWithoutParsing(text, file) } };
  }
  const tree = python.parser.parse(text);
  if (!tree) {
    return { file, inTest, module: emptyModuleFacts() };
  }
  try {
    const rootNode = tree.rootNode;
    const syntax = fileSyntax(rootNode, text);
    const scopes = new Scopes();
    syntax.functions.forEach((fn) => scopes.addFunction(fn));
    syntax.classes.forEach((cls) => scopes.addClass(cls.node));
    const receivers = sessionAttributes(rootNode, text);
    // Each receiver's parent is read once here, for both uses: `parent` is a costly call.
    const parents = receivers.map((receiver) => receiver.parent);
    const aliasScopes = new Map<string, Set<number>>();
    receivers.forEach((receiver, i) => {
      const alias = aliasName(receiver, parents[i] ?? null);
      if (alias) {
        aliasScopes.set(alias.text, (aliasScopes.get(alias.text) ?? new Set()).add(scopes.scopeId(alias)));
      }
    });
    // An alias named `session` is spelled like the receivers' own names, which as the names of
    // attributes never match anything (see receiverMatches): they need not be looked up again.
    const aliases = aliasScopes.size > 0 ? aliasIdentifiers(rootNode, text, aliasScopes.keys(), new Set(receivers.map(sessionNameOffset))) : [];
    receivers.push(...aliases);
    parents.push(...aliases.map((alias) => alias.parent));
    const matches: Captures[] = receivers.flatMap((receiver, i) => receiverMatchesIn(receiver, parents[i] ?? null));
    return { file, inTest, module: moduleFacts(syntax, file), session: sessionFacts(matches, scopes, new LocalBindings(scopes, rootNode, text), aliasScopes) };
  } finally {
    tree.delete();
  }
}

/**
 * Analyses a file as the index files it: test code is told by its path below the longest of
 * `roots` (sorted longest first) that holds it. Undefined for files under skipped directories.
 */
export function analyseIndexedFile(python: PythonParser, roots: readonly string[], file: string, text: string): FileAnalysis | undefined {
  const root = roots.find((candidate) => file.startsWith(candidate));
  return isIndexedPythonPath(file, root) ? analyseFile(python, file, text, root) : undefined;
}
