import type { Node } from 'web-tree-sitter';
import { nodesSpelled } from './textAnchors';

/** A name other than `settings` that a file binds to `django.conf.settings`, and where. */
export interface SettingsAlias {
  name: string;
  /** The text offsets the import binds the name in: its function or class, or the whole module. */
  start: number;
  end: number;
}

const ALIASED_SETTINGS = /\bsettings\s+as\s+[A-Za-z_]/g;
const SCOPES = new Set(['function_definition', 'class_definition']);

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
        aliases.push({ name: alias.text, start: scope?.startIndex ?? 0, end: scope?.endIndex ?? text.length });
      }
    }
  }
  return aliases;
}

/** Whether an identifier is one of the aliases, where it is used. */
export function isSettingsAlias(node: Node, aliases: readonly SettingsAlias[]): boolean {
  return aliases.some((alias) => alias.name === node.text && alias.start <= node.startIndex && node.endIndex <= alias.end);
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
