import type { Node } from 'web-tree-sitter';
import { nodeRange, sameRange, type Range } from './range';
import type { BlockingCall } from './blockingSessionCalls';
import type { SessionAccess } from './sessionAccesses';

/** A fix as the analysis can tell it, without the file (see LintFix). */
export interface AccessFix {
  title: string;
  edits: { range: Range; newText: string }[];
}

/** The async method (Django 5.1) for each synchronous one. */
const ASYNC_METHODS: Record<string, string> = { get: 'aget', pop: 'apop', setdefault: 'asetdefault', update: 'aupdate', has_key: 'ahas_key' };
/** Where an awaited call must be parenthesized: as what an attribute, subscript or call applies to, `await` would take in the whole. */
const TIGHTER = new Set(['attribute', 'subscript', 'call']);

/**
 * Of the accesses marked as in an async function, unmarks those in a lambda there, which runs
 * where it is called (`sync_to_async(lambda: request.session["cart"])` runs it on a thread),
 * and gives each other one that a rewrite can make async its `asyncFix` (see asyncAccessFix).
 */
export function markAsyncFixes(accesses: SessionAccess[], root: Node): void {
  markEach(accesses, root, asyncAccessFix);
}

/** As markAsyncFixes, for calls that take no key: each is rewritten as its awaited async twin (see asyncCallFix). */
export function markAsyncCallFixes(calls: BlockingCall[], root: Node): void {
  markEach(calls, root, asyncCallFix);
}

function markEach(placed: { range: Range; inAsyncFunction?: true; asyncFix?: AccessFix }[], root: Node, fixOf: (node: Node) => AccessFix | undefined): void {
  for (const access of placed) {
    const node = access.inAsyncFunction ? nodeAt(root, access.range) : undefined;
    if (!node) {
      continue;
    }
    if (inside(node, 'lambda')) {
      delete access.inAsyncFunction;
      continue;
    }
    const fix = fixOf(node);
    if (fix) {
      access.asyncFix = fix;
    }
  }
}

/** The node spanning `range`: an access's key expression, or a call. */
function nodeAt(root: Node, range: Range): Node | undefined {
  let node: Node | null = root.descendantForPosition({ row: range.start.line, column: range.start.character });
  while (node && !sameRange(nodeRange(node), range)) {
    node = node.parent;
  }
  return node ?? undefined;
}

/**
 * How to write a synchronous session access in an async function (DS113) with Django 5.1's
 * async methods, where the rewrite keeps what the code does: a method call (`get`, `pop`,
 * `setdefault`, `update`, `has_key`) awaited as its async twin, `k in session` (or in its
 * `keys()`) as `ahas_key`, `session[k] = v` on its own as `aset`, and `del session[k]` as `apop`,
 * which raises KeyError alike. A subscript read becomes `aget`, whose title says that it gives
 * None where the subscript raised KeyError.
 */
function asyncAccessFix(key: Node): AccessFix | undefined {
  const parent = key.parent;
  if (!parent || !mayAwait(key)) {
    return undefined;
  }
  // The call whose argument the key is: directly, as a keyword's name, or as a key of a dict argument.
  const call = parent.type === 'argument_list' ? parent.parent : parent.type === 'keyword_argument' ? parent.parent?.parent : parent.type === 'pair' ? parent.parent?.parent?.parent : null;
  if (call?.type === 'call') {
    return methodFix(call, (name) => ASYNC_METHODS[name]);
  }
  if (parent.type === 'comparison_operator') {
    return membershipFix(parent, key);
  }
  if (parent.type === 'subscript' && onlyRead(parent)) {
    return readFix(parent);
  }
  if (parent.type === 'subscript' && parent.parent?.type === 'assignment') {
    return assignmentFix(parent, parent.parent);
  }
  if (parent.type === 'subscript' && parent.parent?.type === 'delete_statement') {
    return deletionFix(parent, parent.parent);
  }
  return undefined;
}

/** A call that takes no key, such as `flush()`, as its twin that Django 5.1 names with an `a` before it. */
function asyncCallFix(call: Node): AccessFix | undefined {
  return mayAwait(call) ? methodFix(call, (name) => `a${name}`) : undefined;
}

/** Whether an `await` may stand where `node` is: in a generator expression it would make that an async generator, which the code around cannot iterate; in a class body it is a syntax error. */
function mayAwait(node: Node): boolean {
  return !inside(node, 'generator_expression') && !inside(node, 'class_definition');
}

/** The method call awaited as its twin `twinOf` names, parenthesized where more applies to its value. */
function methodFix(call: Node, twinOf: (name: string) => string | undefined): AccessFix | undefined {
  const callee = call.childForFieldName('function');
  const name = callee?.type === 'attribute' ? callee.childForFieldName('attribute') : null;
  const method = name ? twinOf(name.text) : undefined;
  if (!name || !method) {
    return undefined;
  }
  const parenthesize = TIGHTER.has(call.parent?.type ?? '') && call.parent?.firstNamedChild?.id === call.id;
  const range = nodeRange(call);
  const callText = call.text;
  const at = name.startIndex - call.startIndex;
  const rewritten = `await ${callText.slice(0, at)}${method}${callText.slice(at + name.text.length)}`;
  return { title: `Use await …${method}()`, edits: [{ range, newText: parenthesize ? `(${rewritten})` : rewritten }] };
}

