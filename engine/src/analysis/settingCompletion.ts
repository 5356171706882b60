import type { Node } from 'web-tree-sitter';
import { pyRepr } from '../codec/pyRepr';
import type { DjangoProject } from '../project/discoverProjects';
import { SESSION_SETTING_DEFAULTS } from '../project/sessionSettingDefaults';
import { cacheAliasSummary, projectCaches } from './cacheAliasSetting';
import { keyLiteral } from './keyLiteralText';
import { preferredQuote } from './preferredQuote';
import type { PythonParser } from './pythonParser';
import type { Range } from './range';
import { sessionSettingChoices, SESSION_SETTING_DOCS, SESSION_SETTING_TYPE_WORDS, type SessionSettingChoice } from './sessionSettingDocs';
import { settingValueText } from './settingHover';

/** One completion for a settings module, as plain data for an editor to show. */
export interface SettingCompletion {
  label: string;
  /** What replaces `range`. */
  newText: string;
  range: Range;
  /** The type and Django's default, or what the value is. */
  detail: string;
  documentation: string;
  /** The documentation quotes the project's settings, to be shown as text, never read as Markdown. */
  plainText?: true;
  deprecated?: boolean;
}

/**
 * Statements that hold a settings module's assignments: the module and the blocks of `if`,
 * `try`, `with`, loops. A function, class or expression (a list, dict or call across lines)
 * is not where a setting is assigned. A half-typed line parses as an ERROR node, which holds a
 * statement only when no bracket is open and no decorator waits before it (see `atModuleStatement`).
 */
const STATEMENT_CONTAINERS = new Set([
  'module', 'block', 'expression_statement', 'assignment', 'ERROR',
  'if_statement', 'elif_clause', 'else_clause', 'try_statement', 'except_clause', 'finally_clause', 'with_statement', 'for_statement', 'while_statement',
]);

