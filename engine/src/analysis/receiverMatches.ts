import type { Node } from 'web-tree-sitter';
import { isExpressionNode, nodesSpelled } from './textAnchors';
import { inPlaceChange } from './localChanges';

/** The nodes of one session access by role (`receiver`, `set.key`, `call.method`, …). */
export type Captures = Map<string, Node>;

const SESSION = 'session';
const DOT = 46;

/** `request.session`-like attributes: any `.session` except on the `requests` module. */
export function sessionAttributes(root: Node, text: string): Node[] {
  const found: Node[] = [];
  for (let at = text.indexOf(SESSION); at !== -1; at = text.indexOf(SESSION, at + SESSION.length)) {
    const attribute = text.charCodeAt(at - 1) === DOT ? attributeEndingAt(root, text, at) : undefined;
    if (attribute !== undefined) {
      if (attribute && isSessionOwner(attribute.childForFieldName('object'))) {
        found.push(attribute);
      }
      continue;
    }
    for (const name of nodesSpelled(root, text, SESSION, at, at + SESSION.length)) {
      const parent = name.type === 'identifier' ? name.parent : null;
      if (parent?.type === 'attribute' && sameNode(parent.childForFieldName('attribute'), name) && isSessionOwner(parent.childForFieldName('object'))) {
        found.push(parent);
      }
    }
  }
  return found;
}

/**
 * The attribute node whose name is the word at `at`, right after a `.`: the smallest node
 * around the dot and the word is that attribute when there is one, found in one call instead
 * of the name, its parent and the parent's name field. Null when the word is not such a name
 * (inside a string or a comment, a longer name, part of an import); undefined after a digit,
 * where the dot may end a float (`1.session`), so the caller looks the slow way.
 */
function attributeEndingAt(root: Node, text: string, at: number): Node | null | undefined {
  const end = at + SESSION.length;
  const before = text.charCodeAt(at - 2);
  if (end < text.length && isNameChar(text.charCodeAt(end))) {
    return null;
  }
  // A number before the dot (`1.session`) lexes as a float; leave that to the general path.
  if (before >= 48 && before <= 57) {
    return undefined;
  }
  const node = root.descendantForIndex(at - 1, end);
  return node && node.type === 'attribute' && node.endIndex === end ? node : null;
}

/** An ASCII letter, digit or underscore: the word would be part of a longer name. */
function isNameChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || (code >= 48 && code <= 57);
}

/** Where the `session` name of a `.session` attribute starts. */
export function sessionNameOffset(attribute: Node): number {
  return attribute.endIndex - SESSION.length;
}

function isSessionOwner(object: Node | null): boolean {
  return isExpressionNode(object) && object.text !== 'requests';
}

/**
 * The name a `.session` attribute is bound to (`s = request.session`, `(s := request.session)`),
 * if it is. `binding` is the receiver's parent, when the caller has it already.
 */
export function aliasName(receiver: Node, binding: Node | null = receiver.parent): Node | undefined {
  const type = binding?.type;
  const [nameField, valueField] = type === 'assignment' ? ['left', 'right'] : type === 'named_expression' ? ['name', 'value'] : [];
  if (!binding || !nameField || !valueField || !sameNode(binding.childForFieldName(valueField), receiver)) {
    return undefined;
  }
  const name = binding.childForFieldName(nameField);
  return name?.type === 'identifier' ? name : undefined;
}

/**
 * Every identifier spelled like one of the aliases, wherever it stands, in source order,
 * except those starting at an offset in `skip`.
 */
export function aliasIdentifiers(root: Node, text: string, aliases: Iterable<string>, skip?: ReadonlySet<number>): Node[] {
  return [...aliases]
    .flatMap((alias) => nodesSpelled(root, text, alias, 0, text.length, skip).filter((node) => node.type === 'identifier'))
    .sort((a, b) => a.startIndex - b.startIndex);
}

/**
 * The session accesses around one receiver, read from its ancestors: subscript reads, sets
 * and deletes, `in` tests, method calls, `.modified = …`, in-place changes of a stored value,
 * and reads bound straight to a local (`items = session.get(k, [])`), which may be changed next.
 */
export function receiverMatches(receiver: Node): Captures[] {
  return receiverMatchesIn(receiver, receiver.parent);
}

