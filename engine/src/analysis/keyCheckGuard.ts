import type { Node } from 'web-tree-sitter';
import { stringLiteralValue } from './stringLiteral';

/** Where a guard stops being plainly in force: the code inside runs elsewhere, or later. */
const SCOPE_BOUNDARIES = new Set(['function_definition', 'lambda', 'class_definition']);
/** Statements after which the rest of a block does not run. */
const EXITS = new Set(['return_statement', 'raise_statement']);

/**
 * Whether an `in` check of the same key on the same session plainly guards an access that raises
 * KeyError where the key is missing (`session[k]`, `del session[k]`, `session.pop(k)`): the access
 * is in the body of `if k in session:` (or of its `elif`, or after `k in session and`), in
 * `session[k] if k in session else d`, or after `if k not in session: return` (or `raise`)
 * earlier in a block around it. `access` is the subscript or call, `key` its key expression and
 * `receiver` the session it reads; keys and sessions compare as written.
 */
export function isKeyCheckGuarded(access: Node, key: Node, receiver: Node): boolean {
  const check = { key: keyName(key), session: receiver.text };
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
}

/** Whether `parent` runs `child` only where the key is in the session. */
function guardsChild(parent: Node, child: Node, check: KeyCheck): boolean {
  switch (parent.type) {
    case 'if_statement':
    case 'elif_clause':
      return parent.childForFieldName('consequence')?.id === child.id && holdsWhenTrue(parent.childForFieldName('condition'), check);
    case 'conditional_expression':
      return parent.namedChildren[0]?.id === child.id && holdsWhenTrue(parent.namedChildren[1] ?? null, check);
    case 'boolean_operator':
      return parent.childForFieldName('operator')?.type === 'and' && parent.childForFieldName('right')?.id === child.id && holdsWhenTrue(parent.childForFieldName('left'), check);
    case 'block':
    case 'module':
      return earlierSiblings(child).some((statement) => exitsWhenMissing(statement, check));
    default:
      return false;
  }
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
  if (statement.type !== 'if_statement' || statement.childForFieldName('alternative') || !holdsWhenFalse(statement.childForFieldName('condition'), check)) {
    return false;
  }
  const body = statement.childForFieldName('consequence')?.namedChildren.filter((node) => node?.type !== 'comment') ?? [];
  return EXITS.has(body.at(-1)?.type ?? '');
}

/** Whether the key is in the session wherever `condition` is true: `k in session`, or an `and` with it. */
function holdsWhenTrue(condition: Node | null, check: KeyCheck): boolean {
  const test = unparenthesized(condition);
  if (test?.type === 'boolean_operator' && test.childForFieldName('operator')?.type === 'and') {
    return holdsWhenTrue(test.childForFieldName('left'), check) || holdsWhenTrue(test.childForFieldName('right'), check);
  }
  return membership(test, check) === 'in';
}

/** Whether the key is in the session wherever `condition` is false: `k not in session`, or an `or` with it. */
function holdsWhenFalse(condition: Node | null, check: KeyCheck): boolean {
  const test = unparenthesized(condition);
  if (test?.type === 'boolean_operator' && test.childForFieldName('operator')?.type === 'or') {
    return holdsWhenFalse(test.childForFieldName('left'), check) || holdsWhenFalse(test.childForFieldName('right'), check);
  }
  return membership(test, check) === 'not in';
}

/** `in` or `not in` where `test` compares the checked key with the checked session, and nothing else. */
function membership(test: Node | null, check: KeyCheck): 'in' | 'not in' | undefined {
  if (test?.type !== 'comparison_operator' || test.namedChildCount !== 2) {
    return undefined;
  }
  const [left, right] = test.namedChildren;
  if (!left || !right || keyName(left) !== check.key || unparenthesized(right)?.text !== check.session) {
    return undefined;
  }
  const operator = test.children.filter((part) => part !== null && !part.isNamed).map((part) => part!.type).join(' ');
  return operator === 'in' || operator === 'not in' ? operator : undefined;
}

function unparenthesized(node: Node | null): Node | null {
  return node?.type === 'parenthesized_expression' ? unparenthesized(node.namedChildren[0] ?? null) : node;
}

/** A key as compared: a str literal by its value (so `'a'` and `"a"` agree), anything else by its text. */
function keyName(key: Node): string {
  const value = stringLiteralValue(key);
  return value === undefined ? key.text : JSON.stringify(value);
}
