import type { Node } from 'web-tree-sitter';
import type { Range } from './range';
import type { Scopes } from './scopes';
import type { SessionAccess, SessionParameter } from './sessionAccesses';
import type { SessionOp } from './sessionKeyUsage';

/**
 * A session access inside a function whose key is one of the function's own parameters:
 * `def recall(request, key): return request.session.get(key)`. Each call of the function
 * that passes a key the resolver can tell counts as this access of that key at the call.
 */
export interface KeyHelper {
  /** The function's name; a method's, called as `self.name(…)` or `cls.name(…)`, with its class in `className`. */
  name: string;
  className?: string;
  parameter: string;
  /** The argument a call fills the parameter by position, counting after `self`/`cls`; absent for a keyword-only one. */
  position?: number;
  /** Whether a call may pass it by keyword: not one before a `/`. */
  keyword: boolean;
  op: SessionOp;
  cleanup?: true;
  /** The inner access's key expression, by which its unresolved entry is told. */
  range: Range;
  /** Set for an access through a helper's `session` parameter, which is no usage (see helperSessionAccesses): nor are its calls, unless a call fills that parameter with a session (`through`). */
  notUsage?: true;
  /** For such an access, the `session` parameter it goes through (see SessionAccess.through). */
  through?: SessionParameter;
}

/** Parameters after which a call fills none by position: `*args`, a bare `*`, `**kwargs`. */
const KEYWORD_ONLY_FROM = new Set(['list_splat_pattern', 'keyword_separator', 'dictionary_splat_pattern']);

/**
 * The accesses keyed by a parameter of their own function (see LocalBindings.resolve), when the
 * function is one a call names unambiguously: a module-level function, or a method directly in
 * a class body. A nested function, a lambda or a closure's free variable is left unresolved.
 */
export function keyParameterHelpers(root: Node, scopes: Scopes, accesses: readonly SessionAccess[], notUsages: readonly SessionAccess[]): KeyHelper[] {
  const helpers: KeyHelper[] = [];
  const read = (access: SessionAccess, notUsage: boolean) => {
    const parameter = access.key.kind === 'dynamic' ? access.key.parameter : undefined;
    if (parameter === undefined) {
      return;
    }
    const { start, end } = access.range;
    const name = root.descendantForPosition({ row: start.line, column: start.character }, { row: end.line, column: end.character });
    const fn = name && scopes.functionsAround(name).length === 1 ? scopes.functionOf(name) : undefined;
    const owner = fn && definitionOwner(fn);
    const fnName = fn?.childForFieldName('name')?.text;
    if (!fn || !owner || !fnName) {
      return;
    }
    const className = owner.type === 'class_definition' ? owner.childForFieldName('name')?.text : undefined;
    const place = parameterPlace(fn, parameter, className !== undefined && !isStaticMethod(fn));
    if (!place) {
      return;
    }
    const helper: KeyHelper = { name: fnName, parameter, ...place, op: access.op, range: access.range };
    helpers.push({ ...helper, ...(className ? { className } : {}), ...(access.cleanup ? { cleanup: true } : {}), ...(notUsage ? { notUsage: true } : {}), ...(notUsage && access.through ? { through: access.through } : {}) });
  };
  accesses.forEach((access) => read(access, false));
  notUsages.forEach((access) => read(access, true));
  return helpers;
}

/** The module or class whose body defines the function directly (decorated or not), if either does. */
export function definitionOwner(fn: Node): Node | undefined {
  const definition = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  const body = definition.parent;
  if (body?.type === 'module') {
    return body;
  }
  return body?.type === 'block' && body.parent?.type === 'class_definition' ? body.parent : undefined;
}

/** A `@staticmethod` takes no `self` or `cls` first. */
export function isStaticMethod(fn: Node): boolean {
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : undefined;
  return (decorated?.namedChildren ?? []).some((child) => child?.type === 'decorator' && /^@\s*staticmethod\s*$/.test(child.text));
}

/** How a call passes the parameter: its position (after a method's first), and whether by keyword. */
export function parameterPlace(fn: Node, parameter: string, bound: boolean): { position?: number; keyword: boolean } | undefined {
  let position = bound ? -1 : 0;
  let positional = true;
  const parameters = fn.childForFieldName('parameters')?.namedChildren ?? [];
  const slash = parameters.findIndex((node) => node?.type === 'positional_separator');
  for (const [i, node] of parameters.entries()) {
    const type = node?.type ?? 'comment';
    if (KEYWORD_ONLY_FROM.has(type)) {
      positional = false;
    }
    if (type === 'comment' || type === 'positional_separator' || type === 'keyword_separator') {
      continue;
    }
    const name = type === 'identifier' ? node : (node?.childForFieldName('name') ?? node?.namedChildren[0]);
    if (name?.text === parameter && (type === 'identifier' || type.endsWith('parameter'))) {
      const keyword = i > slash;
      return positional && position >= 0 ? { position, keyword } : keyword ? { keyword } : undefined;
    }
    position++;
  }
  return undefined;
}
