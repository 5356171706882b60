import type { Node } from 'web-tree-sitter';
import type { KeyExpression } from './keyExpression';
import { bindingKind } from './nameBinding';
import type { Scopes } from './scopes';
import { stringLiteralValue } from './stringLiteral';
import { isExpressionNode, nodesSpelled } from './textAnchors';

/** How a function binds one name: as a parameter, or by the values assigned to it. */
interface NameBinding {
  parameter: boolean;
  /** One entry per binding; undefined where the value is not one expression (a loop, walrus, `with` or unpacking target). */
  values: (Node | undefined)[];
  /** Where each of `values` binds the name, in the same order. */
  sites: Node[];
  /** Whether a `for` loop binds it. */
  loop: boolean;
  /** What the `for` loop iterates over, where the loop binds the name itself (not by unpacking). */
  loopOver?: Node;
  /** Each `for` statement that binds the name itself, or as the first of a pair, by its span, with what it iterates over. */
  loops: Loop[];
  /** The comprehensions and lambdas in the function that bind the name for themselves, by their spans; `over`, what a comprehension's `for` binding the name itself iterates. */
  own: { start: number; end: number; lambda: boolean; over?: Node }[];
}

/** A `for` statement binding a name: `for k in over`, or with `pair`, `for k, v in over`. */
interface Loop {
  start: number;
  end: number;
  over?: Node;
  pair?: true;
}

/** The literals a loop takes each item of as a key. */
const SEQUENCES = new Set(['tuple', 'list', 'set']);
const NAMED_PARAMETERS = new Set(['default_parameter', 'typed_default_parameter']);
const PARAMETERS_WITH_NAME_CHILD = new Set(['typed_parameter', 'list_splat_pattern', 'dictionary_splat_pattern']);
/** What a name in a `for` statement's target may be nested in (`for a, (b, *c) in …`). */
const LOOP_TARGET_PARTS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern']);

/**
 * Parameters and local assignments per function, so a bare name used as a key can be told
 * apart: a local literal, a parameter, or a module-level name. Only the names used as keys
 * are looked up, from their occurrences in the function's text.
 */
export class LocalBindings {
  private readonly cache = new Map<string, NameBinding>();

  constructor(
    private readonly scopes: Scopes,
    private readonly root: Node,
    private readonly text: string,
  ) {}

  /**
   * What a bare name used as a key refers to: a comprehension's or lambda's own name around it,
   * else its function's parameter or local, else a module-level name.
   */
  resolve(identifier: Node): KeyExpression {
    const name = identifier.text;
    const fn = this.scopes.functionOf(identifier);
    const binding = this.binding(fn, name);
    const at = identifier.startIndex;
    const own = binding.own.find((scope) => scope.start <= at && at < scope.end);
    if (own) {
      return { kind: 'dynamic', reason: own.lambda ? `the key is the parameter '${name}' of a lambda` : `the key is the loop variable '${name}' of a comprehension` };
    }
    if (binding.parameter) {
      // Only a parameter the function never binds again is the key its calls pass (see keyParameterHelpers).
      const reason = `the key is the parameter '${name}'`;
      return binding.values.length === 0 ? { kind: 'dynamic', reason, parameter: name } : { kind: 'dynamic', reason };
    }
    if (!fn || binding.values.length === 0) {
      return { kind: 'name', name };
    }
    if (binding.loop) {
      // Over a name, say which: over a parameter (Cartridge's `def clear_session(request, *names)`), the calls hold the keys.
      const over = binding.loopOver?.type === 'identifier' ? binding.loopOver.text : undefined;
      const overParameter = over !== undefined && this.binding(fn, over).parameter;
      const what = over === undefined ? '' : overParameter ? ` over the parameter '${over}', which each call fills` : ` over '${over}'`;
      return { kind: 'dynamic', reason: `the key is the loop variable '${name}'${what}` };
    }
    const value = binding.values.length === 1 && binding.values[0] ? stringLiteralValue(binding.values[0]) : undefined;
    return value !== undefined ? { kind: 'literal', value } : { kind: 'dynamic', reason: `the key is the local variable '${name}', which is not a single str literal` };
  }

