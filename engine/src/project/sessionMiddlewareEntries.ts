import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { fileSyntax } from '../analysis/fileSyntax';
import { moduleFacts, type ModuleFacts } from '../analysis/moduleFacts';
import { loadPythonParser, type PythonParser } from '../analysis/pythonParser';
import { readTextFile } from '../analysis/textFile';
import { moduleFileOnPath } from './moduleFile';
import { dottedName } from './sessionEngineSubclass';
import { isSessionMiddleware } from './sessionSettingDefaults';

/** How many of the project's own classes may stand between a MIDDLEWARE entry and the session middleware it subclasses. */
const MAX_DEPTH = 4;

/** A base class: a dotted path, or a class of a file the project holds (a relative import, or one defined beside it). */
type BaseClass = { dotted: string } | { file: string; name: string };

/**
 * The entries of `middleware` that give requests a session: those `isSessionMiddleware` names,
 * and classes of the project's own that subclass one, directly or through others of its own,
 * whatever their name (`core.sessions.PerDomain`), as Django's admin check (E410) takes them.
 */
export async function sessionMiddlewareEntries(middleware: readonly string[], projectRoot: string): Promise<Set<string>> {
  const python = middleware.some((name) => !isSessionMiddleware(name) && projectClass({ dotted: name }, projectRoot)) ? await loadPythonParser() : undefined;
  return new Set(middleware.filter((name) => (python ? givesSession(python, name, projectRoot) : isSessionMiddleware(name))));
}

/** Whether the MIDDLEWARE entry `name` gives requests a session, as sessionMiddlewareEntries tells, with a parser at hand. */
export function givesSession(python: PythonParser, name: string, projectRoot: string): boolean {
  return isSessionMiddleware(name) || (projectClass({ dotted: name }, projectRoot) !== undefined && subclassesSession(python, { dotted: name }, projectRoot, MAX_DEPTH));
}

/** The file of the project that defines `base`, and the class's name there; undefined outside the project. */
function projectClass(base: BaseClass, projectRoot: string): { file: string; name: string } | undefined {
  if ('file' in base) {
    return base;
  }
  const at = base.dotted.lastIndexOf('.');
  const file = at > 0 ? moduleFileOnPath([projectRoot], undefined, base.dotted.slice(0, at)) : undefined;
  return file ? { file, name: base.dotted.slice(at + 1) } : undefined;
}

function subclassesSession(python: PythonParser, base: BaseClass, projectRoot: string, depth: number): boolean {
  if ('dotted' in base && isSessionMiddleware(base.dotted)) {
    return true;
  }
  const place = projectClass(base, projectRoot);
  return depth > 0 && place !== undefined && basesOf(python, place.file, place.name).some((next) => subclassesSession(python, next, projectRoot, depth - 1));
}

/** The bases of the module-level class `name` in `file`, through the module's imports. */
function basesOf(python: PythonParser, file: string, name: string): BaseClass[] {
  let text: string;
  try {
    text = readTextFile(file);
  } catch {
    return [];
  }
  const tree = python.parser.parse(text);
  if (!tree) {
    return [];
  }
  try {
    const syntax = fileSyntax(tree.rootNode, text);
    const cls = syntax.classes.find((c) => c.name.text === name && c.node.parent?.id === tree.rootNode.id);
    const facts = moduleFacts(syntax, file);
    const bases = (cls?.bases?.namedChildren ?? []).filter((node): node is Node => node !== null && (node.type === 'identifier' || node.type === 'attribute'));
    return bases.map((node) => baseClass(node.text, facts, file));
  } finally {
    tree.delete();
  }
}

function baseClass(text: string, facts: ModuleFacts, file: string): BaseClass {
  const imported = facts.imports.get(text);
  if (imported?.module.kind === 'path') {
    const stem = imported.module.path;
    const module = [`${stem}.py`, path.join(stem, '__init__.py')].find((candidate) => fs.existsSync(candidate));
    return module ? { file: module, name: imported.name } : { dotted: text };
  }
  const dotted = dottedName(text, facts);
  return dotted.includes('.') ? { dotted } : { file, name: dotted };
}
