import type { Node } from 'web-tree-sitter';

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v' };

/**
 * The value of a Python `str` literal (also implicit concatenation and placeholder-free
 * f-strings); undefined for bytes, f-strings with placeholders, a character named by its
 * Unicode name (`\N{…}`, see decodeEscapes) and anything else.
 */
export function stringLiteralValue(node: Node): string | undefined {
  // Each `type` read is a call into WASM, so it is read once.
  const type = node.type;
  if (type === 'string') {
    // The common plain literal, read from its text without walking its children.
    const plain = /^(['"])([^'"\\\n{}]*)\1$/.exec(node.text);
    if (plain) {
      return plain[2];
    }
  }
  if (type === 'concatenated_string') {
    let value = '';
    for (const part of node.namedChildren) {
      const partValue = part ? stringLiteralValue(part) : undefined;
      if (partValue === undefined) {
        return undefined;
      }
      value += partValue;
    }
    return value;
  }
  if (type !== 'string') {
    return undefined;
  }
  const prefix = stringPrefix(node);
  if (prefix.includes('b')) {
    return undefined;
  }
  const raw = prefix.includes('r');
  const formatted = prefix.includes('f');
  let value = '';
  for (const child of node.namedChildren) {
    const childType = child?.type;
    if (!child || childType === 'string_start' || childType === 'string_end') {
      continue;
    }
    if (childType === 'interpolation') {
      return undefined;
    }
    if (childType === 'string_content' || childType === 'escape_sequence') {
      const piece = literalPieceValue(child, raw, formatted);
      if (piece === undefined) {
        return undefined;
      }
      value += piece;
    }
  }
  return value;
}

/**
 * The text a `string_content` or `escape_sequence` child of a literal stands for: escapes decoded
 * unless the literal is raw, and in an f-string's content a doubled brace as one (the parser
 * leaves it doubled). A line break in a triple-quoted literal is `\n` whatever the file's (see
 * pythonLineBreaks). Undefined where it names a character by its Unicode name (see decodeEscapes).
 */
export function literalPieceValue(piece: Node, raw: boolean, formatted: boolean): string | undefined {
  const text = pythonLineBreaks(piece.text);
  const content = formatted && piece.type === 'string_content' ? text.replace(/\{\{|\}\}/g, (pair) => pair[0]!) : text;
  return raw ? content : decodeEscapes(content);
}

/**
 * Source text with its line breaks as Python reads them: it opens source files with universal
 * newlines, so a CRLF (or lone CR) inside a triple-quoted literal holds `\n`, and a backslash before
 * one continues the line. A CRLF file (a Windows checkout) has the same keys as its LF twin.
 */
export function pythonLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** The lower-cased prefix letters of a string literal (`r`, `b`, `f`, `u`). */
export function stringPrefix(node: Node): string {
  const start = node.firstChild;
  return start ? start.text.replace(/['"]/g, '').toLowerCase() : '';
}

/** Whether a str literal (or a part of adjacent ones) names a character by its Unicode name, `\N{…}`, which stringLiteralValue cannot read. */
export function namesCharacter(node: Node): boolean {
  if (node.type === 'concatenated_string') {
    return node.namedChildren.some((part) => part !== null && namesCharacter(part));
  }
  return node.type === 'string' && !/[rb]/.test(stringPrefix(node)) && node.descendantsOfType('escape_sequence').some((escape) => escape?.text.startsWith('\\N{'));
}

/** Whether a node is an f-string with at least one placeholder. */
export function isInterpolatedString(node: Node): boolean {
  if (node.type === 'concatenated_string') {
    return node.namedChildren.some((part) => part !== null && isInterpolatedString(part));
  }
  return node.type === 'string' && node.namedChildren.some((child) => child?.type === 'interpolation');
}

/**
 * A non-raw literal's text with its escape sequences decoded, as the parser's pieces of it are.
 * Undefined where it names a character by its Unicode name (`\N{LATIN SMALL LETTER E WITH
 * ACUTE}`): that takes Unicode's table of names, which is not at hand, and keeping the escape
 * as text would make another key of it.
 */
export function decodeEscapes(text: string): string | undefined {
  let named = false;
  const decoded = text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|N\{[^}]*\}|.)/gs, (whole, esc: string) => {
    if (esc.startsWith('N{')) {
      named = true;
      return whole;
    }
    if (/^[0-7]/.test(esc)) {
      return String.fromCodePoint(parseInt(esc, 8));
    }
    if (esc.length > 1) {
      return String.fromCodePoint(parseInt(esc.slice(1), 16));
    }
    return SIMPLE_ESCAPES[esc] ?? (esc === '\n' ? '' : whole);
  });
  return named ? undefined : decoded;
}