  /**
   * The str literals a loop variable takes, where only one `for` binds it and it iterates over a
   * literal tuple, list or set of them (`for key in ("_next", "_after_2fa"): del request.session[key]`,
   * Sentry's login cleanup), or over a module constant bound to one: each literal is the key in turn.
   * So do the keys of a dict literal the loop takes them from: `for key in DEFAULTS`, `DEFAULTS.keys()`,
   * or `for key, value in DEFAULTS.items()` (a preferences view's defaults).
   */
  loopKeys(identifier: Node): { value: string; node: Node }[] | undefined {
    const fn = this.scopes.functionOf(identifier);
    const binding = fn ? this.binding(fn, identifier.text) : undefined;
    // A comprehension's own `for k in (…)` (`{k: request.session.get(k) for k in KEYS}`), else the function's `for` around the use,
    // also where a comprehension elsewhere in the function binds the same name for itself.
    const at = identifier.startIndex;
    const own = binding?.own.find((scope) => scope.start <= at && at < scope.end);
    const loop: Pick<Loop, 'over' | 'pair'> | undefined = own ? { over: own.over } : binding && !binding.parameter ? loopAround(binding, at) : undefined;
    // `for key, value in DEFAULTS.items()`, `for key in DEFAULTS.keys()`: the dict's keys.
    const method = loop?.over ? dictMethodCall(loop.over) : undefined;
    if (loop?.pair ? method?.name !== 'items' : method && method.name !== 'keys') {
      return undefined;
    }
    const over = this.literalOf(method?.dict ?? loop?.over);
    const items = over?.type === 'dictionary' ? dictionaryKeys(over) : over && !method && SEQUENCES.has(over.type) ? entriesOf(over) : undefined;
    if (!items) {
      return undefined;
    }
    const keys = items.map((node) => ({ value: stringLiteralValue(node), node }));
    return keys.length > 0 && keys.every((key) => key.value !== undefined) ? (keys as { value: string; node: Node }[]) : undefined;
  }

  /**
   * The literal a loop iterates: itself, or what a name the module binds once to it stands for
   * (`for key in CART_KEYS:`), or a local bound once to it and named nowhere else (see
   * untouchedValue), or a class attribute (`for field in self.session_fields:`, Cartridge's
   * Order), so its keys are spelled there.
   */
  private literalOf(node: Node | undefined): Node | undefined {
    if (node?.type === 'identifier') {
      return this.scopes.functionOf(node) ? this.untouchedValue(node) : this.moduleLiteral(node.text);
    }
    return node?.type === 'attribute' ? this.classLiteral(node) : node;
  }

  /** The value of `NAME = …` where the module binds the name once, at its top level. */
  private moduleLiteral(name: string): Node | undefined {
    return onlyValue(this.root, name);
  }

  /**
   * The value of a class attribute the class body binds once: `self.NAME` or `cls.NAME` in a
   * method of that class, or `Class.NAME` of a module-level class. A subclass may override it,
   * as it may any key constant of a class (see keyResolver's `self.SESSION_KEY`).
   */
  private classLiteral(attribute: Node): Node | undefined {
    const owner = attribute.childForFieldName('object');
    const name = attribute.childForFieldName('attribute')?.text;
    if (owner?.type !== 'identifier' || !name) {
      return undefined;
    }
    let cls: Node | null = null;
    if (owner.text === 'self' || owner.text === 'cls') {
      cls = attribute.parent;
      while (cls && cls.type !== 'class_definition') cls = cls.parent;
    } else {
      cls = this.root.namedChildren.find((statement) => statement?.type === 'class_definition' && statement.childForFieldName('name')?.text === owner.text) ?? null;
    }
    const body = cls?.childForFieldName('body');
    return body ? onlyValue(body, name) : undefined;
  }

  /** Whether a name is a local its function binds exactly once: by a plain assignment, or as a `for` statement's own variable. */
  boundOnce(identifier: Node): boolean {
    const fn = this.scopes.functionOf(identifier);
    const binding = fn ? this.binding(fn, identifier.text) : undefined;
    return !!binding && !binding.parameter && binding.own.length === 0 && binding.values.length === 1 && (binding.values[0] !== undefined || (binding.loops.length === 1 && !binding.loops[0]!.pair));
  }

  /** The value a local is bound to, when its function binds it exactly once, by a plain assignment. */
  singleValue(identifier: Node): Node | undefined {
    const fn = this.scopes.functionOf(identifier);
    const binding = fn ? this.binding(fn, identifier.text) : undefined;
    return binding && !binding.parameter && binding.values.length === 1 ? binding.values[0] : undefined;
  }

