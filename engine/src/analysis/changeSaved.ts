import type { Node } from 'web-tree-sitter';

/**
 * A statement that makes Django save the session, in the function of an in-place change: a write
 * or `del` of the changed key, `modified = …`, or `save()`.
 */
export interface SavePoint {
  /** A node of the statement (its session receiver). */
  node: Node;
  /**
   * `save()` stores the session as it is at that moment, so only a later call saves a change; a
   * write or `modified = True` marks the session, which Django then saves at the end of the request.
   */
  savesNow: boolean;
}

/**
 * Blocks whose statements run whenever the statement around them does: an exception aside, a
 * `with` body and a `finally` clause always run. The body of a `try` does not count: an exception
 * can skip the rest of it, and the `except` clause carries on without it.
 */
const ALWAYS_RUN = new Set(['with_statement', 'finally_clause']);

/** Expressions that may skip a part of themselves: a write inside one may not run. */
const MAY_SKIP = new Set(['conditional_expression', 'boolean_operator', 'lambda', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/**
 * Whether a save point saves an in-place change (`change`, a statement of the same function):
 * it runs after the change on a path the change is on, or, unless it is `save()`, it runs before
 * the change on every path that reaches it. A write that runs only sometimes before the change
 * (`if 'cart' not in session: session['cart'] = []`) does not save it: from the second request
 * on, the write is skipped and the change is lost.
 */
export function savesChange(point: SavePoint, change: Node): boolean {
  const node = point.node;
  if (node.startIndex >= change.endIndex) {
    return !inOtherBranch(node, change);
  }
  return !point.savesNow && node.endIndex <= change.startIndex && runsBeforeOnEveryPath(node, change);
}

/** Whether a node before `change` runs on every path to it: the block it always runs with holds `change` too. */
function runsBeforeOnEveryPath(node: Node, change: Node): boolean {
  for (let at: Node | null = node.parent; at; at = at.parent) {
    const type = at.type;
    if (MAY_SKIP.has(type)) {
      return false;
    }
    if (type === 'module' || (type === 'block' && !ALWAYS_RUN.has(at.parent?.type ?? ''))) {
      return holds(at, change);
    }
  }
  return false;
}

/**
 * Whether a node after `change` is in a branch that excludes the change's: another clause of the
 * same `if` or `match`, or another `except` (or the `else`) of the `try` whose body does not hold it.
 */
function inOtherBranch(node: Node, change: Node): boolean {
  let child = node;
  for (let at = node.parent; at; child = at, at = at.parent) {
    if (!holds(at, change)) {
      continue;
    }
    const type = at.type;
    if (type === 'if_statement' || child.type === 'case_clause') {
      return true;
    }
    if (type === 'try_statement') {
      const body = at.childForFieldName('body');
      return child.type !== 'finally_clause' && child.id !== body?.id && !(body && holds(body, change));
    }
    return false;
  }
  return false;
}

function holds(outer: Node, inner: Node): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}
