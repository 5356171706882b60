import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { PythonParser } from '../analysis/pythonParser';
import { fileSyntax } from '../analysis/fileSyntax';
import { moduleFacts, type ModuleFacts } from '../analysis/moduleFacts';
import { readParsedFile } from '../analysis/parsedFile';
import { moduleFileOnPath } from './moduleFile';
import { BUILTIN_SESSION_ENGINES } from './sessionSettingDefaults';

/** A built-in engine, by its module's last name. */
type BuiltinEngine = 'db' | 'cache' | 'cached_db' | 'file' | 'signed_cookies';

/** Methods a subclass may override and still store sessions as its built-in base does (zulip wraps save and delete). */
const STORAGE_KEEPING = new Set(['save', 'delete', 'create', 'flush', 'cycle_key']);

/** What a project's own session engine module is, read from its source. */
export type EngineSubclass = { engine: BuiltinEngine; base: string } | { why: string };

/**
 * The built-in engine whose storage a project's own SESSION_ENGINE module keeps: its
 * `SessionStore` subclasses one built-in `SessionStore` (zulip's `safe_session_cached_db`
 * subclasses cached_db's) and overrides no more than methods that keep the stored form. The
 * salt stays `django.contrib.sessions.SessionStore`, as Django names it by the class's qualname.
 * Why not, when the module is in the project but is not such a subclass; undefined when it is
 * not in the project.
 */
export function engineSubclass(python: PythonParser, enginePath: string, projectRoot: string): EngineSubclass | undefined {
  const file = moduleFileOnPath([projectRoot], undefined, enginePath);
  return file ? readParsedFile(python, file, (module, text) => subclassIn(module, text, file, path.relative(projectRoot, file))) : undefined;
}

function subclassIn(module: Node, text: string, file: string, relative: string): EngineSubclass {
  const syntax = fileSyntax(module, text);
  const store = syntax.classes.find((cls) => cls.name.text === 'SessionStore' && cls.node.parent?.id === module.id);
  if (!store) {
    return { why: `${relative} defines no class SessionStore at module level` };
  }
  const facts = moduleFacts(syntax, file);
  const bases = (store.bases?.namedChildren ?? []).filter((base): base is Node => base !== null && base.type !== 'comment');
  const resolved = bases.map((base) => dottedName(base.text, facts));
  const builtin = resolved.length === 1 && resolved[0]?.endsWith('.SessionStore') ? BUILTIN_SESSION_ENGINES.get(resolved[0].slice(0, -'.SessionStore'.length)) : undefined;
  if (!builtin) {
    return { why: `its SessionStore (${relative}) does not subclass exactly one built-in engine's SessionStore` };
  }
  for (const member of store.body.namedChildren) {
    const definition = member?.type === 'decorated_definition' ? member.childForFieldName('definition') : member;
    const name = definition?.type === 'function_definition' ? definition.childForFieldName('name')?.text : undefined;
    const docstring = member?.type === 'expression_statement' && member.firstNamedChild?.type === 'string';
    if (!member || member.type === 'comment' || member.type === 'pass_statement' || docstring || (name !== undefined && STORAGE_KEEPING.has(name))) {
      continue;
    }
    return { why: `its SessionStore (${relative}) also defines ${name ?? member.text.split('\n')[0]}, which may change how sessions are stored` };
  }
  return { engine: builtin, base: resolved[0]! };
}

/**
 * A base class's dotted path through the module's imports (see moduleFacts): `from a.b import C
 * as D` makes `D` a.b.C, `import a.b` and `import a.b as m` name the module.
 */
export function dottedName(text: string, facts: ModuleFacts): string {
  const [head, ...rest] = text.split('.');
  const imported = facts.imports.get(head!);
  if (imported?.module.kind === 'dotted') {
    return [`${imported.module.name}.${imported.name}`, ...rest].join('.');
  }
  for (const [alias, target] of facts.moduleAliases) {
    if (target.kind === 'dotted' && (text === alias || text.startsWith(`${alias}.`))) {
      return target.name + text.slice(alias.length);
    }
  }
  return text;
}
