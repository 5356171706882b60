import type { Node } from 'web-tree-sitter';
import { awaited } from './receiverMatches';
import type { SessionOp } from './sessionKeyUsage';
import { stringLiteralValue } from './stringLiteral';

const POPS = new Set(['pop', 'apop']);
/** What precedes an expression that is a statement of its own on its line: indentation, a `:` or `;`, perhaps `await`. */
const STATEMENT_START = /(?:^|[:;])[ \t]*(?:await[ \t]+)?$/;
/** What precedes the condition of an `if` on its line (not an `elif`'s). */
const IF_CONDITION = /(?:^|[\s:;])if[ \t]+(?:await[ \t]+)?$/;

/**
 * Whether a read of `key` only serves to remove it: a `pop` whose value is dropped
 * (`session.pop("old", None)` as a statement), or an `in` test or a `get` that is the whole
 * condition of an `if` without `elif` or `else` whose body only deletes keys of the same
 * session, this one among them (`if "old" in session: del session["old"]`). Such cleanup of a
 * key no longer written is no sign of a misspelt read, nor does it read a key that is written.
 * The text before the read on its line is looked at first, so most reads cost no call into the tree.
 */
export function isCleanupRead(op: SessionOp, key: Node, receiver: Node, text: string): boolean {
  switch (op) {
    case 'pop':
      return STATEMENT_START.test(lineBefore(text, receiver.startIndex)) && awaitedCall(key)?.parent?.type === 'expression_statement';
    case 'get':
      return IF_CONDITION.test(lineBefore(text, receiver.startIndex)) && guardsDeletion(awaitedCall(key), receiver, key);
    case 'contains':
      return IF_CONDITION.test(lineBefore(text, key.startIndex)) && guardsDeletion(key.parent, receiver, key);
    default:
      return false;
  }
}

function lineBefore(text: string, offset: number): string {
  return text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
}

/** The call (or the `await` of it) whose first argument is `key`. */
function awaitedCall(key: Node): Node | undefined {
  const call = key.parent?.parent;
  return call?.type === 'call' ? awaited(call) : undefined;
}

/** Whether `test` is the whole condition of an `if` (no `elif`, no `else`) whose body only deletes keys of `receiver`, `key` among them. */
function guardsDeletion(test: Node | null | undefined, receiver: Node, key: Node): boolean {
  const statement = test?.parent;
  if (!test || statement?.type !== 'if_statement' || statement.childForFieldName('condition')?.id !== test.id || statement.childForFieldName('alternative')) {
    return false;
  }
  const session = receiver.text;
  const name = keyName(key);
  let deletesKey = false;
  for (const child of statement.childForFieldName('consequence')?.namedChildren ?? []) {
    const deleted = child?.type === 'comment' ? [] : deletedKeys(child, session);
    if (!deleted) {
      return false;
    }
    deletesKey ||= deleted.includes(name);
  }
  return deletesKey;
}

/** The keys (see keyName) a statement deletes from the session spelled `session`: by `del` or a dropped `pop`; undefined when it does anything else. */
function deletedKeys(statement: Node | null, session: string): string[] | undefined {
  if (statement?.type === 'delete_statement') {
    const targets = deleteTargets(statement.firstNamedChild);
    const keys = targets.map((subscript) => (subscript?.type === 'subscript' && subscript.childForFieldName('value')?.text === session ? subscript.childForFieldName('subscript') : null));
    return keys.every((deleted) => deleted) ? keys.map((deleted) => keyName(deleted!)) : undefined;
  }
  const value = statement?.type === 'expression_statement' ? statement.firstNamedChild : null;
  const call = value?.type === 'await' ? value.firstNamedChild : value;
  const callee = call?.type === 'call' ? call.childForFieldName('function') : null;
  const key = call?.childForFieldName('arguments')?.firstNamedChild;
  const pops = callee?.type === 'attribute' && POPS.has(callee.childForFieldName('attribute')?.text ?? '') && callee.childForFieldName('object')?.text === session;
  return pops && key ? [keyName(key)] : undefined;
}

/** The targets of `del`, through the parentheses and brackets Python allows around them: `del(session[k])`, `del (a[k], b[j])`. */
function deleteTargets(target: Node | null): (Node | null)[] {
  if (target?.type === 'parenthesized_expression' || target?.type === 'expression_list' || target?.type === 'tuple' || target?.type === 'list') {
    return target.namedChildren.filter((child) => child?.type !== 'comment').flatMap(deleteTargets);
  }
  return [target];
}

/** A key as the guard and the deletion are compared: a literal by its value (`'k'` is `"k"`), anything else by its text. */
function keyName(key: Node): string {
  const value = stringLiteralValue(key);
  return value === undefined ? key.text : JSON.stringify(value);
}