function membershipFix(comparison: Node, key: Node): AccessFix | undefined {
  const operands = comparison.namedChildren.filter((child): child is Node => child !== null);
  const operators = comparison.children.filter((child): child is Node => child !== null && !child.isNamed).map((op) => op.type);
  const session = operands[1] && testedSession(operands[1]);
  if (operands.length !== 2 || operands[0]!.id !== key.id || !session || (operators.join(' ') !== 'in' && operators.join(' ') !== 'not in')) {
    return undefined;
  }
  const negated = operators.join(' ') === 'not in';
  const call = `await ${session.text}.ahas_key(${key.text})`;
  return { title: 'Use await …ahas_key()', edits: [{ range: nodeRange(comparison), newText: negated ? `not ${call}` : call }] };
}

/** The session an `in` test looks in: the session itself, or its `keys()`, whose `in` is the session's own. */
function testedSession(operand: Node): Node | undefined {
  if (operand.type === 'attribute' || operand.type === 'identifier') {
    return operand;
  }
  const callee = operand.type === 'call' && operand.childForFieldName('arguments')?.namedChildCount === 0 ? operand.childForFieldName('function') : null;
  const session = callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'keys' ? callee.childForFieldName('object') : null;
  return session?.type === 'attribute' || session?.type === 'identifier' ? session : undefined;
}

/** `del session[k]` as `await session.apop(k)`: both remove the key and mark the session modified, or raise KeyError where it is missing. */
function deletionFix(subscript: Node, statement: Node): AccessFix | undefined {
  const receiver = subscript.childForFieldName('value');
  const keys = subscript.childrenForFieldName('subscript');
  if (!receiver || keys.length !== 1 || statement.namedChildCount !== 1) {
    return undefined;
  }
  return { title: 'Use await …apop()', edits: [{ range: nodeRange(statement), newText: `await ${receiver.text}.apop(${keys[0]!.text})` }] };
}

function assignmentFix(subscript: Node, assignment: Node): AccessFix | undefined {
  const value = assignment.childForFieldName('right');
  const receiver = subscript.childForFieldName('value');
  const keys = subscript.childrenForFieldName('subscript');
  const alone = assignment.parent?.type === 'expression_statement' && assignment.parent.namedChildCount === 1;
  if (!alone || !value || !receiver || keys.length !== 1 || assignment.childForFieldName('left')?.id !== subscript.id || assignment.childForFieldName('type') || value.type === 'assignment') {
    return undefined;
  }
  // `s[k] = 1, 2` stores a tuple, which must stay one argument.
  const stored = value.type === 'expression_list' ? `(${value.text})` : value.text;
  return { title: 'Use await …aset()', edits: [{ range: nodeRange(assignment), newText: `await ${receiver.text}.aset(${keys[0]!.text}, ${stored})` }] };
}

/** Nodes a subscript may sit in as one of several targets: `a, s[k] = …`, `for (s[k], b) in …`, `del s[k], t`. */
const GROUPING = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern', 'expression_list', 'tuple', 'list', 'parenthesized_expression']);
/** Statements and clauses whose `left` is stored into: an augmented assignment reads and stores it. */
const STORING = new Set(['assignment', 'augmented_assignment', 'for_statement', 'for_in_clause']);

/** Whether a subscript is only read: not stored into (`s[k] = v`, `s[k] += 1`, `a, s[k] = …`, `for s[k] in …`, `with … as s[k]`) nor deleted. */
function onlyRead(subscript: Node): boolean {
  let target = subscript;
  let outer = subscript.parent;
  while (outer && GROUPING.has(outer.type)) {
    target = outer;
    outer = outer.parent;
  }
  if (!outer || outer.type === 'delete_statement' || outer.type === 'as_pattern_target') {
    return false;
  }
  return !STORING.has(outer.type) || outer.childForFieldName('left')?.id !== target.id;
}

/**
 * `session[k]` read as `await session.aget(k)`, parenthesized where more applies to its value.
 * Where the key is missing `aget` gives None and the subscript raised KeyError: the title says so.
 */
function readFix(subscript: Node): AccessFix | undefined {
  const receiver = subscript.childForFieldName('value');
  const keys = subscript.childrenForFieldName('subscript');
  if (!receiver || keys.length !== 1) {
    return undefined;
  }
  const key = keys[0]!.text;
  const rewritten = `await ${receiver.text}.aget(${key})`;
  const parenthesize = TIGHTER.has(subscript.parent?.type ?? '') && subscript.parent?.firstNamedChild?.id === subscript.id;
  return {
    title: `Use ${rewritten} (gives None where [${key}] raised KeyError)`,
    edits: [{ range: nodeRange(subscript), newText: parenthesize ? `(${rewritten})` : rewritten }],
  };
}

/** Whether `node` is inside a node of `type` within its function. */
function inside(node: Node, type: string): boolean {
  for (let outer = node.parent; outer && outer.type !== 'function_definition'; outer = outer.parent) {
    if (outer.type === type) {
      return true;
    }
  }
  return false;
}
