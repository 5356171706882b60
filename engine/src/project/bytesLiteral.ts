import type { Node } from 'web-tree-sitter';
import { stringPrefix } from '../analysis/stringLiteral';

const BYTE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11 };

/**
 * The bytes of a Python `bytes` literal (also implicit concatenation of them), with the escapes
 * bytes literals have (`\xNN`, octal, `\n`…; no `\u`); undefined for anything else. Settings
 * such as SECRET_KEY may be bytes, which Django's `force_bytes` keeps as they are.
 */
export function bytesLiteralValue(node: Node): Uint8Array | undefined {
  const parts = node.type === 'concatenated_string' ? node.namedChildren : node.type === 'string' ? [node] : [];
  if (parts.length === 0 || !parts.every((part) => part?.type === 'string' && stringPrefix(part).includes('b'))) {
    return undefined;
  }
  const bytes: number[] = [];
  for (const part of parts) {
    const raw = stringPrefix(part!).includes('r');
    for (const child of part!.namedChildren) {
      if (child?.type === 'string_content' || child?.type === 'escape_sequence') {
        bytes.push(...(raw ? asciiBytes(child.text) : escapedBytes(child.text)));
      }
    }
  }
  return Uint8Array.from(bytes);
}

function asciiBytes(text: string): number[] {
  return [...text].map((char) => char.charCodeAt(0) & 0xff);
}

/** A non-raw bytes literal's text with its escapes decoded; an unknown escape stays as written, as in Python. */
function escapedBytes(text: string): number[] {
  const bytes: number[] = [];
  const pattern = /\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|\n|.)|([^\\]+)/gs;
  for (const [, escape, plain] of text.matchAll(pattern)) {
    if (plain !== undefined) {
      bytes.push(...asciiBytes(plain));
    } else if (escape!.startsWith('x') && escape!.length === 3) {
      bytes.push(parseInt(escape!.slice(1), 16));
    } else if (/^[0-7]+$/.test(escape!)) {
      bytes.push(parseInt(escape!, 8) & 0xff);
    } else if (escape !== '\n') {
      const known = BYTE_ESCAPES[escape!];
      bytes.push(...(known !== undefined ? [known] : asciiBytes(`\\${escape}`)));
    }
  }
  return bytes;
}
