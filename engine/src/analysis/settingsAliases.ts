import type { Node } from 'web-tree-sitter';
import { bindingKind } from './nameBinding';
import { nodesSpelled } from './textAnchors';

/** A name other than `settings` that a file binds to `django.conf.settings`, and where. */
export interface SettingsAlias {
  name: string;
  /** The function or class that imports it; undefined at module level. */
  scope: Node | undefined;
  /** The text offsets it holds in: its scope, or the module up to a rebinding there. */
  start: number;
  end: number;
  /** Per function, lambda or comprehension met on the way up from a use: whether it binds the name itself. */
  rebinds: Map<number, boolean>;
}

const ALIASED_SETTINGS = /\bsettings\s+as\s+[A-Za-z_]/g;
const SCOPES = new Set(['function_definition', 'class_definition']);
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/**
 * The aliases `from django.conf import settings as dj_settings` binds in a parsed file, found
 * from `settings as` in the text. The module is matched as spelled: Django's settings object is
 * only ever imported from `django.conf`, and a relative import of it would be another module.
 */
export function settingsAliases(root: Node, text: string): SettingsAlias[] {
  const aliases: SettingsAlias[] = [];
  for (const match of text.matchAll(ALIASED_SETTINGS)) {
    for (const node of nodesSpelled(root, text, 'settings', match.index, match.index + 'settings'.length)) {
      const alias = importedAlias(node);
      if (alias) {
        const scope = enclosingScope(alias);
        const end = scope?.endIndex ?? moduleRebinding(root, text, alias.text, alias.endIndex) ?? text.length;
        aliases.push({ name: alias.text, scope, start: scope?.startIndex ?? 0, end, rebinds: new Map() });
      }
    }
  }
  return aliases;
}

/**
 * Whether an identifier is one of the aliases, where it is used. Python's scopes decide: a class
 * body's names do not reach the bodies of its methods, and a function, lambda or comprehension
 * between the use and the import that binds the name itself has its own.
 */
export function isSettingsAlias(node: Node, aliases: readonly SettingsAlias[], text: string): boolean {
  return aliases.some((alias) => alias.name === node.text && alias.start <= node.startIndex && node.endIndex <= alias.end && reaches(alias, node, text));
}

function reaches(alias: SettingsAlias, use: Node, text: string): boolean {
  let inside = use;
  for (let scope = use.parent; scope && scope.id !== alias.scope?.id; inside = scope, scope = scope.parent) {
    if (scope.type === 'function_definition') {
      // Defaults and decorators are evaluated where the function is defined; only its body is its own.
      if (scope.childForFieldName('body')?.id !== inside.id) {
        continue;
      }
      if (alias.scope?.type === 'class_definition' || rebinds(alias, scope, text)) {
        return false;
      }
    } else if ((scope.type === 'lambda' || COMPREHENSIONS.has(scope.type)) && rebinds(alias, scope, text)) {
      return false;
    }
  }
  return true;
}

/** Whether a function, lambda or comprehension binds the alias's name itself (memoized on the alias). */
function rebinds(alias: SettingsAlias, scope: Node, text: string): boolean {
  let known = alias.rebinds.get(scope.id);
  if (known === undefined) {
    const root = rootOf(scope);
    known = nodesSpelled(root, text, alias.name, scope.startIndex, scope.endIndex).some((identifier) => bindsIn(identifier, scope));
    alias.rebinds.set(scope.id, known);
  }
  return known;
}

/** Whether an identifier is a name `scope` binds, and not one a scope nested in it binds. */
function bindsIn(identifier: Node, scope: Node): boolean {
  const kind = bindingKind(identifier, identifier.parent!);
  if (kind === 'use' || kind === 'other') {
    return false;
  }
  // A comprehension's target or a lambda's parameter: bound in that comprehension or lambda.
  if (kind !== 'binding') {
    return kind.id === scope.id;
  }
  for (let up = identifier.parent; up; up = up.parent) {
    if (up.id === scope.id) {
      return true;
    }
    if (up.type === 'function_definition' || up.type === 'class_definition' || up.type === 'lambda' || COMPREHENSIONS.has(up.type)) {
      // A parameter belongs to the function it opens, not the one around it.
      return false;
    }
  }
  return false;
}

function rootOf(node: Node): Node {
  let root = node;
  while (root.parent) {
    root = root.parent;
  }
  return root;
}

/** The alias identifier of `from django.conf import settings as <alias>`, given the `settings` there. */
function importedAlias(settings: Node): Node | undefined {
  const dotted = settings.parent;
  const aliased = dotted?.parent;
  const statement = aliased?.parent;
  if (dotted?.type !== 'dotted_name' || dotted.namedChildCount !== 1 || aliased?.type !== 'aliased_import' || aliased.childForFieldName('name')?.id !== dotted.id) {
    return undefined;
  }
  if (statement?.type !== 'import_from_statement' || statement.childForFieldName('module_name')?.text !== 'django.conf') {
    return undefined;
  }
  return aliased.childForFieldName('alias') ?? undefined;
}

function enclosingScope(node: Node): Node | undefined {
  for (let scope = node.parent; scope; scope = scope.parent) {
    if (SCOPES.has(scope.type)) {
      return scope;
    }
  }
  return undefined;
}

/** Where a module-level statement after `from` binds `name` again, which ends a module-level alias there. */
function moduleRebinding(root: Node, text: string, name: string, from: number): number | undefined {
  for (const use of nodesSpelled(root, text, name, from)) {
    if (bindingKind(use, use.parent!) !== 'binding') {
      continue;
    }
    let statement: Node | null = use;
    while (statement?.parent && statement.parent.id !== root.id) {
      statement = statement.parent;
    }
    if (statement && !SCOPES.has(statement.type) && statement.type !== 'decorated_definition') {
      return statement.startIndex;
    }
  }
  return undefined;
}
