import type { StringConstant } from './moduleFacts';

/** A name bound at module level (column 0, optionally annotated), and the rest of its line. */
const ASSIGNMENT_LINE = /^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)[ \t]*([^\n]*)/gm;
/** A one-line str literal with no escapes, and an optional comment: its value is its content. */
const SIMPLE_STRING = /^([rRuUfF]|[rR][fF]|[fF][rR])?(?:"([^"\\\n]*)"|'([^'\\\n]*)')[ \t]*(?:#.*)?$/;
/** The same with a bytes prefix: bound, but to no str. */
const BYTES = /^(?:[bB]|[rR][bB]|[bB][rR])(?:"[^"\\\n]*"|'[^'\\\n]*')[ \t]*(?:#.*)?$/;
/**
 * A value that may still be a str constant to the parser: a literal the line does not hold
 * plainly, a value continued on the next line, or more statements after it. (A value in
 * brackets is never one: the parser reads `("k")` as a parenthesized expression.)
 */
const MAYBE_STRING = /^[rRuUfFbB]{0,2}['"]|\\$|;/;

/**
 * The module-level str constants of a file, read line by line without parsing it, exactly
 * as moduleFacts reads them from the syntax tree: a name bound once at module level (with or
 * without an annotation) to a str literal, such as `KEY = "k"`, `KEY: Final = "k"` or
 * `KEY = f"k"`. Undefined when a line is beyond this reader (escapes, implicit concatenation,
 * a value continued on the next line, several statements on a line), so the caller
 * parses the file instead. Lines inside triple-quoted strings are skipped; a triple quote
 * inside a comment or a one-line string would mislead that, which real code hardly does.
 */
export function constantsWithoutParsing(text: string): Map<string, StringConstant> | undefined {
  const constants = new Map<string, StringConstant>();
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
    const value = constantValue(match[2]!);
    if (value === undefined) {
      return undefined;
    }
    if (bound.has(name)) {
      constants.delete(name);
      continue;
    }
    bound.add(name);
    if (value === null) {
      continue;
    }
    for (let i = text.indexOf('\n', lineStart); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    constants.set(name, { value, range: { start: { line, character: 0 }, end: { line, character: name.length } } });
  }
  return constants;
}

/** A value's str, null when it is plainly no str literal, undefined when only parsing can tell. */
function constantValue(value: string): string | null | undefined {
  const simple = SIMPLE_STRING.exec(value);
  if (simple) {
    const content = simple[2] ?? simple[3] ?? '';
    // In an f-string, braces are placeholders or escaped braces.
    return /[fF]/.test(simple[1] ?? '') && /[{}]/.test(content) ? undefined : content;
  }
  if (BYTES.test(value)) {
    return null;
  }
  return MAYBE_STRING.test(value) ? undefined : null;
}

/** Whether an offset lies inside a triple-quoted string, by pairing the triple quotes in order. */
function tripleQuotedSpans(text: string): (offset: number) => boolean {
  const spans: [number, number][] = [];
  for (let at = nextTripleQuote(text, 0); at !== -1; ) {
    const quote = text.slice(at, at + 3);
    const end = text.indexOf(quote, at + 3);
    spans.push([at, end === -1 ? text.length : end + 3]);
    at = end === -1 ? -1 : nextTripleQuote(text, end + 3);
  }
  return (offset) => spans.some(([start, end]) => start < offset && offset < end);
}

function nextTripleQuote(text: string, from: number): number {
  const double = text.indexOf('"""', from);
  const single = text.indexOf("'''", from);
  return double === -1 ? single : single === -1 ? double : Math.min(double, single);
}
