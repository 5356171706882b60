import type { Range } from './range';
import { pythonLineBreaks } from './stringLiteral';

/** A prefix and the triple quote that opens a literal. */
const OPENING = /[rRuUfFbB]{0,2}("""|''')/y;
/** What may follow the closing quotes on their line for the literal to be the whole value: nothing, or a comment. */
const ALONE = /^[ \t]*(?:#.*)?\r?$/;
/** An operator, call, subscript or another item after the literal: an expression, no str literal. */
const OPERAND = /^[ \t]*(?:[-.%+*/@&|^<>=!,[]|(?:if|and|or|in|is|not)\b)/;

/**
 * The str a triple-quoted literal at `at` holds (`help = """…"""`, over as many lines as it
 * takes), with the range that spells it from `start`, as Python reads it: its content as
 * written, with `\n` for each line break (see pythonLineBreaks). Null when it is plainly no str
 * literal (bytes, or an operand of an expression); undefined when only parsing can tell (escapes or a backslash, placeholders, another literal
 * or statement after it, no closing quotes).
 */
export function tripleQuotedLiteral(text: string, at: number, start: Range['start']): { value: string; range: Range } | null | undefined {
  OPENING.lastIndex = at;
  const opening = OPENING.exec(text);
  if (!opening) {
    return undefined;
  }
  const prefix = opening[0].slice(0, -3).toLowerCase();
  const contentStart = at + opening[0].length;
  const close = text.indexOf(opening[1]!, contentStart);
  const content = close === -1 ? '' : text.slice(contentStart, close);
  if (close === -1 || content.includes('\\') || (prefix.includes('f') && /[{}]/.test(content))) {
    return undefined;
  }
  const end = close + 3;
  const lineEnd = text.indexOf('\n', end);
  const after = text.slice(end, lineEnd === -1 ? text.length : lineEnd);
  // A semicolon may start another statement on the line, which only parsing tells.
  if (OPERAND.test(after) && !after.includes(';')) {
    return null;
  }
  if (!ALONE.test(after)) {
    return undefined;
  }
  if (prefix.includes('b')) {
    return null;
  }
  let line = start.line;
  let lineStart = text.lastIndexOf('\n', at) + 1;
  for (let i = text.indexOf('\n', at); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { value: pythonLineBreaks(content), range: { start, end: { line, character: end - lineStart } } };
}
