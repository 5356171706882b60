import type { Node } from 'web-tree-sitter';
import { modelClassNames } from './modelClasses';
import { plainClassNames } from './plainClasses';
import { stringPrefix } from './stringLiteral';

const CALL_KINDS: [RegExp, string][] = [
  // A date first: `date.today()` and `datetime.today()` share a method name, and a date reads back with date.fromisoformat().
  [/(^|\.)(date(\.(today|fromisoformat|fromtimestamp|fromordinal))?|localdate)$/, 'date'],
  [/(^|\.)(datetime|now|utcnow|today|fromtimestamp|utcfromtimestamp|fromisoformat|strptime|combine|localtime)$/, 'datetime'],
  [/(^|\.)timedelta$/, 'timedelta'],
  // pytz's and datetime's timezone(), zoneinfo's ZoneInfo, django.utils.timezone's current and default zones (kitsune's).
  [/(^|\.)(timezone|ZoneInfo|get_current_timezone|get_default_timezone|FixedOffset)$/, 'time zone'],
  [/(^|\.)Decimal$/, 'Decimal'],
  [/(^|\.)(UUID|uuid[1345])$/, 'UUID'],
  [/^(set|frozenset)$/, 'set'],
  [/^(bytes|bytearray)$/, 'bytes'],
  [/(\.objects\.(get|create|get_or_create|first|last|earliest|latest)|^get_object_or_404|\.(first|last|earliest|latest|get_user)|^(auth\.)?authenticate)$/, 'model instance'],
];

