import type { Node } from 'web-tree-sitter';
import { stringLiteralValue } from './stringLiteral';

/** Where a guard stops being plainly in force: the code inside runs elsewhere, or later. */
const SCOPE_BOUNDARIES = new Set(['function_definition', 'lambda', 'class_definition']);
/** Statements after which the rest of a block does not run (in a loop's body, `continue` and `break` leave it too). */
const EXITS = new Set(['return_statement', 'raise_statement', 'continue_statement', 'break_statement']);
/** Exceptions whose `except` catches the KeyError a missing key raises. */
const CATCHES_KEY_ERROR = new Set(['KeyError', 'LookupError', 'Exception', 'BaseException', 'builtins.KeyError', 'builtins.LookupError', 'builtins.Exception']);
/** Session methods whose call is true only where the key is in the session: `has_key(k)`, or `get(k)` without a default, whose value is then not None. */
const PRESENT_WHEN_TRUE = new Set(['has_key', 'ahas_key', 'get', 'aget']);

/** The session a receiver names, as compared: an alias (`s` of `s = request.session`) by the text of the session it stands for. */
export type SessionText = (receiver: Node) => string;

/**
 * Whether a check of the same key on the same session plainly guards an access that raises
 * KeyError where the key is missing (`session[k]`, `del session[k]`, `session.pop(k)`): the access
 * is in the body of `if k in session:` (or of its `elif`, or after `k in session and`, or
 * `k not in session or`), in
 * `session[k] if k in session else d`, or after `if k not in session: return` (or `raise`, or in
 * a loop `continue` or `break`) earlier in a block around it, or is in the body of a `try` one of
 * whose `except` clauses catches KeyError (also as LookupError or Exception, or a bare `except:`). The check is `k in session` (or
 * `session.keys()`), `session.has_key(k)`, `await session.ahas_key(k)`, or a truthy
 * `session.get(k)` (no default) or `session.get(k) is not None`, each also under `not`.
 * `access` is the subscript or call, `key` its key expression and `receiver` the session it
 * reads; keys compare as written, sessions by `sessionText`.
 */
export function isKeyCheckGuarded(access: Node, key: Node, receiver: Node, sessionText: SessionText): boolean {
  const check: KeyCheck = { key: keyName(key), session: sessionText(receiver), sessionText };
  let child = access;
  for (let parent = access.parent; parent && !SCOPE_BOUNDARIES.has(parent.type); child = parent, parent = parent.parent) {
    if (guardsChild(parent, child, check)) {
      return true;
    }
  }
  return false;
}

interface KeyCheck {
  key: string;
  session: string;
  sessionText: SessionText;
}

/** Whether `parent` runs `child` only where the key is in the session. */
function guardsChild(parent: Node, child: Node, check: KeyCheck): boolean {
  switch (parent.type) {
    case 'if_statement':
    case 'elif_clause':
      return parent.childForFieldName('consequence')?.id === child.id && holdsWhen(parent.childForFieldName('condition'), true, check);
    case 'conditional_expression':
      return parent.namedChildren[0]?.id === child.id && holdsWhen(parent.namedChildren[1] ?? null, true, check);
    case 'boolean_operator':
      // The right side of `and` runs where the left is true, that of `or` where it is false.
      return parent.childForFieldName('right')?.id === child.id && holdsWhen(parent.childForFieldName('left'), parent.childForFieldName('operator')?.type === 'and', check);
    case 'try_statement':
      return parent.childForFieldName('body')?.id === child.id && parent.namedChildren.some((clause) => clause?.type === 'except_clause' && catchesKeyError(clause));
    case 'block':
    case 'module':
      return earlierSiblings(child).some((statement) => exitsWhenMissing(statement, check));
    default:
      return false;
  }
}

/** `except:`, `except KeyError:`, `except (ValueError, KeyError) as e:` and the like. */
function catchesKeyError(clause: Node): boolean {
  const value = clause.childForFieldName('value');
  if (!value) {
    return true;
  }
  const caught = unparenthesized(value.type === 'as_pattern' ? (value.namedChildren[0] ?? null) : value);
  const names = caught?.type === 'tuple' ? caught.namedChildren : [caught];
  return names.some((name) => name !== null && CATCHES_KEY_ERROR.has(name.text));
}

function earlierSiblings(node: Node): Node[] {
  const siblings: Node[] = [];
  for (let sibling = node.previousNamedSibling; sibling; sibling = sibling.previousNamedSibling) {
    siblings.push(sibling);
  }
  return siblings;
}

