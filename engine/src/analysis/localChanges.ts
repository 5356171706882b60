import type { Node } from 'web-tree-sitter';
import type { LocalBindings } from './localBindings';
import type { Scopes } from './scopes';
import { nodesSpelled } from './textAnchors';

/** Methods that change a list, dict or set in place. */
export const MUTATING_METHODS = new Set(['append', 'extend', 'insert', 'remove', 'pop', 'clear', 'update', 'add', 'discard', 'setdefault', 'sort', 'reverse']);

/** Literals a default that is the same on every request is made of. */
const CONSTANT_LITERALS = new Set(['string', 'integer', 'float', 'true', 'false', 'none', 'list', 'dictionary', 'tuple', 'set', 'pair', 'concatenated_string']);

/**
 * Whether a call of a mutating method, its value unused, loses nothing when it is not saved:
 * `sort()`, and `setdefault(k)` or `setdefault(k, [])` with a literal default, which the next
 * request's same call redoes alike (a cart filled with its defaults). `setdefault("first_seen", now())` does not.
 */
export function redoneAlike(method: string, call: Node | null): boolean {
  if (method === 'sort') {
    return true;
  }
  const args = call?.type === 'call' ? call.childForFieldName('arguments')?.namedChildren.filter((arg) => arg?.type !== 'comment') : undefined;
  return method === 'setdefault' && args !== undefined && args.length <= 2 && (args[1] === undefined || isConstantLiteral(args[1]));
}

function isConstantLiteral(node: Node | null): boolean {
  return node !== null && CONSTANT_LITERALS.has(node.type) && node.namedChildren.every((child) => child?.type === 'comment' || child?.type === 'string_start' || child?.type === 'string_content' || child?.type === 'string_end' || isConstantLiteral(child));
}

/** A name followed by a method call or a subscript, as every in-place change of it starts. */
const CHANGE_SYNTAX = (name: string): RegExp => new RegExp(`(?<![\\w.])${name}\\s*[.[]`);

/** One in-place change of the object a local names: `items.append(1)`, `items["n"] = 1`, `del items[0]`. */
interface LocalChange {
  /** The local's name (or the expression) where it is changed. */
  target: Node;
  statement: Node;
}

/**
 * The in-place changes of the object a local holds, after the statement that bound it, in the
 * function that bound it (nested functions bind their own names). Found from the name's
 * occurrences in the text, as LocalBindings finds bindings.
 */
export function localChanges(root: Node, text: string, scopes: Scopes, locals: LocalBindings, local: Node, depth = 0): LocalChange[] {
  const fn = scopes.functionOf(local);
  // Most locals are only passed on: without `name.` or `name[` after the binding, no node is looked up.
  if (!fn || !CHANGE_SYNTAX(local.text).test(text.slice(local.endIndex, fn.endIndex))) {
    return [];
  }
  const changes: LocalChange[] = [];
  for (const identifier of nodesSpelled(root, text, local.text, local.endIndex, fn.endIndex)) {
    if (identifier.type !== 'identifier' || scopes.functionOf(identifier)?.startIndex !== fn.startIndex) {
      continue;
    }
    const change = inPlaceChange(identifier);
    if (change) {
      changes.push(change);
      continue;
    }
    // `item = cart.setdefault(pid, {})`, `item = cart[pid]`, `for item in cart.values()`: the local
    // holds a value inside, and its changes are changes of this one too.
    const inner = depth < MAX_HOLDING_DEPTH ? heldLocal(identifier, locals) : undefined;
    if (inner) {
      changes.push(...localChanges(root, text, scopes, locals, inner, depth + 1));
    }
  }
  return changes;
}

/** How many locals deep a value held in another is followed (`cart` → `item` → `line`). */
const MAX_HOLDING_DEPTH = 3;

/**
 * The local a value held in `node`'s object is bound to, once in its function: by a plain
 * assignment of `node[…]`, `node.get(…)` or `node.setdefault(…)`, or as the variable of a `for`
 * over `node`, `node.values()` or such a held value.
 */
export function heldLocal(node: Node, locals: LocalBindings): Node | undefined {
  let held: Node = node;
  for (let next = heldContainer(held); next; next = heldContainer(held)) {
    held = next;
  }
  const parent = held.parent;
  let target: Node | null = null;
  if (held !== node && parent?.type === 'assignment' && parent.childForFieldName('right')?.startIndex === held.startIndex) {
    target = parent.childForFieldName('left');
  } else if (parent?.type === 'for_statement' && parent.childForFieldName('right')?.startIndex === held.startIndex) {
    target = held === node || held.type === 'subscript' || held.type === 'call' ? parent.childForFieldName('left') : null;
  } else if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.text === 'values' && parent.parent?.type === 'call' && parent.parent.parent?.type === 'for_statement') {
    target = parent.parent.parent.childForFieldName('left');
  }
  // Bound again elsewhere in the function, the local may hold something else where it is changed.
  return target?.type === 'identifier' && locals.boundOnce(target) ? target : undefined;
}

/**
 * The statement that changes in place the object a node evaluates to, when the node is the start
 * of one: `node.append(1)`, `node["n"] = 1`, `node["n"] += 1`, `del node[0]`, also through the
 * containers it holds (`node["items"].append(1)`, `node["a"]["b"] = 1`,
 * `node.setdefault(pid, []).append(1)`).
 */
export function inPlaceChange(node: Node): LocalChange | undefined {
  for (let held: Node | null = node; held; held = heldContainer(held)) {
    const change = changeOf(held);
    if (change) {
      return { target: node, statement: change.statement };
    }
  }
  return undefined;
}

/** Methods whose result is a value the container holds, not a copy: changing it changes the container. */
const HOLDING_METHODS = new Set(['get', 'setdefault']);

/**
 * `node[…]`, `node.get(…)` or `node.setdefault(…)` when the node starts one: a value it holds,
 * changed in place along with it.
 */
function heldContainer(node: Node): Node | null {
  const parent = node.parent;
  if (!parent || parent.startIndex !== node.startIndex) {
    return null;
  }
  if (parent.type === 'subscript') {
    return parent.childForFieldName('value')?.endIndex === node.endIndex ? parent : null;
  }
  const call = parent.parent;
  const holds = parent.type === 'attribute' && HOLDING_METHODS.has(parent.childForFieldName('attribute')?.text ?? '');
  return holds && call?.type === 'call' && call.startIndex === parent.startIndex ? call : null;
}

function changeOf(node: Node): LocalChange | undefined {
  const parent = node.parent;
  if (!parent || parent.startIndex !== node.startIndex) {
    return undefined;
  }
  const outer = parent.parent;
  const method = parent.type === 'attribute' ? (parent.childForFieldName('attribute')?.text ?? '') : '';
  if (MUTATING_METHODS.has(method)) {
    const statement = outer?.type === 'call' && outer.startIndex === parent.startIndex ? outer.parent : null;
    return statement?.type === 'expression_statement' && !redoneAlike(method, outer) ? { target: node, statement } : undefined;
  }
  if (parent.type === 'subscript' && outer) {
    const type = outer.type;
    if ((type === 'assignment' || type === 'augmented_assignment') && outer.startIndex === parent.startIndex) {
      return { target: node, statement: outer.parent ?? outer };
    }
    if (type === 'delete_statement' || (type === 'expression_list' && outer.parent?.type === 'delete_statement')) {
      return { target: node, statement: type === 'delete_statement' ? outer : outer.parent! };
    }
  }
  return undefined;
}
