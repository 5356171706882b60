import type { Node } from 'web-tree-sitter';
import { aliasIdentifiers, aliasName } from './receiverMatches';
import type { Scopes } from './scopes';

/** One binding of an alias name in one scope. */
interface Binding {
  offset: number;
  /** Whether it binds the name to a session (`s = request.session`, `(s := request.session)`). */
  session: boolean;
}

const PARAMETERS = new Set(['parameters', 'default_parameter', 'typed_parameter', 'typed_default_parameter', 'list_splat_pattern', 'dictionary_splat_pattern']);
const TARGETS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'as_pattern_target', 'delete_statement']);

/**
 * The nodes that stand for a session through a local alias, each with its parent: a
 * parenthesized walrus, `(s := request.session)`, and the names bound by `s = request.session` or `(s := request.session)`, used where that binding
 * is the one in force. That is told by source order, not control flow: a use sees the last
 * binding of its name before it in its own function, so any rebinding in between (`s = {}`,
 * a loop target, `del s`) ends the alias, even one in a branch not taken. A nested function
 * that does not bind the name itself sees the enclosing function's binding, as a closure does.
 * `skip` holds offsets known to be no alias use (the names of the `.session` attributes).
 */
export function sessionAliasUses(root: Node, text: string, receivers: Node[], parents: (Node | null)[], scopes: Scopes, skip: ReadonlySet<number>): { uses: Node[]; parents: (Node | null)[] } {
  const sessionBindings = new Set<number>();
  const names = new Set<string>();
  const found = { uses: [] as Node[], parents: [] as (Node | null)[] };
  receivers.forEach((receiver, i) => {
    const binding = parents[i] ?? null;
    const alias = aliasName(receiver, binding);
    if (alias) {
      sessionBindings.add(alias.startIndex);
      names.add(alias.text);
    }
    // `(s := request.session).get(k)` is an access too, on the walrus in its parentheses.
    const parenthesized = alias && binding?.type === 'named_expression' ? binding.parent : null;
    if (parenthesized?.type === 'parenthesized_expression') {
      found.uses.push(parenthesized);
      found.parents.push(parenthesized.parent);
    }
  });
  if (names.size === 0) {
    return found;
  }
  const identifiers = aliasIdentifiers(root, text, names, skip);
  const bindings = new Map<string, Binding[]>();
  const candidates: { node: Node; parent: Node | null }[] = [];
  for (const node of identifiers) {
    const parent = node.parent;
    const kind = parent ? bindingKind(node, parent) : 'use';
    if (kind === 'binding') {
      const key = `${scopes.scopeId(node)} ${node.text}`;
      const list = bindings.get(key) ?? [];
      list.push({ offset: node.startIndex, session: sessionBindings.has(node.startIndex) });
      bindings.set(key, list);
    } else if (kind === 'use') {
      candidates.push({ node, parent });
    }
  }
  for (const { node, parent } of candidates) {
    if (isSessionAt(node, scopes, bindings)) {
      found.uses.push(node);
      found.parents.push(parent);
    }
  }
  return found;
}

/** Whether an identifier binds its name, is neither a binding nor a use, or uses it. */
function bindingKind(node: Node, parent: Node): 'binding' | 'other' | 'use' {
  const type = parent.type;
  const first = parent.startIndex === node.startIndex;
  if ((type === 'assignment' || type === 'named_expression') && first) {
    return 'binding';
  }
  if (type === 'augmented_assignment' && first) {
    return 'other';
  }
  if (type === 'for_statement' || type === 'for_in_clause') {
    return parent.childForFieldName('left')?.id === node.id ? 'binding' : 'use';
  }
  if (TARGETS.has(type) || PARAMETERS.has(type) || (type === 'expression_list' && parent.parent?.type === 'delete_statement')) {
    return type === 'default_parameter' || type === 'typed_default_parameter' ? (first ? 'binding' : 'use') : 'binding';
  }
  // A lambda's parameters are its own (lambdas are no scope here); a keyword argument's name is none.
  if (type === 'lambda_parameters' || (type === 'keyword_argument' && first)) {
    return 'other';
  }
  return 'use';
}

/** Whether the binding in force at a use (see sessionAliasUses) is a session. */
function isSessionAt(node: Node, scopes: Scopes, bindings: Map<string, Binding[]>): boolean {
  const at = node.startIndex;
  const chain = scopes.scopeChain(node);
  for (let depth = 0; depth < chain.length; depth++) {
    const list = bindings.get(`${chain[depth]} ${node.text}`);
    if (!list) {
      continue;
    }
    let last: Binding | undefined;
    for (const binding of list) {
      if (binding.offset < at) {
        last = binding;
      }
    }
    // A closure runs after its definition, when the enclosing function's last binding may be in force.
    return (last ?? (depth > 0 ? list[list.length - 1] : undefined))?.session ?? false;
  }
  return false;
}
