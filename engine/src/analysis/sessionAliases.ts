import type { Node } from 'web-tree-sitter';
import { bindingKind } from './nameBinding';
import { aliasIdentifiers, aliasName } from './receiverMatches';
import type { Scopes } from './scopes';

/** One binding of an alias name in one scope. */
interface Binding {
  offset: number;
  /** The session it binds the name to (`request.session` in `s = request.session`, `(s := request.session)`), if it does. */
  origin?: Node;
}

/**
 * Where a comprehension's target or a lambda's parameter binds its name: Python 3 scopes it to
 * that node, so it neither ends an alias outside nor lets the alias through inside. A lambda's
 * is its body; a comprehension's is all of it but its first iterable, which the enclosing scope
 * evaluates (`[s for s in s]` iterates the outer `s`).
 */
interface OwnScope {
  name: string;
  start: number;
  end: number;
  outside?: { start: number; end: number };
}

/**
 * The nodes that stand for a session through a local alias, each with its parent: a
 * parenthesized walrus, `(s := request.session)`, and the names bound by `s = request.session` or `(s := request.session)`, used where that binding
 * is the one in force. That is told by source order, not control flow: a use sees the last
 * binding of its name before it in its own function, so any rebinding in between (`s = {}`,
 * a loop target, `del s`) ends the alias, even one in a branch not taken. A nested function
 * that does not bind the name itself sees the enclosing function's binding, as a closure does;
 * a comprehension or lambda that binds it (`[s.strip() for s in xs]`, `lambda s: s["k"]`) has
 * its own `s` (see OwnScope).
 * `skip` holds offsets known to be no alias use (the names of the `.session` attributes).
 * Each use comes with its origin, the receiver its binding names.
 */
export function sessionAliasUses(
  root: Node,
  text: string,
  receivers: Node[],
  parents: (Node | null)[],
  scopes: Scopes,
  skip: ReadonlySet<number>,
): { uses: Node[]; parents: (Node | null)[]; origins: Node[] } {
  const sessionBindings = new Map<number, Node>();
  const names = new Set<string>();
  const found = { uses: [] as Node[], parents: [] as (Node | null)[], origins: [] as Node[] };
  receivers.forEach((receiver, i) => {
    const binding = parents[i] ?? null;
    const alias = aliasName(receiver, binding);
    if (alias) {
      sessionBindings.set(alias.startIndex, receiver);
      names.add(alias.text);
    }
    // `(s := request.session).get(k)` is an access too, on the walrus in its parentheses.
    const parenthesized = alias && binding?.type === 'named_expression' ? binding.parent : null;
    if (parenthesized?.type === 'parenthesized_expression') {
      found.uses.push(parenthesized);
      found.parents.push(parenthesized.parent);
      found.origins.push(receiver);
    }
  });
  if (names.size === 0) {
    return found;
  }
  const identifiers = aliasIdentifiers(root, text, names, skip);
  const bindings = new Map<string, Binding[]>();
  const ownScopes: OwnScope[] = [];
  const candidates: { node: Node; parent: Node | null }[] = [];
  for (const node of identifiers) {
    const parent = node.parent;
    const kind = parent ? bindingKind(node, parent) : 'use';
    if (typeof kind !== 'string') {
      ownScopes.push(ownScopeOf(node.text, kind));
    } else if (kind === 'binding') {
      const key = `${scopes.scopeId(node)} ${node.text}`;
      const list = bindings.get(key) ?? [];
      const origin = sessionBindings.get(node.startIndex);
      list.push(origin ? { offset: node.startIndex, origin } : { offset: node.startIndex });
      bindings.set(key, list);
    } else if (kind === 'use') {
      candidates.push({ node, parent });
    }
  }
  const shadowed = ownBindingAt(ownScopes);
  for (const { node, parent } of candidates) {
    const origin = shadowed(node) ? undefined : originAt(node, scopes, bindings);
    if (origin) {
      found.uses.push(node);
      found.parents.push(parent);
      found.origins.push(origin);
    }
  }
  return found;
}

/** The origins of sessionAliasUses' uses, by each use's offset. */
export function aliasOrigins(aliases: { uses: Node[]; origins: Node[] }): Map<number, Node> {
  return new Map(aliases.uses.map((use, i) => [use.startIndex, aliases.origins[i]!]));
}

/** The span a comprehension's target or a lambda's parameter named `name` binds in (see OwnScope). */
function ownScopeOf(name: string, owner: Node): OwnScope {
  if (owner.type === 'lambda') {
    const body = owner.childForFieldName('body');
    return { name, start: body?.startIndex ?? owner.endIndex, end: body?.endIndex ?? owner.endIndex };
  }
  const iterable = owner.namedChildren.find((child) => child?.type === 'for_in_clause')?.childForFieldName('right');
  return { name, start: owner.startIndex, end: owner.endIndex, ...(iterable ? { outside: { start: iterable.startIndex, end: iterable.endIndex } } : {}) };
}

/**
 * Whether a comprehension or lambda binds a use's name around it, for uses asked about in
 * source order: one sweep, keeping for each name the chain of its scopes open at the use
 * (syntax nodes nest, so the scopes around one offset form a chain).
 */
function ownBindingAt(ownScopes: OwnScope[]): (use: Node) => boolean {
  const pending = [...ownScopes].sort((a, b) => a.start - b.start || b.end - a.end);
  const open = new Map<string, OwnScope[]>();
  let next = 0;
  return (use) => {
    const at = use.startIndex;
    for (; next < pending.length && pending[next]!.start <= at; next++) {
      const scope = pending[next]!;
      const chain = open.get(scope.name) ?? [];
      closeBefore(chain, scope.start);
      chain.push(scope);
      open.set(scope.name, chain);
    }
    const chain = open.get(use.text);
    if (!chain) {
      return false;
    }
    closeBefore(chain, at);
    // A scope whose first iterable holds the use does not bind there, but one around it may.
    return chain.some((scope) => !(scope.outside && scope.outside.start <= at && at < scope.outside.end));
  };
}

/** Drops the innermost scopes of a chain that end at or before an offset. */
function closeBefore(chain: OwnScope[], offset: number): void {
  while (chain.length > 0 && chain[chain.length - 1]!.end <= offset) {
    chain.pop();
  }
}

/** The session the binding in force at a use (see sessionAliasUses) names, if it names one. */
function originAt(node: Node, scopes: Scopes, bindings: Map<string, Binding[]>): Node | undefined {
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
    return (last ?? (depth > 0 ? list[list.length - 1] : undefined))?.origin;
  }
  return undefined;
}
