import type { Node } from 'web-tree-sitter';
import { pyFloatRepr } from '../codec/pyFloatRepr';

/** A session key written as a literal that is not a str, with the str JSONSerializer saves it as. */
export interface NonStrKey {
  /** The literal as written, e.g. `5`, `None` or `b'cart'`. */
  text: string;
  /** What it is, as a message names it: `an int`, `a float`, `a bool`, `None` or `bytes`. */
  kind: string;
  /** The key after a round trip through `json.dumps`/`json.loads`, e.g. `5` for 5, `null` for None; none for bytes, which json refuses. */
  jsonKey?: string;
  /** For bytes of plain characters (`b'cart'`), the str literal that spells the same key as text (`'cart'`). */
  strLiteral?: string;
}

/**
 * The int, float, bool, None or bytes literal a key expression is, or undefined. Python's json
 * writes such dict keys as str (`{5: 1}` becomes `{"5": 1}`), so a session keyed by one finds
 * nothing under the same key once it was saved and read back; a bytes key it refuses with TypeError.
 */
export function nonStrLiteralKey(node: Node): NonStrKey | undefined {
  const text = node.text;
  switch (node.type) {
    case 'string': {
      const prefix = /^[A-Za-z]*/.exec(text)![0];
      if (!/b/i.test(prefix)) {
        return undefined;
      }
      // Without escapes the same characters make the str key the code most likely meant.
      return text.includes('\\') ? { text, kind: 'bytes' } : { text, kind: 'bytes', strLiteral: prefix.replace(/b/gi, '') + text.slice(prefix.length) };
    }
    case 'true':
    case 'false':
      return { text, kind: 'a bool', jsonKey: text === 'True' ? 'true' : 'false' };
    case 'none':
      return { text, kind: 'None', jsonKey: 'null' };
    case 'integer':
    case 'float':
      return numberKey(node.type, text, text, false);
    case 'unary_operator': {
      const operand = node.childForFieldName('argument');
      const sign = node.childForFieldName('operator')?.text;
      return operand && (operand.type === 'integer' || operand.type === 'float') && (sign === '-' || sign === '+') ? numberKey(operand.type, operand.text, text, sign === '-') : undefined;
    }
    default:
      return undefined;
  }
}

/** `str(n)` of an int literal, `repr(x)` of a float one; undefined for a complex literal (`2j`), which json refuses as a key. */
function numberKey(type: string, digits: string, text: string, negate: boolean): NonStrKey | undefined {
  const plain = digits.replace(/_/g, '');
  if (/[jJ]$/.test(plain)) {
    return undefined;
  }
  if (type === 'integer') {
    const value = BigInt(plain);
    return { text, kind: 'an int', jsonKey: (negate ? -value : value).toString() };
  }
  const value = Number(plain);
  return Number.isFinite(value) ? { text, kind: 'a float', jsonKey: pyFloatRepr(negate ? -value : value) } : undefined;
}