// `NAME = ` then either an open string (`'djan`) or a bare word; the annotation form `NAME: str = ` too.
const VALUE_PREFIX = /^(\s*)(SESSION_[A-Z0-9_]+)\s*(?::[^=]*)?=\s*(?:[rRuU]?(['"])([^'"\\]*)|(\w*))$/;

/**
 * What to offer at the cursor in a settings module: Django's `SESSION_*` names where a
 * statement starts at module level (`SESSION_CO|`), and the choices of a setting's value after
 * `SESSION_ENGINE = '|` (inside the string) or `SESSION_COOKIE_SAMESITE = |` (whole literals);
 * for SESSION_CACHE_ALIAS, the keys of the CACHES of `project`, the project the module belongs to.
 * Empty elsewhere. Works on half-typed lines, which it reads from the text; the parse only
 * tells whether the line is inside a function, a class or a bracketed expression.
 */
export function sessionSettingCompletions(python: PythonParser, text: string, line: number, character: number, project?: DjangoProject): SettingCompletion[] {
  const lineText = (text.split('\n')[line] ?? '').replace(/\r$/, '');
  if (character > lineText.length) {
    return [];
  }
  const before = lineText.slice(0, character);
  const value = VALUE_PREFIX.exec(before);
  const name = value ? undefined : /^(\s*)(\w*)$/.exec(before);
  if (!value && !name) {
    return [];
  }
  const indent = (value ?? name)![1]!.length;
  const tree = python.parser.parse(text);
  if (!tree) {
    return [];
  }
  try {
    return atModuleStatement(tree.rootNode, line, indent) ? completionsAt(tree.rootNode, lineText, line, character, indent, value, name, project) : [];
  } finally {
    tree.delete();
  }
}

/** The completions of a line at module level: a setting's name, or its value after `SESSION_X = `. */
function completionsAt(
  root: Node,
  lineText: string,
  line: number,
  character: number,
  indent: number,
  value: RegExpExecArray | null,
  name: RegExpExecArray | null | undefined,
  project: DjangoProject | undefined,
): SettingCompletion[] {
  if (name) {
    const word = name[2]!;
    // Only a word that may become SESSION_…: other statements (imports, `if`) get no setting names.
    if (word !== '' && !/^s/i.test(word)) {
      return [];
    }
    return nameCompletions({ start: { line, character: indent }, end: { line, character: character + wordAfter(lineText, character, /^\w*/) } });
  }
  const [, , setting, quote, typed, bare] = value!;
  if (quote !== undefined) {
    const closing = lineText.indexOf(quote, character);
    const end = closing !== -1 ? closing : character + wordAfter(lineText, character, /^[\w.\-]*/);
    const range = { start: { line, character: character - typed!.length }, end: { line, character: end } };
    return valueChoices(setting!, project)
      .filter((choice) => choice.text !== undefined)
      .map((choice) => valueCompletion(setting!, choice, choice.text!, range));
  }
  const range = { start: { line, character: character - bare!.length }, end: { line, character: character + wordAfter(lineText, character, /^\w*/) } };
  // A str choice is quoted as most of the module's strings are (`"Lax"` in Black's settings).
  const preferred = preferredQuote(root);
  return valueChoices(setting!, project).map((choice) => valueCompletion(setting!, choice, choice.text === undefined ? choice.literal : keyLiteral(choice.text, preferred), range));
}

/** The values a setting takes: its fixed choices, or for SESSION_CACHE_ALIAS the caches the project's CACHES holds. */
function valueChoices(setting: string, project: DjangoProject | undefined): SessionSettingChoice[] {
  if (setting !== 'SESSION_CACHE_ALIAS') {
    return sessionSettingChoices(setting);
  }
  return projectCaches(project).map((cache) => ({ literal: pyRepr(cache.alias), text: cache.alias, summary: cacheAliasSummary(cache), plainText: true }));
}

function nameCompletions(range: Range): SettingCompletion[] {
  return [...SESSION_SETTING_DOCS].map(([setting, doc]) => ({
    label: setting,
    newText: setting,
    range,
    detail: `${SESSION_SETTING_TYPE_WORDS[doc.type]} · default ${settingValueText(SESSION_SETTING_DEFAULTS.get(setting)!)}`,
    documentation: doc.summary,
  }));
}

function valueCompletion(setting: string, choice: SessionSettingChoice, newText: string, range: Range): SettingCompletion {
  const isDefault = settingValueText(SESSION_SETTING_DEFAULTS.get(setting) ?? { kind: 'none' }) === choice.literal;
  const completion: SettingCompletion = { label: newText, newText, range, detail: isDefault ? `${setting} · Django's default` : setting, documentation: choice.summary };
  if (choice.plainText) {
    completion.plainText = true;
  }
  if (choice.deprecated) {
    completion.deprecated = true;
  }
  return completion;
}

function wordAfter(lineText: string, character: number, word: RegExp): number {
  return word.exec(lineText.slice(character))![0].length;
}

/**
 * Whether the statement starting at (line, column) is in module scope: not in a function, class
 * or bracketed expression, and not the line after a decorator, which only a def or class may follow.
 */
function atModuleStatement(root: Node, line: number, column: number): boolean {
  let node: Node | null = root.descendantForPosition({ row: line, column });
  // The name being typed (or the one the value belongs to) is where the statement starts.
  if (node?.type === 'identifier') {
    node = node.parent;
  }
  for (; node; node = node.parent) {
    if (!STATEMENT_CONTAINERS.has(node.type)) {
      return false;
    }
  }
  return startsStatement(root, { row: line, column });
}

const OPENING = new Set(['(', '[', '{']);
const CLOSING = new Set([')', ']', '}']);

/**
 * Whether a statement can start at `at`, judged from the tokens before it as Python's tokenizer
 * would: no bracket left open (a newline inside one continues the expression), and the last
 * token not ending a decorator. Error recovery cannot hide either, unlike the tree's shape.
 */
function startsStatement(root: Node, at: { row: number; column: number }): boolean {
  let depth = 0;
  let last: Node | undefined;
  const visit = (node: Node): void => {
    for (const child of node.children) {
      if (!child || child.startPosition.row > at.row || (child.startPosition.row === at.row && child.startPosition.column >= at.column)) {
        return;
      }
      if (child.childCount > 0) {
        visit(child);
      } else if (!child.isMissing && child.type !== 'comment') {
        depth += OPENING.has(child.type) ? 1 : CLOSING.has(child.type) ? -1 : 0;
        last = child;
      }
    }
  };
  visit(root);
  return depth <= 0 && !(last && inDecorator(last));
}

function inDecorator(token: Node): boolean {
  for (let node: Node | null = token; node; node = node.parent) {
    if (node.type === 'decorator') {
      return true;
    }
  }
  return false;
}
