import type { Node } from 'web-tree-sitter';
import type { SettingsText } from '../../project/settingsEvaluation';
import { loadPythonParser } from '../pythonParser';
import { nodeRange, type Position, type Range } from '../range';
import { stringLiteralValue } from '../stringLiteral';
import { nodesSpelled } from '../textAnchors';
import { readTextFile } from '../textFile';
import type { LintTextEdit } from './lintDiagnostic';

/**
 * A str literal that a settings module writes as an item of a list setting: an element of the
 * list or tuple a module-level `NAME = …` or `NAME += …` assigns (also one side of a `+`).
 */
export interface ListItemLiteral {
  file: string;
  value: string;
  /** The literal as written, quotes included. */
  text: string;
  range: Range;
  /** The edit that takes the item out of its list: its line where it has one to itself, else the item and a comma beside it. */
  removal: LintTextEdit;
  /** The edit that puts `item` (a literal as written) before this one: on a line of its own with this one's indent and line ending, or inline. */
  insertBefore: (item: string) => LintTextEdit;
}

const CONTAINERS = new Set(['list', 'tuple']);
const SCOPES = new Set(['function_definition', 'class_definition', 'lambda']);

/**
 * The items of the setting `name` that `files` write as str literals, in file order then text
 * order. A literal inside a call (`MIDDLEWARE.insert(0, '…')`) or a comprehension is none: no
 * item can be put before it, nor taken out, by editing the list.
 */
export async function listItemLiterals(files: readonly string[], name: string, settingsText?: SettingsText): Promise<ListItemLiteral[]> {
  const found: ListItemLiteral[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = settingsText?.(file) ?? readTextFile(file);
    } catch {
      continue;
    }
    if (!text.includes(name)) {
      continue;
    }
    const python = await loadPythonParser();
    const tree = python.parser.parse(text);
    if (!tree) {
      continue;
    }
    try {
      for (const target of nodesSpelled(tree.rootNode, text, name)) {
        const assignment = target.parent;
        if (!assignment || !['assignment', 'augmented_assignment'].includes(assignment.type) || assignment.childForFieldName('left')?.id !== target.id || !atModuleLevel(assignment)) {
          continue;
        }
        for (const container of containersOf(assignment.childForFieldName('right'))) {
          found.push(...itemsOf(container, file, text));
        }
      }
    } finally {
      tree.delete();
    }
  }
  return found;
}

/** `listItemLiterals` of one setting, read once and only when first asked for. */
export function listItemLiteralsOnce(files: readonly string[], name: string, settingsText?: SettingsText): () => Promise<readonly ListItemLiteral[]> {
  let read: Promise<ListItemLiteral[]> | undefined;
  return () => (read ??= listItemLiterals(files, name, settingsText));
}

/** The one literal of `value` among `literals`; none where the settings write it more than once or not as a list item. */
export function onlyLiteral(literals: readonly ListItemLiteral[], value: string): ListItemLiteral | undefined {
  const matching = literals.filter((literal) => literal.value === value);
  return matching.length === 1 ? matching[0] : undefined;
}

function atModuleLevel(node: Node): boolean {
  for (let scope = node.parent; scope; scope = scope.parent) {
    if (SCOPES.has(scope.type)) {
      return false;
    }
  }
  return true;
}

/** The list and tuple displays a value is made of: itself, or the operands of its `+`, in parentheses or not. */
function containersOf(value: Node | null): Node[] {
  if (!value) {
    return [];
  }
  if (CONTAINERS.has(value.type)) {
    return [value];
  }
  if (value.type === 'parenthesized_expression') {
    return containersOf(value.namedChildren.find((child) => child?.type !== 'comment') ?? null);
  }
  if (value.type === 'binary_operator' && value.childForFieldName('operator')?.text === '+') {
    return [...containersOf(value.childForFieldName('left')), ...containersOf(value.childForFieldName('right'))];
  }
  return [];
}

function itemsOf(container: Node, file: string, text: string): ListItemLiteral[] {
  const lines = text.split('\n');
  const elements = container.namedChildren.filter((child): child is Node => !!child && child.type !== 'comment');
  const items: ListItemLiteral[] = [];
  elements.forEach((element, i) => {
    const value = element.type === 'string' ? stringLiteralValue(element) : undefined;
    if (value === undefined) {
      return;
    }
    const range = nodeRange(element);
    const line = lines[range.start.line]!;
    const indent = line.slice(0, range.start.character);
    const ownsLine = /^\s*$/.test(indent) && /^\s*,?\s*(#.*)?$/.test(lines[range.end.line]!.slice(range.end.character));
    const next = elements[i + 1];
    const previous = elements[i - 1];
    const removal: Range = ownsLine
      ? { start: { line: range.start.line, character: 0 }, end: { line: range.end.line + 1, character: 0 } }
      : next
        ? { start: range.start, end: nodeRange(next).start }
        : previous
          ? { start: nodeRange(previous).end, end: range.end }
          : { start: range.start, end: closingBracket(container) };
    const startOfLine: Position = { line: range.start.line, character: 0 };
    // The line added ends as the anchor's own does, so a CRLF settings file stays all CRLF.
    const eol = line.endsWith('\r') ? '\r\n' : '\n';
    items.push({
      file,
      value,
      text: element.text,
      range,
      removal: { file, range: removal, newText: '' },
      insertBefore: (item) =>
        /^\s*$/.test(indent)
          ? { file, range: { start: startOfLine, end: startOfLine }, newText: `${indent}${item},${eol}` }
          : { file, range: { start: range.start, end: range.start }, newText: `${item}, ` },
    });
  });
  return items;
}

function closingBracket(container: Node): Position {
  const end = nodeRange(container).end;
  return { line: end.line, character: end.character - 1 };
}
