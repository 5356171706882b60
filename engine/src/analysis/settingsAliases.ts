import type { Node } from 'web-tree-sitter';
import { nodesSpelled } from './textAnchors';

/** A name other than `settings` that a file binds to `django.conf.settings`, and where. */
export interface SettingsAlias {
  name: string;
  /** The text offsets the import binds the name in: its function or class, or the module up to a rebinding there. */
  start: number;
  end: number;
  /** Spans inside those where the name means something else: the bodies of functions that bind it themselves, and of a class's methods. */
  holes: Array<[start: number, end: number]>;
}

const ALIASED_SETTINGS = /\bsettings\s+as\s+[A-Za-z_]/g;
const SCOPES = new Set(['function_definition', 'class_definition']);

/**
 * The aliases `from django.conf import settings as dj_settings` binds in a parsed file, found
 * from `settings as` in the text. The module is matched as spelled: Django's settings object is
 * only ever imported from `django.conf`, and a relative import of it would be another module.
 * Python's scopes decide where an alias holds: a class body's names do not reach its methods,
 * and a function that binds the name (a parameter, an assignment, a loop) has its own.
 */
export function settingsAliases(root: Node, text: string): SettingsAlias[] {
  const aliases: SettingsAlias[] = [];
  for (const match of text.matchAll(ALIASED_SETTINGS)) {
    for (const node of nodesSpelled(root, text, 'settings', match.index, match.index + 'settings'.length)) {
      const alias = importedAlias(node);
      if (!alias) {
        continue;
      }
      const scope = enclosingScope(alias);
      const start = scope?.startIndex ?? 0;
      const end = scope?.endIndex ?? moduleRebinding(root, text, alias.text, alias.endIndex) ?? text.length;
      const holes = nodesSpelled(root, text, 'def', start, end).flatMap((keyword): Array<[number, number]> => {
        const fn = keyword.type === 'def' ? keyword.parent : null;
        if (fn?.type !== 'function_definition' || fn.id === scope?.id) {
          return [];
        }
        // Only the body: defaults and decorators are evaluated where the function is defined.
        const body = fn.childForFieldName('body');
        return body && (scope?.type === 'class_definition' || bindsName(root, text, fn, alias.text)) ? [[body.startIndex, body.endIndex]] : [];
      });
      aliases.push({ name: alias.text, start, end, holes });
    }
  }
  return aliases;
}

/** Whether an identifier is one of the aliases, where it is used. */
export function isSettingsAlias(node: Node, aliases: readonly SettingsAlias[]): boolean {
  const at = node.startIndex;
  return aliases.some((alias) => alias.name === node.text && alias.start <= at && node.endIndex <= alias.end && !alias.holes.some(([start, end]) => start <= at && at < end));
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
    const statement = use.parent?.parent;
    if (isBindingTarget(use) && statement?.type === 'expression_statement' && statement.parent?.id === root.id) {
      return statement.startIndex;
    }
  }
  return undefined;
}

/** Whether a function binds `name` itself: as a parameter, or by assigning it or looping over it in its body. */
function bindsName(root: Node, text: string, fn: Node, name: string): boolean {
  return nodesSpelled(root, text, name, fn.startIndex, fn.endIndex).some((use) => (isBindingTarget(use) || isParameterName(use)) && innermostFunction(use)?.id === fn.id);
}

/** Whether an identifier is the name a parameter binds (`s`, `s=1`, `s: T`, `*s`, `**s`), not its default or annotation. */
function isParameterName(identifier: Node): boolean {
  const parent = identifier.parent;
  switch (parent?.type) {
    case 'parameters':
    case 'list_splat_pattern':
    case 'dictionary_splat_pattern':
      return true;
    case 'default_parameter':
    case 'typed_default_parameter':
      return parent.childForFieldName('name')?.id === identifier.id;
    case 'typed_parameter':
      return parent.firstNamedChild?.id === identifier.id;
    default:
      return false;
  }
}

/** Whether an identifier is what an assignment or a for loop binds. */
function isBindingTarget(identifier: Node): boolean {
  const parent = identifier.parent;
  return (parent?.type === 'assignment' || parent?.type === 'augmented_assignment' || parent?.type === 'for_statement') && parent.childForFieldName('left')?.id === identifier.id;
}

function innermostFunction(node: Node): Node | undefined {
  for (let scope = node.parent; scope; scope = scope.parent) {
    if (scope.type === 'function_definition') {
      return scope;
    }
  }
  return undefined;
}
