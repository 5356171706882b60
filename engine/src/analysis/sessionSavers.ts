import type { Node } from 'web-tree-sitter';
import { savesChange } from './changeSaved';
import type { Scopes } from './scopes';
import { nodesSpelled } from './textAnchors';

/**
 * A module-level function that sets `modified` on (or saves) the session of one of its
 * parameters: `def save_cart(request): request.session.modified = True`.
 */
export interface SessionSaver {
  name: string;
  /** The position of the parameter. */
  parameter: number;
}

/** A call that passes a session's owner by position: `save_cart(request)`, `utils.save_cart(request)`. */
export interface OwnerPassingCall {
  /** The function as the call names it: a name, or `module.name`. */
  callee: string;
  argument: number;
}

/**
 * The saver that a `modified = …` or `save()` on `receiver` makes of its function: when the
 * receiver is `P.session` for a positional parameter P of a module-level function.
 */
export function sessionSaver(receiver: Node, scopes: Scopes): SessionSaver | undefined {
  const owner = receiver.type === 'attribute' ? receiver.childForFieldName('object') : null;
  const around = owner?.type === 'identifier' ? scopes.functionsAround(receiver) : [];
  const fn = around.length === 1 && !scopes.classOf(receiver) ? around[0] : undefined;
  const name = fn?.childForFieldName('name')?.text;
  const parameter = fn && owner ? positionalParameters(fn).indexOf(owner.text) : -1;
  return name && parameter !== -1 ? { name, parameter } : undefined;
}

/**
 * The calls in the function of an in-place change, on a path from it (see savesChange), that
 * pass `owner` (the `request` of `request.session`) by position to a named function.
 */
export function callsPassingAfter(owner: Node, change: Node, source: { root: Node; text: string }, scopes: Scopes): OwnerPassingCall[] {
  const fn = scopes.functionOf(change);
  if (!fn) {
    return [];
  }
  const calls: OwnerPassingCall[] = [];
  for (const passed of nodesSpelled(source.root, source.text, owner.text, change.endIndex, fn.endIndex)) {
    const args = passed.parent;
    const call = args?.type === 'argument_list' ? args.parent : null;
    if (!args || call?.type !== 'call' || scopes.functionOf(call)?.startIndex !== fn.startIndex || !savesChange({ node: call, savesNow: true }, change)) {
      continue;
    }
    const before = args.namedChildren.filter((arg): arg is Node => arg !== null && arg.type !== 'comment' && arg.startIndex < passed.startIndex);
    const callee = calleeName(call.childForFieldName('function'));
    // After a `*args` the position is not known.
    if (callee && !before.some((arg) => arg.type === 'list_splat')) {
      calls.push({ callee, argument: before.length });
    }
  }
  return calls;
}

/** `f` or `module.f`, the names a function of the project is called by. */
function calleeName(fn: Node | null): string | undefined {
  if (fn?.type === 'identifier') {
    return fn.text;
  }
  return fn?.type === 'attribute' && fn.childForFieldName('object')?.type === 'identifier' ? fn.text : undefined;
}

/** Parameters after which a call fills none by position: `*args`, a bare `*`, `**kwargs`. */
const KEYWORD_ONLY_FROM = new Set(['list_splat_pattern', 'keyword_separator', 'dictionary_splat_pattern']);

/** The names of a function's parameters that a call can fill by position. */
function positionalParameters(fn: Node): string[] {
  const names: string[] = [];
  for (const parameter of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    const type = parameter?.type ?? '';
    if (!parameter || KEYWORD_ONLY_FROM.has(type)) {
      break;
    }
    if (type === 'positional_separator' || type === 'comment') {
      continue;
    }
    const name = type === 'identifier' ? parameter : (parameter.childForFieldName('name') ?? parameter.namedChildren[0]);
    names.push(name?.type === 'identifier' ? name.text : '');
  }
  return names;
}
