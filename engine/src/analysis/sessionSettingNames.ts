import type { Node } from 'web-tree-sitter';
import type { PythonParser } from './pythonParser';
import { nodeRange, type Position, type Range } from './range';
import type { SessionKeyIndex } from './sessionKeyIndex';
import { isSettingsAlias, settingsAliases, type SettingsAlias } from './settingsAliases';
import { nodesSpelled } from './textAnchors';

/** A `settings.SESSION_*` read in code: `django.conf.settings`, imported (under its name or an alias) or reached as `conf.settings`. */
export interface SessionSettingRead {
  name: string;
  /** The setting name after the dot. */
  range: Range;
}

/** A `SESSION_*` name under the cursor. */
export interface SessionSettingAt {
  name: string;
  range: Range;
  /** `settings` for `settings.SESSION_X` (or an alias's); `name` for a bare name, as a settings module spells its own settings. */
  via: 'settings' | 'name';
}

/** A bare use of a setting's name in a settings module. */
export interface SessionSettingNameUse {
  range: Range;
  /** Whether this use assigns the setting at module level (`NAME = …`, `NAME: T = …`, `NAME += …`). */
  assignment: boolean;
}

const SETTING_NAME = /^SESSION_[A-Z0-9_]+$/;
const SETTING_READ = /\.\s*(SESSION_[A-Z0-9_]+)\b/g;
/** `getattr(settings, 'SESSION_X', default)` and `hasattr(settings, "SESSION_X")`: the name's quote, then the name. */
const SETTING_LOOKUP = /\b(?:getattr|hasattr)\s*\(\s*[\w.]+\s*,\s*(['"])(SESSION_[A-Z0-9_]+)\1/g;
const ASSIGNMENTS = new Set(['assignment', 'augmented_assignment']);
const SCOPES = new Set(['function_definition', 'class_definition', 'lambda']);

/** Whether a name is spelled like a `SESSION_*` setting (Django's or a third party's). */
export function isSessionSettingName(name: string): boolean {
  return SETTING_NAME.test(name);
}

/**
 * The `SESSION_*` setting under the cursor: the attribute of `settings.SESSION_X` anywhere
 * (`settings` also an alias of it, see settingsAliases),
 * and with `bareNames` (in a settings module) a bare `SESSION_X` too.
 */
export function sessionSettingAt(python: PythonParser, text: string, position: Position, bareNames: boolean): SessionSettingAt | undefined {
  const lineText = text.split('\n')[position.line] ?? '';
  const before = /\w*$/.exec(lineText.slice(0, position.character))![0];
  const after = /^\w*/.exec(lineText.slice(position.character))![0];
  const name = before + after;
  if (!isSessionSettingName(name)) {
    return undefined;
  }
  const start = position.character - before.length;
  const tree = python.parser.parse(text);
  if (!tree) {
    return undefined;
  }
  try {
    const node = tree.rootNode.descendantForPosition({ row: position.line, column: start });
    if (node?.type !== 'identifier' || node.text !== name) {
      return undefined;
    }
    const range = nodeRange(node);
    if (isAttributeName(node)) {
      return isSettingsObject(node.parent!.childForFieldName('object'), settingsAliases(tree.rootNode, text), text) ? { name, range, via: 'settings' } : undefined;
    }
    return bareNames && !isKeywordName(node) ? { name, range, via: 'name' } : undefined;
  } finally {
    tree.delete();
  }
}

/** Every bare use of `name` in a settings module's text, in source order; assignments in functions or classes are not the setting's. */
export function sessionSettingNameUses(python: PythonParser, text: string, name: string): SessionSettingNameUse[] {
  const tree = python.parser.parse(text);
  if (!tree) {
    return [];
  }
  try {
    return nodesSpelled(tree.rootNode, text, name)
      .filter((node) => node.type === 'identifier' && !isAttributeName(node) && !isKeywordName(node))
      .map((node) => ({ range: nodeRange(node), assignment: isModuleAssignmentTarget(node) }));
  } finally {
    tree.delete();
  }
}

/**
 * The `settings.SESSION_*` reads in a parsed file, found from `.SESSION_` in the text, and the
 * `getattr(settings, 'SESSION_*', …)` lookups (a middleware's own timeout setting, edX's and
 * CommCare's); `settings` may be an alias of it.
 */
export function sessionSettingReadsIn(root: Node, text: string): SessionSettingRead[] {
  const reads: SessionSettingRead[] = [];
  let aliases: SettingsAlias[] | undefined;
  for (const match of text.matchAll(SETTING_READ)) {
    const name = match[1]!;
    const at = match.index + match[0].length - name.length;
    for (const node of nodesSpelled(root, text, name, at, at + name.length)) {
      if (node.type === 'identifier' && isAttributeName(node) && isSettingsObject(node.parent!.childForFieldName('object'), (aliases ??= settingsAliases(root, text)), text)) {
        reads.push({ name, range: nodeRange(node) });
      }
    }
  }
  for (const match of text.matchAll(SETTING_LOOKUP)) {
    const name = match[2]!;
    // Before the closing quote the match ends with.
    const at = match.index + match[0].length - name.length - 1;
    for (const node of nodesSpelled(root, text, name, at, at + name.length)) {
      const call = node.type === 'string_content' ? node.parent?.parent?.parent : undefined;
      if (call?.type === 'call' && isSettingsObject(call.childForFieldName('arguments')?.firstNamedChild ?? null, (aliases ??= settingsAliases(root, text)), text)) {
        reads.push({ name, range: nodeRange(node) });
      }
    }
  }
  return reads;
}

const BARE_SETTING = /(?<![.\w])SESSION_[A-Z0-9_]+\b/g;

/**
 * The `SESSION_*` names a file reads bare, as a settings module reads its own settings
 * (GeoNode's `if SESSION_EXPIRED_CONTROL_ENABLED: MIDDLEWARE += …`): not where it assigns,
 * imports or passes them by keyword.
 */
export function bareSettingReadsIn(root: Node, text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(BARE_SETTING)) {
    const name = match[0];
    if (names.has(name)) {
      continue;
    }
    for (const node of nodesSpelled(root, text, name, match.index, match.index + name.length)) {
      if (node.type === 'identifier' && !isAttributeName(node) && !isKeywordName(node) && !isBinding(node)) {
        names.add(name);
      }
    }
  }
  return [...names];
}

const BINDERS = new Set(['dotted_name', 'aliased_import', 'parameters', 'default_parameter', 'typed_parameter', 'function_definition', 'class_definition', 'pattern_list', 'tuple_pattern']);

/** An assignment's target (`+=` reads it too), an imported name, or a definition's or parameter's name. */
function isBinding(node: Node): boolean {
  const parent = node.parent;
  const type = parent?.type;
  if (type === 'assignment') {
    return parent!.childForFieldName('left')?.id === node.id;
  }
  return type !== undefined && BINDERS.has(type);
}

/** Where the workspace reads `settings.<name>`, as the index holds it. */
export function sessionSettingReads(index: SessionKeyIndex, name: string): { file: string; range: Range }[] {
  const found: { file: string; range: Range }[] = [];
  for (const analysis of index.analyses()) {
    for (const read of analysis.settingReads ?? []) {
      if (read.name === name) {
        found.push({ file: analysis.file, range: read.range });
      }
    }
  }
  // Each file's reads are in text order already; the sort is stable, so ordering files is enough.
  return found.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function isAttributeName(node: Node): boolean {
  return node.parent?.type === 'attribute' && node.parent.childForFieldName('attribute')?.id === node.id;
}

/** `f(SESSION_X=1)` names a parameter, not the setting. */
function isKeywordName(node: Node): boolean {
  return node.parent?.type === 'keyword_argument' && node.parent.childForFieldName('name')?.id === node.id;
}

function isSettingsObject(node: Node | null, aliases: readonly SettingsAlias[], text: string): boolean {
  if (node?.type === 'identifier') {
    return node.text === 'settings' || isSettingsAlias(node, aliases, text);
  }
  return node?.type === 'attribute' && node.childForFieldName('attribute')?.text === 'settings';
}

function isModuleAssignmentTarget(node: Node): boolean {
  const parent = node.parent;
  if (!parent || !ASSIGNMENTS.has(parent.type) || parent.childForFieldName('left')?.id !== node.id) {
    return false;
  }
  for (let scope = parent.parent; scope; scope = scope.parent) {
    if (SCOPES.has(scope.type)) {
      return false;
    }
  }
  return true;
}
