import type { Node } from 'web-tree-sitter';
import { stringPrefix } from './stringLiteral';

const CALL_KINDS: [RegExp, string][] = [
  [/(^|\.)(datetime|now|utcnow|today|fromtimestamp|fromisoformat|date)$/, 'datetime'],
  [/(^|\.)timedelta$/, 'timedelta'],
  [/(^|\.)Decimal$/, 'Decimal'],
  [/(^|\.)(UUID|uuid[1345])$/, 'UUID'],
  [/^(set|frozenset)$/, 'set'],
  [/^(bytes|bytearray)$|\.encode$/, 'bytes'],
  [/(\.objects\.(get|create|get_or_create|first|last|earliest|latest)|^get_object_or_404|\.(first|last|earliest|latest|get_user))$/, 'model instance'],
];

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
    case 'call': {
      const callee = node.childForFieldName('function')?.text ?? '';
      return CALL_KINDS.find(([pattern]) => pattern.test(callee))?.[1];
    }
    default:
      return undefined;
  }
}