/** `receiverMatches` for a receiver whose parent is known already: `parent` is a costly call. */
export function receiverMatchesIn(receiver: Node, parent: Node | null): Captures[] {
  if (!parent) {
    return [];
  }
  // Each `type` read is a call into WASM, so it is read once.
  const type = parent.type;
  if (type === 'subscript' && isFirstChild(receiver, parent)) {
    return subscriptMatches(receiver, parent);
  }
  if (type === 'attribute' && isFirstChild(receiver, parent)) {
    return attributeMatches(receiver, parent);
  }
  if (type === 'comparison_operator') {
    return containsMatches(receiver, receiver, parent);
  }
  if (type === 'argument_list') {
    return membershipAssertionMatches(receiver, parent);
  }
  if (type === 'keyword_argument' && parent.parent?.type === 'argument_list') {
    return [captures(receiver, ['passed.args', parent.parent])];
  }
  return [];
}

const MEMBERSHIP_ASSERTIONS = new Set(['assertIn', 'assertNotIn']);

/**
 * unittest's `self.assertIn(key, self.client.session)`, which tests as `in` does; any other call
 * the session is an argument of hands it on (see sessionPassed).
 */
function membershipAssertionMatches(receiver: Node, args: Node): Captures[] {
  const callee = args.parent?.type === 'call' ? args.parent.childForFieldName('function') : null;
  if (callee?.type !== 'attribute' || !MEMBERSHIP_ASSERTIONS.has(callee.childForFieldName('attribute')?.text ?? '')) {
    return [captures(receiver, ['passed.args', args])];
  }
  const positional = args.namedChildren.filter((child): child is Node => isExpressionNode(child) && child.type !== 'keyword_argument' && child.type !== 'comment');
  return positional.length >= 2 && sameNode(positional[1], receiver) ? [captures(receiver, ['contains.key', positional[0]!])] : [];
}

function subscriptMatches(receiver: Node, subscript: Node): Captures[] {
  const keys = subscript.childrenForFieldName('subscript').filter(isExpressionNode);
  const matches: Captures[] = keys.map((key) => captures(receiver, ['read.key', key]));
  const outer = subscript.parent;
  if (!outer) {
    return matches;
  }
  const type = outer.type;
  if (type === 'assignment' && !isFirstChild(subscript, outer)) {
    const local = boundLocal(outer);
    if (local) {
      keys.forEach((key) => matches.push(captures(receiver, ['bound.key', key], ['bound.name', local])));
    }
  } else if (type === 'assignment' && isFirstChild(subscript, outer)) {
    const value = outer.childForFieldName('right');
    if (isExpressionNode(value)) {
      keys.forEach((key) => matches.push(captures(receiver, ['set.key', key], ['set.value', value])));
    }
  } else if ((UNPACKING.has(type) || type === 'for_statement') && isUnpackedInto(subscript, outer)) {
    // `state, request.session["state"] = prepare()` and `for session[k] in …` store whatever comes.
    keys.forEach((key) => matches.push(captures(receiver, ['set.key', key])));
  } else if (type === 'augmented_assignment' && isFirstChild(subscript, outer)) {
    // `session[k] += 1` reads the stored value before it sets the new one.
    keys.forEach((key) => matches.push(captures(receiver, ['set.key', key], ['set.augmented', outer])));
  } else if ((type === 'delete_statement' || DELETE_GROUPING.has(type)) && isDeleted(outer)) {
    keys.forEach((key) => matches.push(captures(receiver, ['delete.key', key])));
  } else if (type === 'subscript' && isFirstChild(subscript, outer)) {
    // `session[k]["n"] = 1`, `del session[k]["n"]`, `session[k]["items"].append(1)`: the stored value changes in place.
    const change = inPlaceChange(subscript);
    if (change) {
      keys.forEach((key) => matches.push(captures(receiver, ['mutation.key', key], ['mutation.target', subscript], ['mutation', change.statement])));
    }
  } else if (type === 'attribute' && isFirstChild(subscript, outer)) {
    const method = outer.childForFieldName('attribute');
    const call = outer.parent;
    const statement = call?.parent;
    if (method?.type === 'identifier' && call?.type === 'call' && isFirstChild(outer, call) && statement?.type === 'expression_statement') {
      keys.forEach((key) => matches.push(captures(receiver, ['mutation.key', key], ['mutation.target', subscript], ['mutation.method', method], ['mutation', statement])));
    }
  }
  return matches;
}

const DELETE_GROUPING = new Set(['expression_list', 'parenthesized_expression', 'tuple', 'list']);

/** Whether what `outer` holds is deleted: `del x`, `del x, y`, and `del(x)` as old code writes it (wger). */
function isDeleted(outer: Node): boolean {
  let node: Node | null = outer;
  while (node && DELETE_GROUPING.has(node.type)) {
    node = node.parent;
  }
  return node?.type === 'delete_statement';
}

const UNPACKING = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern']);

