import type { Node } from 'web-tree-sitter';
import { isExpressionNode, nodesSpelled } from './textAnchors';

/** The nodes of one session access by role (`receiver`, `set.key`, `call.method`, …). */
export type Captures = Map<string, Node>;

/** `request.session`-like attributes: any `.session` except on the `requests` module. */
export function sessionAttributes(root: Node, text: string): Node[] {
  const found: Node[] = [];
  for (const name of nodesSpelled(root, text, 'session')) {
    const attribute = name.type === 'identifier' ? name.parent : null;
    if (attribute?.type !== 'attribute' || !sameNode(attribute.childForFieldName('attribute'), name)) {
      continue;
    }
    const object = attribute.childForFieldName('object');
    if (isExpressionNode(object) && object.text !== 'requests') {
      found.push(attribute);
    }
  }
  return found;
}

/** The name a `.session` attribute is assigned to (`s = request.session`), if it is. */
export function aliasName(receiver: Node): Node | undefined {
  const assignment = receiver.parent;
  if (assignment?.type !== 'assignment' || !sameNode(assignment.childForFieldName('right'), receiver)) {
    return undefined;
  }
  const left = assignment.childForFieldName('left');
  return left?.type === 'identifier' ? left : undefined;
}

/** Every identifier spelled like one of the aliases, wherever it stands, in source order. */
export function aliasIdentifiers(root: Node, text: string, aliases: Iterable<string>): Node[] {
  return [...aliases]
    .flatMap((alias) => nodesSpelled(root, text, alias).filter((node) => node.type === 'identifier'))
    .sort((a, b) => a.startIndex - b.startIndex);
}

/**
 * The session accesses around one receiver, read from its ancestors: subscript reads, sets
 * and deletes, `in` tests, method calls, `.modified = …` and in-place changes of a stored value.
 */
export function receiverMatches(receiver: Node): Captures[] {
  const parent = receiver.parent;
  if (!parent) {
    return [];
  }
  // Each `type` read is a call into WASM, so it is read once.
  const type = parent.type;
  if (type === 'subscript' && sameNode(parent.childForFieldName('value'), receiver)) {
    return subscriptMatches(receiver, parent);
  }
  if (type === 'attribute' && sameNode(parent.childForFieldName('object'), receiver)) {
    return attributeMatches(receiver, parent);
  }
  if (type === 'comparison_operator') {
    return containsMatches(receiver, parent);
  }
  return [];
}

function subscriptMatches(receiver: Node, subscript: Node): Captures[] {
  const keys = subscript.childrenForFieldName('subscript').filter(isExpressionNode);
  const matches: Captures[] = keys.map((key) => captures(receiver, ['read.key', key]));
  const outer = subscript.parent;
  if (!outer) {
    return matches;
  }
  const type = outer.type;
  if (type === 'assignment' && sameNode(outer.childForFieldName('left'), subscript)) {
    const value = outer.childForFieldName('right');
    if (isExpressionNode(value)) {
      keys.forEach((key) => matches.push(captures(receiver, ['set.key', key], ['set.value', value])));
    }
  } else if (type === 'augmented_assignment' && sameNode(outer.childForFieldName('left'), subscript)) {
    keys.forEach((key) => matches.push(captures(receiver, ['set.key', key])));
  } else if (type === 'delete_statement' || (type === 'expression_list' && outer.parent?.type === 'delete_statement')) {
    keys.forEach((key) => matches.push(captures(receiver, ['delete.key', key])));
  } else if (type === 'subscript' && sameNode(outer.childForFieldName('value'), subscript)) {
    const statement = outer.parent;
    const statementType = statement?.type;
    const changes =
      ((statementType === 'assignment' || statementType === 'augmented_assignment') && sameNode(statement?.childForFieldName('left'), outer)) ||
      statementType === 'delete_statement';
    if (statement && changes) {
      keys.forEach((key) => matches.push(captures(receiver, ['mutation.key', key], ['mutation.target', subscript], ['mutation', statement])));
    }
  } else if (type === 'attribute' && sameNode(outer.childForFieldName('object'), subscript)) {
    const method = outer.childForFieldName('attribute');
    const call = outer.parent;
    const statement = call?.parent;
    if (method?.type === 'identifier' && call?.type === 'call' && sameNode(call.childForFieldName('function'), outer) && statement?.type === 'expression_statement') {
      keys.forEach((key) => matches.push(captures(receiver, ['mutation.key', key], ['mutation.target', subscript], ['mutation.method', method], ['mutation', statement])));
    }
  }
  return matches;
}

function attributeMatches(receiver: Node, attribute: Node): Captures[] {
  const name = attribute.childForFieldName('attribute');
  const outer = attribute.parent;
  if (name?.type !== 'identifier' || !outer) {
    return [];
  }
  const type = outer.type;
  if (type === 'call' && sameNode(outer.childForFieldName('function'), attribute)) {
    const args = outer.childForFieldName('arguments');
    return args?.type === 'argument_list' ? [captures(receiver, ['call.method', name], ['call.args', args])] : [];
  }
  if (type === 'assignment' && name.text === 'modified' && sameNode(outer.childForFieldName('left'), attribute)) {
    return [captures(receiver, ['modified', outer])];
  }
  return [];
}

/** `key in session` / `key not in session`: any operand before an `in` that precedes the receiver. */
function containsMatches(receiver: Node, comparison: Node): Captures[] {
  const children = comparison.children;
  const at = children.findIndex((child) => sameNode(child, receiver));
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
