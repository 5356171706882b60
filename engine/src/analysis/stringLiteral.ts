import type { Node } from 'web-tree-sitter';

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v' };

/**
 * The value of a Python `str` literal (also implicit concatenation and placeholder-free
 * f-strings); undefined for bytes, f-strings with placeholders and anything else.
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
      value += literalPieceValue(child, raw, formatted);
    }
  }
  return value;
}

/**
 * The text a `string_content` or `escape_sequence` child of a literal stands for: escapes decoded
 * unless the literal is raw, and in an f-string's content a doubled brace as one (the parser
 * leaves it doubled).
 */
export function literalPieceValue(piece: Node, raw: boolean, formatted: boolean): string {
  const content = formatted && piece.type === 'string_content' ? piece.text.replace(/\{\{|\}\}/g, (pair) => pair[0]!) : piece.text;
  return raw ? content : decodeEscapes(content);
}

/** The lower-cased prefix letters of a string literal (`r`, `b`, `f`, `u`). */
export function stringPrefix(node: Node): string {
  const start = node.firstChild;
  return start ? start.text.replace(/['"]/g, '').toLowerCase() : '';
}

/** Whether a node is an f-string with at least one placeholder. */
export function isInterpolatedString(node: Node): boolean {
  if (node.type === 'concatenated_string') {
    return node.namedChildren.some((part) => part !== null && isInterpolatedString(part));
  }
  return node.type === 'string' && node.namedChildren.some((child) => child?.type === 'interpolation');
}

/** A non-raw literal's text with its escape sequences decoded, as the parser's pieces of it are. */
export function decodeEscapes(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|.)/gs, (whole, esc: string) => {
    if (/^[0-7]/.test(esc)) {
      return String.fromCodePoint(parseInt(esc, 8));
    }
    if (esc.length > 1) {
      return String.fromCodePoint(parseInt(esc.slice(1), 16));
    }
    return SIMPLE_ESCAPES[esc] ?? (esc === '\n' ? '' : whole);
  });
}
