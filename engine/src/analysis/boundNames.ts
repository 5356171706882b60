import type { Node } from 'web-tree-sitter';
import { moduleRefFor, type ModuleRef } from './moduleRef';
import { bindingKind } from './nameBinding';
import { nodeRange, type Position, type Range } from './range';
import type { Scopes } from './scopes';

/**
 * A module-level import statement: the names it binds (local name, then the name imported), and
 * for `from M import …` the module and where one more name joins its list. Only a statement
 * directly in the module is sure to run (not one under `if TYPE_CHECKING:` or in a `try`).
 */
export interface ModuleImport {
  names: [local: string, imported: string][];
  from?: ModuleRef;
  /** Set for a statement directly in the module, which always runs. */
  top?: true;
  /** Set for a `from M import a, b` directly in the module: the end of its last name. */
  joinAt?: Position;
}

/**
 * The names a function binds for itself: every one it assigns, takes as a parameter or imports,
 * anywhere in it, is local in all of it and hides a module-level name of that spelling (before
 * its binding it is unbound, not the module's). Its `from M import NAME` statements, with where
 * each ends: the name is usable after it.
 */
export interface FunctionNames {
  range: Range;
  bound: string[];
  imports: { local: string; module: ModuleRef; name: string; end: Position }[];
}

/** A file's module-level imports (see ModuleImport), in source order; `__future__` imports are no place to join a name. */
export function moduleImports(imports: readonly Node[], file: string, scopes: Scopes): ModuleImport[] {
  return imports.filter((statement) => statement.type !== 'future_import_statement' && !scopes.functionOf(statement) && !scopes.classOf(statement)).map((statement) => {
    const read = importedNames(statement, file);
    const last = read.items[read.items.length - 1];
    const top = statement.parent?.type === 'module' ? (true as const) : undefined;
    return { names: read.names, ...(read.module ? { from: read.module } : {}), ...(top ? { top } : {}), ...(top && read.module && last ? { joinAt: nodeRange(last).end } : {}) };
  });
}

/** What `fn` binds for itself (see FunctionNames): not what functions, lambdas and comprehensions inside it bind for themselves. */
export function functionNames(fn: Node, file: string, scopes: Scopes): FunctionNames {
  const bound = new Set<string>();
  const declared = new Set<string>();
  for (const identifier of fn.descendantsOfType('identifier')) {
    const parent = identifier?.parent;
    if (!identifier || !parent) {
      continue;
    }
    const definition = parent.type === 'function_definition' || parent.type === 'class_definition';
    if (definition && parent.childForFieldName('name')?.id === identifier.id) {
      // A nested `def inner` binds `inner` in the function around it.
      if (parent.id !== fn.id && parent.parent && scopes.functionOf(parent.parent) === fn) {
        bound.add(identifier.text);
      }
    } else if (scopes.functionOf(identifier) !== fn) {
      continue;
    } else if (parent.type === 'global_statement' || parent.type === 'nonlocal_statement') {
      declared.add(identifier.text);
    } else if (bindingKind(identifier, parent) === 'binding') {
      bound.add(identifier.text);
    }
  }
  const imports: FunctionNames['imports'] = [];
  for (const statement of fn.descendantsOfType(['import_statement', 'import_from_statement'])) {
    if (!statement || scopes.functionOf(statement) !== fn) {
      continue;
    }
    const read = importedNames(statement, file);
    for (const [local, name] of read.names) {
      bound.add(local);
      if (read.module) {
        imports.push({ local, module: read.module, name, end: nodeRange(statement).end });
      }
    }
  }
  return { range: nodeRange(fn), bound: [...bound].filter((name) => !declared.has(name)), imports };
}

/** The names an import statement binds, local first; `import a.b` binds `a`. For `from M import …`, M and the items named. */
function importedNames(statement: Node, file: string): { names: [string, string][]; module?: ModuleRef; items: Node[] } {
  const moduleNode = statement.type === 'import_from_statement' ? statement.childForFieldName('module_name') : null;
  const items = statement.namedChildren.filter((child): child is Node => child !== null && child.id !== moduleNode?.id && (child.type === 'dotted_name' || child.type === 'aliased_import'));
  const names = items.flatMap((item): [string, string][] => {
    const target = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
    const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : undefined;
    if (!target) {
      return [];
    }
    return [[alias ?? (moduleNode ? target : target.split('.')[0]!), target]];
  });
  return moduleNode ? { names, module: moduleRefFor(file, moduleNode.text), items } : { names, items };
}
