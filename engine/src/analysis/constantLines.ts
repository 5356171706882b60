import type { ModuleFacts } from './moduleFacts';
import type { Position, Range } from './range';
import { decodeEscapes } from './stringLiteral';
import { tripleQuotedLiteral } from './tripleQuotedLiteral';
import { tripleQuotedSpans } from './tripleQuotedSpans';

/** A value that is another name's, `OTHER` or `a.b.NAME`, with an optional comment. */
export const DOTTED_NAME = /^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)[ \t]*(?:#.*)?\r?$/;
/** A name bound at module level (column 0, optionally annotated), and the rest of its line (with the `\r` of a CRLF line). */
const ASSIGNMENT_LINE = /^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)[ \t]*([^\n]*)/gm;
/** A one-line str literal, and an optional comment: its value is its content, escapes decoded unless it is raw. */
const SIMPLE_STRING = /^([rRuUfF]|[rR][fF]|[fF][rR])?(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')[ \t]*(?:#.*)?$/;
/** The same with a bytes prefix: bound, but to no str. */
const BYTES = /^(?:[bB]|[rR][bB]|[bB][rR])(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')[ \t]*(?:#.*)?$/;
/**
 * A value that may still be a str constant to the parser: a literal the line does not hold
 * plainly, a value that starts on the next line, or more statements after it. (A value in
 * brackets is never one: the parser reads `("k")` as a parenthesized expression.)
 */
const MAYBE_STRING = /^[rRuUfFbB]{0,2}['"]|^\\$|;/;
/** A value that starts with a triple-quoted literal. */
const TRIPLE_QUOTE = /^[rRuUfFbB]{0,2}(?:"""|''')/;
/**
 * A plain literal that an operator, a call, a subscript or another item follows (`"%s/x" % y`,
 * `"a".format(b)`, `"a", "b"`): an expression, no str literal. Another literal after it (`"a" "b"`)
 * is an implicit concatenation, which only parsing tells.
 */
const STRING_OPERAND = /^[rRuUfFbB]{0,2}(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')[ \t]*(?:[-.%+*/@&|^<>=!,[]|(?:if|and|or|in|is|not)\b)/;
/** A literal or a name that `+` follows: maybe a key put together from constants (see composedParts), which only parsing tells. */
const CONCATENATION = /^(?:[A-Za-z_][\w.]*|[rRuUfF]{0,2}(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'))[ \t]*\+/;

/**
 * The module-level str constants of a file, read line by line without parsing it, exactly
 * as moduleFacts reads them from the syntax tree: a name bound once at module level (with or
 * without an annotation) to a str literal, such as `KEY = "k"`, `KEY: Final = "k"` or
 * `KEY = f"k"`, also triple-quoted. Undefined when a line is beyond this reader (implicit
 * concatenation, a value that starts on the next line, several statements on a line), so the caller
 * parses the file instead. Lines inside triple-quoted strings are skipped; a triple quote
 * inside a comment or a one-line string would mislead that, which real code hardly does.
 * Linear in the text, however many lines and triple-quoted strings it has. Text that still
 * starts with a byte-order mark (files read from disk have it dropped, see readTextFile) is
 * left to the parser too, whose columns count the mark as that text does. The names bound once to
 * anything else are the module's computed ones, as moduleFacts tells them.
 */
export function constantsWithoutParsing(text: string): Pick<ModuleFacts, 'constants' | 'computed' | 'aliases'> | undefined {
  if (text.startsWith('\uFEFF')) {
    return undefined;
  }
  const constants: ModuleFacts['constants'] = new Map();
  const computed: ModuleFacts['computed'] = new Map();
  const aliases: ModuleFacts['aliases'] = new Map();
  const bound = new Set<string>();
  const insideString = tripleQuotedSpans(text);
  let line = 0;
  let lineStart = 0;
  for (const match of text.matchAll(ASSIGNMENT_LINE)) {
    const offset = match.index ?? 0;
    if (insideString(offset)) {
      continue;
    }
    const name = match[1]!;
    for (let i = text.indexOf('\n', lineStart); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    const column = match[0].length - match[2]!.length;
    const literal = literalAt(text, offset + column, match[2]!.replace(/\r$/, ''), { line, character: column });
    if (literal === undefined) {
      return undefined;
    }
    if (bound.has(name)) {
      constants.delete(name);
      computed.delete(name);
      aliases.delete(name);
      continue;
    }
    bound.add(name);
    const target = literal === null ? DOTTED_NAME.exec(match[2]!)?.[1] : undefined;
    if (target) {
      aliases.set(name, { target, line });
    } else if (literal === null) {
      computed.set(name, line);
    } else {
      constants.set(name, { value: literal.value, range: { start: { line, character: 0 }, end: { line, character: name.length } }, spelling: { kind: 'literal', range: literal.range } });
    }
  }
  return { constants, computed, aliases };
}

/**
 * The str of the value at `at` (`value` is the rest of its line, `start` its position) and the
 * range of the literal that spells it; null when it is plainly no str literal, undefined when
 * only parsing can tell. A triple-quoted literal may go on over the next lines.
 */
export function literalAt(text: string, at: number, value: string, start: Position): { value: string; range: Range } | null | undefined {
  const literal = constantLiteral(value);
  if (literal === undefined) {
    return TRIPLE_QUOTE.test(value) ? tripleQuotedLiteral(text, at, start) : undefined;
  }
  return literal && { value: literal.value, range: { start, end: { line: start.line, character: start.character + literal.length } } };
}

/**
 * A one-line value's str and the length of the literal that spells it, null when it is plainly
 * no str literal, undefined when only parsing can tell.
 */
function constantLiteral(value: string): { value: string; length: number } | null | undefined {
  const simple = SIMPLE_STRING.exec(value);
  if (simple) {
    const prefix = (simple[1] ?? '').toLowerCase();
    const content = simple[2] ?? simple[3] ?? '';
    // In an f-string, braces are placeholders or escaped braces.
    if (prefix.includes('f') && /[{}]/.test(content)) {
      return undefined;
    }
    const decoded = prefix.includes('r') ? content : decodeEscapes(content);
    return decoded === undefined ? undefined : { value: decoded, length: prefix.length + content.length + 2 };
  }
  if (CONCATENATION.test(value)) {
    return undefined;
  }
  if (BYTES.test(value) || (STRING_OPERAND.test(value) && !value.includes(';'))) {
    return null;
  }
  // A `#` before any quote starts a comment, whose `;` hides no statement.
  const code = /^[^'"#]*#/.test(value) ? value.slice(0, value.indexOf('#')) : value;
  return MAYBE_STRING.test(code) ? undefined : null;
}