/** `if k not in session: … return` (no `elif`, no `else`): what follows it runs only where the key is in the session. */
function exitsWhenMissing(statement: Node, check: KeyCheck): boolean {
  if (statement.type !== 'if_statement' || statement.childForFieldName('alternative') || !holdsWhen(statement.childForFieldName('condition'), false, check)) {
    return false;
  }
  const body = statement.childForFieldName('consequence')?.namedChildren.filter((node) => node?.type !== 'comment') ?? [];
  return EXITS.has(body.at(-1)?.type ?? '');
}

/**
 * Whether the key is in the session wherever `condition` is `outcome`: `k in session` is true,
 * `k not in session` false, `not` turns one into the other; an `and` is true, or an `or` false,
 * where one side is so, and an `and` false, or an `or` true, only where both sides hold it.
 */
function holdsWhen(condition: Node | null, outcome: boolean, check: KeyCheck): boolean {
  const test = unparenthesized(condition);
  if (!test) {
    return false;
  }
  if (test.type === 'not_operator') {
    return holdsWhen(test.childForFieldName('argument'), !outcome, check);
  }
  if (test.type === 'boolean_operator') {
    const sides = [test.childForFieldName('left'), test.childForFieldName('right')];
    const either = (test.childForFieldName('operator')?.type === 'and') === outcome;
    return either ? sides.some((side) => holdsWhen(side, outcome, check)) : sides.every((side) => holdsWhen(side, outcome, check));
  }
  return presentWhen(test, check) === outcome;
}

/** Whether `test` is true (or false) only where the checked key is in the checked session, and undefined where it tells neither. */
function presentWhen(test: Node, check: KeyCheck): boolean | undefined {
  if (test.type !== 'comparison_operator') {
    return presenceCall(test, check) ? true : undefined;
  }
  if (test.namedChildCount !== 2) {
    return undefined;
  }
  const [left, right] = test.namedChildren;
  const operator = test.children.filter((part) => part !== null && !part.isNamed).map((part) => part!.type).join(' ');
  if (!left || !right) {
    return undefined;
  }
  if ((operator === 'in' || operator === 'not in') && keyName(left) === check.key && isCheckedSession(sessionOfKeys(unparenthesized(right)), check)) {
    return operator === 'in';
  }
  // `session.get(k) is not None`: without a default, get() gives None only where the key is missing (or holds None).
  if ((operator === 'is not' || operator === 'is') && right.type === 'none' && presenceCall(left, check)?.method.endsWith('get')) {
    return operator === 'is not';
  }
  return undefined;
}

/** `session.has_key(k)`, `session.get(k)` (also awaited, as `ahas_key`, `aget`): a call true only where the key is in the session. */
function presenceCall(node: Node | null, check: KeyCheck): { method: string } | undefined {
  const expression = unparenthesized(node);
  const call = expression?.type === 'await' ? unparenthesized(expression.namedChildren[0] ?? null) : expression;
  const callee = call?.type === 'call' ? call.childForFieldName('function') : null;
  const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
  const args = call?.childForFieldName('arguments')?.namedChildren.filter((arg) => arg?.type !== 'comment') ?? [];
  if (!method || !PRESENT_WHEN_TRUE.has(method) || args.length !== 1 || args[0]!.type === 'keyword_argument' || keyName(args[0]!) !== check.key) {
    return undefined;
  }
  return isCheckedSession(callee!.childForFieldName('object'), check) ? { method } : undefined;
}

/** The session a membership test looks in: `session` itself, or `session.keys()`. */
function sessionOfKeys(node: Node | null): Node | null {
  const callee = node?.type === 'call' && node.childForFieldName('arguments')?.namedChildCount === 0 ? node.childForFieldName('function') : null;
  return callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'keys' ? callee.childForFieldName('object') : node;
}

function isCheckedSession(node: Node | null, check: KeyCheck): boolean {
  const session = unparenthesized(node);
  return session !== null && check.sessionText(session) === check.session;
}

function unparenthesized(node: Node | null): Node | null {
  return node?.type === 'parenthesized_expression' ? unparenthesized(node.namedChildren[0] ?? null) : node;
}

/** A key as compared: a str literal by its value (so `'a'` and `"a"` agree), anything else by its text. */
function keyName(key: Node): string {
  const value = stringLiteralValue(key);
  return value === undefined ? key.text : JSON.stringify(value);
}
