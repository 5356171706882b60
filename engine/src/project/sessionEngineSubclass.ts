import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { PythonParser } from '../analysis/pythonParser';
import { readTextFile } from '../analysis/textFile';
import { moduleFileOnPath } from './moduleFile';
import { BUILTIN_SESSION_ENGINES } from './sessionSettingDefaults';

/** A built-in engine, by its module's last name. */
export type BuiltinEngine = 'db' | 'cache' | 'cached_db' | 'file' | 'signed_cookies';

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
  if (!file) {
    return undefined;
  }
  let text: string;
  try {
    text = readTextFile(file);
  } catch {
    return undefined;
  }
  const tree = python.parser.parse(text);
  if (!tree) {
    return undefined;
  }
  try {
    return subclassIn(tree.rootNode, path.relative(projectRoot, file));
  } finally {
    tree.delete();
  }
}

function subclassIn(module: Node, file: string): EngineSubclass {
  const store = module.namedChildren.find((child) => child?.type === 'class_definition' && child.childForFieldName('name')?.text === 'SessionStore');
  if (!store) {
    return { why: `${file} defines no class SessionStore at module level` };
  }
  const bases = (store.childForFieldName('superclasses')?.namedChildren ?? []).filter((base): base is Node => base !== null && base.type !== 'comment');
  const imports = importedNames(module);
  const resolved = bases.map((base) => resolve(base.text, imports));
  const builtin = resolved.length === 1 && resolved[0]?.endsWith('.SessionStore') ? BUILTIN_SESSION_ENGINES.get(resolved[0].slice(0, -'.SessionStore'.length)) : undefined;
  if (!builtin) {
    return { why: `its SessionStore (${file}) does not subclass exactly one built-in engine's SessionStore` };
  }
  for (const member of store.childForFieldName('body')?.namedChildren ?? []) {
    const definition = member?.type === 'decorated_definition' ? member.childForFieldName('definition') : member;
    const name = definition?.type === 'function_definition' ? definition.childForFieldName('name')?.text : undefined;
    const docstring = member?.type === 'expression_statement' && member.firstNamedChild?.type === 'string';
    if (!member || member.type === 'comment' || member.type === 'pass_statement' || docstring || (name !== undefined && STORAGE_KEEPING.has(name))) {
      continue;
    }
    return { why: `its SessionStore (${file}) also defines ${name ?? member.text.split('\n')[0]}, which may change how sessions are stored` };
  }
  return { engine: builtin, base: resolved[0]! };
}

/** The module-level names imports bind, as dotted paths: `from a.b import C as D` binds D to a.b.C. */
function importedNames(module: Node): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of module.namedChildren) {
    if (statement?.type === 'import_from_statement') {
      const from = statement.childForFieldName('module_name')?.text ?? '';
      for (const item of statement.childrenForFieldName('name')) {
        const name = item?.type === 'aliased_import' ? item.childForFieldName('name')?.text : item?.text;
        const local = item?.type === 'aliased_import' ? item.childForFieldName('alias')?.text : name;
        if (name && local) {
          names.set(local, `${from}.${name}`);
        }
      }
    } else if (statement?.type === 'import_statement') {
      for (const item of statement.namedChildren) {
        if (item?.type === 'aliased_import') {
          const name = item.childForFieldName('name')?.text;
          const alias = item.childForFieldName('alias')?.text;
          if (name && alias) {
            names.set(alias, name);
          }
        } else if (item?.type === 'dotted_name') {
          names.set(item.text.split('.')[0]!, item.text.split('.')[0]!);
        }
      }
    }
  }
  return names;
}

/** A base class's dotted path, through the module's imports. */
function resolve(text: string, imports: Map<string, string>): string {
  const [head, ...rest] = text.split('.');
  const imported = imports.get(head!);
  return imported === undefined ? text : [imported, ...rest].join('.');
}