/** Whether `target` (whose parent is `outer`) is stored into by unpacking, or as a `for` loop's target. */
function isUnpackedInto(target: Node, outer: Node): boolean {
  let pattern = target;
  let parent: Node | null = outer;
  while (parent && UNPACKING.has(parent.type)) {
    pattern = parent;
    parent = parent.parent;
  }
  const binds = parent?.type === 'for_statement' || (parent?.type === 'assignment' && pattern !== target);
  return binds && parent!.childForFieldName('left')?.id === pattern.id;
}

function attributeMatches(receiver: Node, attribute: Node): Captures[] {
  const name = attribute.childForFieldName('attribute');
  const outer = attribute.parent;
  if (name?.type !== 'identifier' || !outer) {
    return [];
  }
  const type = outer.type;
  if (type === 'call' && isFirstChild(attribute, outer)) {
    const args = outer.childForFieldName('arguments');
    if (args?.type !== 'argument_list') {
      return [];
    }
    const method = name.text;
    if (KEY_VIEWS.has(method)) {
      return keyViewMatches(receiver, name, awaited(outer), args);
    }
    const local = BINDING_READS.has(method) ? boundLocal(orDefault(awaited(outer)).parent) : undefined;
    return [local ? captures(receiver, ['call.method', name], ['call.args', args], ['bound.name', local]) : captures(receiver, ['call.method', name], ['call.args', args])];
  }
  if (type === 'assignment' && name.text === 'modified' && isFirstChild(attribute, outer)) {
    return [captures(receiver, ['modified', outer])];
  }
  return [];
}

/** `keys()` and Django's async `akeys()`: an `in` test on what they return tests the session's keys. */
const KEY_VIEWS = new Set(['keys', 'akeys']);

/** `key in session.keys()` (`in await session.akeys()`) tests for the key as `key in session` does; iterating the keys uses none, but is a call all the same. */
function keyViewMatches(receiver: Node, name: Node, view: Node, args: Node): Captures[] {
  const comparison = view.parent;
  const tests = comparison?.type === 'comparison_operator' && args.namedChildCount === 0 ? containsMatches(receiver, view, comparison) : [];
  if (tests.length === 0) {
    return [captures(receiver, ['call.method', name], ['call.args', args])];
  }
  // `k in await session.akeys()` loads the session without blocking, as `ahas_key` does.
  if (name.text === 'akeys') {
    tests.forEach((test) => test.set('contains.async', view));
  }
  return tests;
}

/** `session.get(k) or {}`: the stored value where it is truthy, as `session.get(k, {})` gives it; else the read itself. */
function orDefault(read: Node): Node {
  const parent = read.parent;
  return parent?.type === 'boolean_operator' && parent.childForFieldName('operator')?.type === 'or' && parent.childForFieldName('left')?.id === read.id ? parent : read;
}

/** Reads whose result may be the stored object itself, which a local can then change in place. */
const BINDING_READS = new Set(['get', 'aget', 'setdefault', 'asetdefault']);

/** The `await` around a call, if there is one: what stands for the call's value in the expression around it. */
export function awaited(call: Node): Node {
  const parent = call.parent;
  return parent?.type === 'await' ? parent : call;
}

/** The plain name a value is assigned to, when `statement` is `name = value` (not `a.b = …`). */
function boundLocal(statement: Node | null): Node | undefined {
  const left = statement?.type === 'assignment' ? statement.childForFieldName('left') : null;
  return left?.type === 'identifier' ? left : undefined;
}

/**
 * `key in session` / `key not in session`: any operand before an `in` that precedes the
 * session's operand (the receiver, or a view of its keys).
 */
function containsMatches(receiver: Node, operand: Node, comparison: Node): Captures[] {
  const children = comparison.children;
  const at = children.findIndex((child) => sameNode(child, operand));
  let lastIn = -1;
  for (let i = 0; i < at; i++) {
    const type = children[i]?.type;
    if (type === 'in' || type === 'not in') {
      lastIn = i;
    }
  }
  return children.flatMap((child, i) => (i < lastIn && isExpressionNode(child) ? [captures(receiver, ['contains.key', child])] : []));
}

function captures(receiver: Node, ...roles: [string, Node][]): Captures {
  return new Map([['receiver', receiver], ...roles]);
}

function sameNode(a: Node | null | undefined, b: Node): boolean {
  return a?.id === b.id;
}

/**
 * Whether `child` is the first field of `parent` (a subscript's value, an attribute's object,
 * an assignment's left side, a call's function): only the first child starts where its parent
 * does. Spares a `childForFieldName` call into wasm.
 */
function isFirstChild(child: Node, parent: Node): boolean {
  return child.startIndex === parent.startIndex;
}
