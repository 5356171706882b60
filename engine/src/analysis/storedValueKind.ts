import type { Node } from 'web-tree-sitter';
import { stringPrefix } from './stringLiteral';

const CALL_KINDS: [RegExp, string][] = [
  [/(^|\.)(datetime|now|utcnow|today|fromtimestamp|fromisoformat|date)$/, 'datetime'],
  [/(^|\.)timedelta$/, 'timedelta'],
  [/(^|\.)Decimal$/, 'Decimal'],
  [/(^|\.)(UUID|uuid[1345])$/, 'UUID'],
  [/^(set|frozenset)$/, 'set'],
  [/^(bytes|bytearray)$/, 'bytes'],
  [/(\.objects\.(get|create|get_or_create|first|last|earliest|latest)|^get_object_or_404|\.(first|last|earliest|latest|get_user))$/, 'model instance'],
];

/** `values()` and `values_list()` give dicts and tuples or scalars, which JSON holds, whatever follows them. */
const ROWS_AS_DATA = /\.values(_list)?\(/;

/** Encodings `str.encode` is called with; other `.encode(x)` calls (`jwt.encode`, a JSON encoder's) return str. */
const ENCODING = /^['"](utf-?8|utf-?16|utf-?32|ascii|latin-?1|iso-?8859-?1|cp1252)['"]$/i;

/** `x.encode()` or `x.encode("utf-8")`: str.encode's forms, which give bytes. */
function isStrEncode(node: Node, callee: string): boolean {
  if (!callee.endsWith('.encode')) {
    return false;
  }
  const args = node.childForFieldName('arguments')?.namedChildren.filter((arg) => arg !== null && arg.type !== 'comment') ?? [];
  return args.length === 0 || (args.length <= 2 && ENCODING.test(args[0]!.text));
}

/**
 * The kind of a stored value that Django's JSONSerializer cannot encode, when the
 * expression makes it plain (a `datetime.now()`, a set literal, `request.user`, …).
 */
export function nonJsonValueKind(node: Node): string | undefined {
  switch (node.type) {
    case 'set':
    case 'set_comprehension':
      return 'set';
    case 'string':
      return stringPrefix(node).includes('b') ? 'bytes' : undefined;
    case 'attribute':
      return /(^|\.)request\.user$|^self\.request\.user$/.test(node.text) ? 'model instance' : undefined;
    case 'binary_operator':
      return dateArithmeticKind(node);
    case 'call': {
      const callee = node.childForFieldName('function')?.text ?? '';
      if (isStrEncode(node, callee)) {
        return 'bytes';
      }
      const kind = CALL_KINDS.find(([pattern]) => pattern.test(callee))?.[1];
      return kind === 'model instance' && ROWS_AS_DATA.test(callee) ? undefined : kind;
    }
    default:
      return undefined;
  }
}

/**
 * Date arithmetic whose result is plain from its operands: `now() + timedelta(hours=1)` is a
 * datetime, `end - start` of two datetimes and a sum of timedeltas are timedeltas. With an
 * operand of unknown type the result is not guessed (its quick fix would depend on it).
 */
function dateArithmeticKind(node: Node): string | undefined {
  const operator = node.childForFieldName('operator')?.type;
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if ((operator !== '+' && operator !== '-') || !left || !right) {
    return undefined;
  }
  const [a, b] = [nonJsonValueKind(left), nonJsonValueKind(right)];
  if (a === 'datetime' && b === 'datetime') {
    return operator === '-' ? 'timedelta' : undefined;
  }
  if ((a === 'datetime' && (b === 'timedelta' || operator === '+')) || (b === 'datetime' && a === 'timedelta' && operator === '+')) {
    return 'datetime';
  }
  return a === 'timedelta' && b === 'timedelta' ? 'timedelta' : undefined;
}
