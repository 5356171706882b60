import { fileSyntax } from './fileSyntax';
import { LocalBindings } from './localBindings';
import { constantsWithoutParsing, emptyModuleFacts, importsWithoutParsing, moduleFacts, type ModuleFacts } from './moduleFacts';
import { isTestPath } from './pythonPaths';
import type { PythonParser } from './pythonParser';
import { aliasIdentifiers, aliasName, type Captures, receiverMatches, sessionAttributes } from './receiverMatches';
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
    const rootNode = tree.rootNode;
    const syntax = fileSyntax(rootNode, text);
    const scopes = new Scopes();
    syntax.functions.forEach((fn) => scopes.addFunction(fn));
    syntax.classes.forEach((cls) => scopes.addClass(cls.node));
    const receivers = sessionAttributes(rootNode, text);
    const aliasScopes = new Map<string, Set<number>>();
    for (const receiver of receivers) {
      const alias = aliasName(receiver);
      if (alias) {
        aliasScopes.set(alias.text, (aliasScopes.get(alias.text) ?? new Set()).add(scopes.scopeId(alias)));
      }
    }
    receivers.push(...aliasIdentifiers(rootNode, text, aliasScopes.keys()));
    const matches: Captures[] = receivers.flatMap(receiverMatches);
    return { file, inTest, module: moduleFacts(syntax, file), session: sessionFacts(matches, scopes, new LocalBindings(scopes, rootNode, text), aliasScopes) };
  } finally {
    tree.delete();
  }
}
