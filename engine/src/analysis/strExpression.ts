import type { Node } from 'web-tree-sitter';

/** Builtins that return a str whatever they are given. */
const STR_BUILTINS = new Set(['str', 'repr', 'ascii', 'format', 'chr', 'hex', 'oct', 'bin']);
/** Methods that give text on any object that has them: a date's or a datetime's. */
const TEXT_METHODS = new Set(['isoformat', 'strftime']);
/** Methods of a str that return a str. */
const STR_METHODS = new Set(['format', 'join']);
/** The request's mappings of text: every value in them is a str. */
const REQUEST_TEXT = new Set(['GET', 'POST', 'COOKIES']);

/**
 * Whether an expression plainly evaluates to a str: a literal or f-string, `str(n)`,
 * `'%d' % n`, `'{}'.format(n)`, `when.isoformat()`, or a value of `request.GET`, `POST` or
 * `COOKIES`. False when it may be anything else.
 */
export function isPlainlyStr(node: Node | null): boolean {
  switch (node?.type) {
    case 'string':
    case 'concatenated_string':
      return true;
    case 'parenthesized_expression':
      return isPlainlyStr(node.namedChildren[0] ?? null);
    case 'binary_operator': {
      // `'%d' % n` formats and `'a' + b` concatenates: a str on the left gives a str (or raises).
      const operator = node.childForFieldName('operator')?.type;
      return (operator === '%' || operator === '+') && isPlainlyStr(node.childForFieldName('left'));
    }
    case 'call': {
      const fn = node.childForFieldName('function');
      if (fn?.type === 'identifier') {
        return STR_BUILTINS.has(fn.text);
      }
      const method = fn?.type === 'attribute' ? (fn.childForFieldName('attribute')?.text ?? '') : '';
      const owner = fn?.childForFieldName('object') ?? null;
      return TEXT_METHODS.has(method) || (STR_METHODS.has(method) && isPlainlyStr(owner)) || (method === 'get' && isRequestText(owner));
    }
    case 'subscript':
      return isRequestText(node.childForFieldName('value'));
    default:
      return false;
  }
}

/** `request.GET`, `self.request.POST`, `request.COOKIES`. */
function isRequestText(node: Node | null): boolean {
  return node?.type === 'attribute' && REQUEST_TEXT.has(node.childForFieldName('attribute')?.text ?? '');
}