  /**
   * The mapping a name passed whole holds (`data` of `session.update(data)`), where nothing can
   * have changed it: a local its function binds once, by a plain assignment, and names nowhere
   * else, or a name the module binds once (`DEFAULTS = {…}`) that the function does not bind.
   */
  untouchedValue(identifier: Node): Node | undefined {
    const fn = this.scopes.functionOf(identifier);
    const binding = this.binding(fn, identifier.text);
    if (!fn || binding.parameter || binding.own.length > 0) {
      return undefined;
    }
    if (binding.values.length === 0) {
      return this.moduleLiteral(identifier.text);
    }
    const named = nodesSpelled(this.root, this.text, identifier.text, fn.startIndex, fn.endIndex).filter((node) => node.type === 'identifier');
    return binding.values.length === 1 && named.length === 2 ? binding.values[0] : undefined;
  }

  /**
   * The value a local holds where it is used, when that is plain from the text: the last
   * binding before the use is a plain assignment in a block that holds the use, so it runs on
   * every path to it, and no later binding can come back round a loop (`order = None`, an early
   * `return`, then `order = Order.objects.create()`: LFS's checkout).
   */
  reachingValue(identifier: Node): Node | undefined {
    const fn = this.scopes.functionOf(identifier);
    const binding = fn ? this.binding(fn, identifier.text) : undefined;
    const at = identifier.startIndex;
    if (!fn || !binding || binding.parameter || binding.own.some((scope) => scope.start <= at && at < scope.end)) {
      return undefined;
    }
    // `order = f(order)` binds after its right side reads the name.
    const before = binding.sites.flatMap((site, i) => (site.startIndex < at && !contains(site.parent, identifier) ? [i] : []));
    const last = before.at(-1);
    const value = last === undefined ? undefined : binding.values[last];
    const statement = last === undefined ? undefined : binding.sites[last]!.parent?.parent;
    if (!value || statement?.type !== 'expression_statement' || !contains(statement.parent, identifier)) {
      return undefined;
    }
    const later = binding.sites.filter((site) => site.startIndex > at);
    for (let outer = identifier.parent; outer && outer.id !== fn.id; outer = outer.parent) {
      if ((outer.type === 'for_statement' || outer.type === 'while_statement') && later.some((site) => contains(outer, site))) {
        return undefined;
      }
    }
    return value;
  }

  /** How `fn` binds `name`; at module level (no `fn`), only the comprehensions and lambdas that do. */
  private binding(fn: Node | undefined, name: string): NameBinding {
    const cacheKey = `${fn?.startIndex ?? -1}:${name}`;
    let binding = this.cache.get(cacheKey);
    if (!binding) {
      binding = this.bindingIn(fn, name);
      this.cache.set(cacheKey, binding);
    }
    return binding;
  }

  /** How `fn` itself binds `name`; bindings in nested functions belong to those. */
  private bindingIn(fn: Node | undefined, name: string): NameBinding {
    const binding: NameBinding = { parameter: false, values: [], sites: [], loop: false, own: [], loops: [] };
    for (const identifier of nodesSpelled(this.root, this.text, name, fn?.startIndex, fn?.endIndex)) {
      const parent = identifier.type === 'identifier' && this.scopes.functionOf(identifier)?.startIndex === fn?.startIndex ? identifier.parent : null;
      if (!parent) {
        continue;
      }
      // At module level only comprehensions and lambdas count: module-level names resolve from the module's facts.
      const kind = bindingKind(identifier, parent);
      if (typeof kind === 'object') {
        const over = parent.type === 'for_in_clause' ? (parent.childForFieldName('right') ?? undefined) : undefined;
        binding.own.push(over ? { start: kind.startIndex, end: kind.endIndex, lambda: false, over } : { start: kind.startIndex, end: kind.endIndex, lambda: kind.type === 'lambda' });
      } else if (fn && isParameter(identifier, parent)) {
        binding.parameter = true;
      } else if (fn && isRebinding(kind, parent)) {
        readBinding(identifier, parent, binding);
      }
    }
    return binding;
  }
}

/**
 * What the loop binding a name iterates over where it is used: its one `for`, or where only
 * `for` statements bind it (the same name reused for several loops), the innermost around the use.
 */
function loopAround(binding: NameBinding, at: number): Loop | undefined {
  if (binding.values.length === 1) {
    return binding.loops[0];
  }
  if (binding.loops.length !== binding.values.length) {
    return undefined;
  }
  const around = binding.loops.filter((loop) => loop.start <= at && at < loop.end);
  return around.sort((a, b) => b.start - a.start)[0];
}