/** `values()` and `values_list()` give dicts and tuples or scalars, which JSON holds, whatever follows them. */
const ROWS_AS_DATA = /\.values(_list)?\(/;

/**
 * A manager's methods that give a QuerySet, last in a chain from `Model.objects`: JSON stores
 * no QuerySet, not even one of values(), until list() makes it one.
 */
const QUERYSET = /\.objects\.(?:.*\.)?(all|filter|exclude|order_by|values|values_list|select_related|prefetch_related|annotate|alias|distinct|only|defer|none|reverse|using)$/s;

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
 * expression makes it plain (a `datetime.now()`, a set literal, `request.user`, an instance
 * of a plain class of the file, …).
 */
export function nonJsonValueKind(node: Node): string | undefined {
  switch (node.type) {
    case 'set':
    case 'set_comprehension':
      return 'set';
    case 'string':
      return stringPrefix(node).includes('b') ? 'bytes' : undefined;
    case 'attribute':
      if (/^(?:(?:datetime\.)?timezone|pytz|dt_timezone)\.utc$|^(?:datetime\.)?UTC$/.test(node.text)) {
        return 'time zone';
      }
      return /(^|\.)request\.user$|^self\.request\.user$/.test(node.text) ? 'model instance' : undefined;
    case 'binary_operator':
      return dateArithmeticKind(node) ?? operatorKind(node);
    case 'parenthesized_expression':
      return node.firstNamedChild ? nonJsonValueKind(node.firstNamedChild) : undefined;
    case 'call': {
      const callee = node.childForFieldName('function')?.text ?? '';
      const changed = sameTypeChange(node);
      if (changed) {
        return changed;
      }
      if (isStrEncode(node, callee)) {
        return 'bytes';
      }
      const kind = CALL_KINDS.find(([pattern]) => pattern.test(callee))?.[1];
      if (kind === undefined && /^[A-Z]\w*$/.test(callee) && modelClassNames(node).has(callee)) {
        return 'model instance';
      }
      if (kind === undefined && /^[A-Z]\w*$/.test(callee) && plainClassNames(node).has(callee)) {
        return `${callee} instance`;
      }
      if (kind === undefined && QUERYSET.test(callee)) {
        return ROWS_AS_DATA.test(`${callee}(`) ? 'QuerySet of values' : 'QuerySet';
      }
      return kind === 'model instance' && ROWS_AS_DATA.test(callee) ? undefined : kind;
    }
    default:
      return undefined;
  }
}

/** The date and time methods that give a value of their object's type: `utcfromtimestamp(t).replace(tzinfo=utc)`, `now().astimezone(tz)`, `today().replace(day=1)`. */
const SAME_TYPE_METHODS = new Set(['replace', 'astimezone']);

function sameTypeChange(call: Node): string | undefined {
  const callee = call.childForFieldName('function');
  const object = callee?.type === 'attribute' && SAME_TYPE_METHODS.has(callee.childForFieldName('attribute')?.text ?? '') ? callee.childForFieldName('object') : null;
  const kind = object?.type === 'call' ? nonJsonValueKind(object) : undefined;
  return kind === 'datetime' || kind === 'date' ? kind : undefined;
}

/** The literals whose parts JSON stores one by one, and what a message calls them. */
const CONTAINERS: Record<string, string> = { dictionary: 'dict', list: 'list', tuple: 'tuple', parenthesized_expression: '' };

/**
 * The values JSONSerializer cannot encode in a stored expression: the expression itself (see
 * nonJsonValueKind), or the items of the dict, list and tuple literals it is made of, each with
 * the outermost container it is in (`{"exp": now()}` is a dict holding a datetime); with
 * `valueOf`, a local's too, by the value its function binds it to.
 */
export function nonJsonParts(node: Node, valueOf?: (local: Node) => Node | undefined): { node: Node; kind: string; inside?: string }[] {
  const kind = node.type === 'identifier' && valueOf ? localValueKind(node, valueOf) : nonJsonValueKind(node);
  if (kind) {
    return [{ node, kind }];
  }
  const container = CONTAINERS[node.type];
  if (container === undefined) {
    return [];
  }
  const items = node.namedChildren.flatMap((child) => (child === null || child.type === 'comment' ? [] : child.type === 'pair' ? [child.childForFieldName('value')] : [child]));
  return items.flatMap((item) => (item ? nonJsonParts(item, valueOf) : [])).map((part) => (container ? { ...part, inside: container } : part));
}

/**
 * The kind of the value a local holds, where its function binds it once (`tz = timezone(name)`,
 * also `a = b = timezone(name)`: kitsune's): reported at the local, where the quick fix converts it.
 */
function localValueKind(local: Node, valueOf: (local: Node) => Node | undefined): string | undefined {
  let value = valueOf(local);
  while (value?.type === 'assignment') {
    value = value.childForFieldName('right') ?? undefined;
  }
  return value ? nonJsonValueKind(value) : undefined;
}

function isPointInTime(kind: string | undefined): kind is 'datetime' | 'date' {
  return kind === 'datetime' || kind === 'date';
}

/** Operators whose result keeps an operand's type: a Decimal's arithmetic, a set's union, intersection and differences. */
const KEEPS_KIND: Record<string, Set<string>> = { Decimal: new Set(['+', '-', '*', '/', '//', '%']), set: new Set(['|', '&', '-', '^']) };

/** `Decimal(price) * qty` is a Decimal, `set(tags) | {tag}` a set. */
function operatorKind(node: Node): string | undefined {
  const operator = node.childForFieldName('operator')?.type ?? '';
  const operands = [node.childForFieldName('left'), node.childForFieldName('right')];
  for (const operand of operands) {
    const kind = operand ? nonJsonValueKind(operand) : undefined;
    if (kind && KEEPS_KIND[kind]?.has(operator)) {
      return kind;
    }
  }
  return undefined;
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
  if (isPointInTime(a) && isPointInTime(b)) {
    return operator === '-' ? 'timedelta' : undefined;
  }
  if (isPointInTime(a) && (b === 'timedelta' || operator === '+')) {
    return a;
  }
  if (isPointInTime(b) && a === 'timedelta' && operator === '+') {
    return b;
  }
  return a === 'timedelta' && b === 'timedelta' ? 'timedelta' : undefined;
}
