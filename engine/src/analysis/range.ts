import type { Node } from 'web-tree-sitter';

/** A position in a text document: 0-based line, 0-based UTF-16 character (as in LSP). */
export interface Position {
  line: number;
  character: number;
}

/** A span of a text document, end exclusive. */
export interface Range {
  start: Position;
  end: Position;
}

/**
 * The range a syntax node covers; tree-sitter columns over a JS string are UTF-16 units
 * already. A one-line node's end is computed from its text, sparing a call into WASM.
 */
export function nodeRange(node: Node): Range {
  const start = node.startPosition;
  const text = node.text;
  if (!text.includes('\n')) {
    return { start: { line: start.row, character: start.column }, end: { line: start.row, character: start.column + text.length } };
  }
  return { start: { line: start.row, character: start.column }, end: { line: node.endPosition.row, character: node.endPosition.column } };
}

/** The CLI's JSON form of a range: 1-based lines and 0-based UTF-16 columns, snake_case. */
export function rangeJson(range: Range): { line: number; column: number; end_line: number; end_column: number } {
  return { line: range.start.line + 1, column: range.start.character, end_line: range.end.line + 1, end_column: range.end.character };
}

/** Orders things by where their ranges start, for a sort. */
export function byStart(a: { range: Range }, b: { range: Range }): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** A range as text, `line:character-line:character`, for telling places apart in sets and maps. */
export function rangeId(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** Whether two ranges span the same text. */
export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** Whether a position comes before another (`a` < `b`). */
export function isBefore(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Whether a range holds a position, its end excluded. */
export function holds(range: Range, at: Position): boolean {
  return !isBefore(at, range.start) && isBefore(at, range.end);
}