/** `X.keys()` or `X.items()`, with the dict `X` it is called on. */
function dictMethodCall(node: Node): { name: string; dict: Node } | undefined {
  const callee = node.type === 'call' && node.childForFieldName('arguments')?.namedChildCount === 0 ? node.childForFieldName('function') : null;
  const name = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
  const dict = callee?.childForFieldName('object');
  return dict && (name === 'keys' || name === 'items') ? { name, dict } : undefined;
}

/** The key expressions of a dict literal's entries; undefined where a `**` splat adds keys it does not spell. */
function dictionaryKeys(dict: Node): Node[] | undefined {
  const keys = entriesOf(dict).map((entry) => (entry.type === 'pair' ? entry.childForFieldName('key') : null));
  return keys.every((key): key is Node => key !== null) ? keys : undefined;
}

function isParameter(identifier: Node, parent: Node): boolean {
  if (parent.type === 'parameters') {
    return true;
  }
  if (parent.parent?.type !== 'parameters') {
    return false;
  }
  if (NAMED_PARAMETERS.has(parent.type)) {
    return isField(parent, 'name', identifier);
  }
  return PARAMETERS_WITH_NAME_CHILD.has(parent.type);
}

/**
 * Whether a name binds a new value: an assignment, loop, `with`, `except` or walrus target, or
 * `+=`. An import in a function binds a name the module's facts resolve (they read those imports).
 */
function isRebinding(kind: ReturnType<typeof bindingKind>, parent: Node): boolean {
  return kind === 'binding' ? parent.type !== 'aliased_import' : kind === 'other' && parent.type === 'augmented_assignment';
}

/** Records one binding of a local: the value a plain assignment gives it, or none that one expression tells. */
function readBinding(identifier: Node, parent: Node, binding: NameBinding): void {
  if (parent.type === 'assignment' && isField(parent, 'left', identifier)) {
    const right = parent.childForFieldName('right');
    // `name: T` alone binds no value.
    if (isExpressionNode(right)) {
      binding.values.push(right);
      binding.sites.push(identifier);
    }
    return;
  }
  const loop = isLoopTarget(identifier, parent);
  binding.loop ||= loop;
  if (loop && parent.type === 'for_statement') {
    binding.loopOver = parent.childForFieldName('right') ?? undefined;
    binding.loops.push({ start: parent.startIndex, end: parent.endIndex, over: binding.loopOver });
  } else if (loop && isPairKey(identifier, parent)) {
    const statement = parent.parent!;
    binding.loops.push({ start: statement.startIndex, end: statement.endIndex, over: statement.childForFieldName('right') ?? undefined, pair: true });
  }
  binding.values.push(undefined);
  binding.sites.push(identifier);
}

function entriesOf(literal: Node): Node[] {
  return literal.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
}

/** Whether a name is the first of the two a `for` statement unpacks each item into: `k` of `for k, v in …`. */
function isPairKey(identifier: Node, parent: Node): boolean {
  const names = parent.namedChildren.filter((child) => child?.type !== 'comment');
  return (parent.type === 'pattern_list' || parent.type === 'tuple_pattern') && names.length === 2 && names[0]?.id === identifier.id && parent.parent?.type === 'for_statement' && isField(parent.parent, 'left', parent);
}

/** Whether a name is (part of) the target of a `for` statement: `for k in …`, `for k, v in …`. */
function isLoopTarget(identifier: Node, parent: Node): boolean {
  let target = identifier;
  let outer: Node | null = parent;
  while (outer && LOOP_TARGET_PARTS.has(outer.type)) {
    target = outer;
    outer = outer.parent;
  }
  return outer?.type === 'for_statement' && isField(outer, 'left', target);
}

/** The value of `name = …` where a block binds the name once, among its own statements. */
function onlyValue(block: Node, name: string): Node | undefined {
  const values = block.namedChildren.flatMap((statement) => {
    const assignment = statement?.type === 'expression_statement' ? statement.firstNamedChild : null;
    return assignment?.type === 'assignment' && assignment.childForFieldName('left')?.text === name ? [assignment.childForFieldName('right')] : [];
  });
  return values.length === 1 ? (values[0] ?? undefined) : undefined;
}

function contains(outer: Node | null, inner: Node): boolean {
  return outer !== null && outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

function isField(parent: Node, field: string, child: Node): boolean {
  return parent.childForFieldName(field)?.id === child.id;
}
