import type { Node } from 'web-tree-sitter';
import { aliasMatches, capturesOf, fileMatches } from './fileQuery';
import { constantsWithoutParsing, emptyModuleFacts, importsWithoutParsing, moduleFacts, type ModuleFacts } from './moduleFacts';
import { isTestPath } from './pythonPaths';
import type { PythonParser } from './pythonParser';
import { Scopes } from './scopes';
import { LocalBindings, sessionFacts, type SessionFacts } from './sessionAccesses';

/** Everything the index keeps about one Python file: plain data, no syntax tree. */
export interface FileAnalysis {
  file: string;
  inTest: boolean;
  module: ModuleFacts;
  /** Absent when the cheap pre-filter showed the file has no session code. */
  session?: SessionFacts;
}

const MENTIONS_SESSION = /session/i;

/**
 * Analyses one file. Files that never mention "session" are not parsed: only their
 * module-level string constants and `from … import` lines are read, in case a view
 * imports a key from them (directly or through a re-export).
 */
export function analyseFile(python: PythonParser, file: string, text: string, root?: string): FileAnalysis {
  const inTest = isTestPath(file, root);
  if (!MENTIONS_SESSION.test(text)) {
    return { file, inTest, module: { ...emptyModuleFacts(), constants: constantsWithoutParsing(text), ...importsWithoutParsing(text, file) } };
  }
  const tree = python.parser.parse(text);
  if (!tree) {
    return { file, inTest, module: emptyModuleFacts() };
  }
  try {
    const matches = fileMatches(python, tree.rootNode);
    const scopes = new Scopes();
    const aliasNodes: Node[] = [];
    const bindings: Map<string, Node>[] = [];
    for (const match of matches) {
      const captures = capturesOf(match);
      if (captures.has('bind.name') || captures.has('bind.loop') || captures.has('bind.param')) {
        bindings.push(captures);
        continue;
      }
      const fn = captures.get('function');
      const cls = captures.get('class');
      const alias = captures.get('alias.name');
      if (fn) {
        scopes.addFunction(fn);
      } else if (cls) {
        scopes.addClass(cls);
      } else if (alias) {
        aliasNodes.push(alias);
      }
    }
    // Scope ids are known only once every function has been seen.
    const locals = new LocalBindings(scopes);
    bindings.forEach((captures) => locals.add(captures));
    const aliasScopes = new Map<string, Set<number>>();
    for (const alias of aliasNodes) {
      aliasScopes.set(alias.text, (aliasScopes.get(alias.text) ?? new Set()).add(scopes.scopeId(alias)));
    }
    const sessionMatches = aliasScopes.size > 0 ? [...matches, ...aliasMatches(python, tree.rootNode, [...aliasScopes.keys()])] : matches;
    return { file, inTest, module: moduleFacts(matches, file), session: sessionFacts(sessionMatches, scopes, locals, aliasScopes) };
  } finally {
    tree.delete();
  }
}
