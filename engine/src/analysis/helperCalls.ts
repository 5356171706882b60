import type { Node } from 'web-tree-sitter';
import type { LocalBindings } from './localBindings';
import { byStart, nodeRange, type Range } from './range';
import type { Scopes } from './scopes';
import { keyExpression } from './keyExpression';
import { keyFacts, type SessionAccess } from './sessionAccesses';
import { nodesSpelled } from './textAnchors';

/** One argument of a call, as a key it may pass to a helper's key parameter. */
export interface HelperCallArgument extends Omit<SessionAccess, 'op'> {
  /** Its position among the positional arguments; absent for a keyword argument. */
  position?: number;
  keyword?: string;
}

/** A call of a function by a name some key-parameter helper has (see keyParameterHelpers); which function it calls is told across modules. */
export interface HelperCall {
  /** The function as the call names it: `recall`, `utils.recall`, or a method's name after `self.`/`cls.`. */
  callee: string;
  /** For `self.name(…)` and `cls.name(…)`: the class the call is made in. */
  className?: string;
  /** The call's own range (its name and arguments), where a reason points. */
  range: Range;
  args: HelperCallArgument[];
  /** The position of a `*args` argument: from it on, positions are not known. */
  starredFrom?: number;
  /** Set when a `**kwargs` argument may pass any keyword. */
  keywordSplat?: true;
}

/** No helper names: the index's before it knows any. */
export const NO_HELPER_NAMES: ReadonlySet<string> = new Set();

/**
 * A text pre-filter: whether the text may call a function of one of `names` (`name(`,
 * `module.name(`). A file that does is parsed for its calls even when it never says "session".
 */
export function mayCallHelper(text: string, names: ReadonlySet<string>): boolean {
  for (const name of names) {
    for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + name.length)) {
      const before = at > 0 ? text.charCodeAt(at - 1) : 32;
      if (!isNameChar(before) && /^\s*\(/.test(text.slice(at + name.length, at + name.length + 40))) {
        return true;
      }
    }
  }
  return false;
}

function isNameChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || (code >= 48 && code <= 57);
}

/**
 * The calls in a file of a function named one of `names` (`name(…)`, `module.name(…)`), and of
 * the methods `methods` through `self.`/`cls.`, with their arguments' key expressions.
 */
export function helperCallsIn(root: Node, text: string, names: ReadonlySet<string>, methods: ReadonlySet<string>, scopes: Scopes, locals: LocalBindings): HelperCall[] {
  const calls: HelperCall[] = [];
  for (const name of new Set([...names, ...methods])) {
    for (const node of nodesSpelled(root, text, name)) {
      const call = calleeCall(node, names.has(name), methods.has(name), scopes);
      if (call) {
        calls.push(readArguments(call.node, { callee: call.callee, ...(call.className ? { className: call.className } : {}), range: nodeRange(call.node), args: [] }, scopes, locals));
      }
    }
  }
  return calls.sort(byStart);
}

/** The call a name is the called function of: `name(…)` or `owner.name(…)`, with the callee as written. */
function calleeCall(name: Node, asFunction: boolean, asMethod: boolean, scopes: Scopes): { node: Node; callee: string; className?: string } | undefined {
  const parent = name.parent;
  if (name.type !== 'identifier' || !parent) {
    return undefined;
  }
  if (parent.type === 'call') {
    return asFunction && parent.childForFieldName('function')?.id === name.id ? { node: parent, callee: name.text } : undefined;
  }
  const call = parent.type === 'attribute' && parent.childForFieldName('attribute')?.id === name.id ? parent.parent : null;
  const owner = parent.childForFieldName('object');
  if (call?.type !== 'call' || call.childForFieldName('function')?.id !== parent.id || !owner) {
    return undefined;
  }
  if (owner.type === 'identifier' && (owner.text === 'self' || owner.text === 'cls')) {
    const className = asMethod ? scopes.classNameOf(call) : undefined;
    return className ? { node: call, callee: name.text, className } : undefined;
  }
  return asFunction && /^[\w.]+$/.test(owner.text) ? { node: call, callee: parent.text } : undefined;
}

function readArguments(call: Node, found: HelperCall, scopes: Scopes, locals: LocalBindings): HelperCall {
  const argumentList = call.childForFieldName('arguments');
  let position = 0;
  for (const arg of argumentList?.type === 'argument_list' ? argumentList.namedChildren : []) {
    if (!arg || arg.type === 'comment') {
      continue;
    }
    if (arg.type === 'keyword_argument') {
      const keyword = arg.childForFieldName('name')?.text;
      const value = arg.childForFieldName('value');
      if (keyword && value) {
        found.args.push({ keyword, ...argumentKey(value, scopes, locals) });
      }
    } else if (arg.type === 'list_splat') {
      found.starredFrom ??= position;
    } else if (arg.type === 'dictionary_splat') {
      found.keywordSplat = true;
    } else {
      found.args.push({ position, ...argumentKey(arg, scopes, locals) });
      position++;
    }
  }
  return found;
}

/** An argument as a key: its text and spelling only when it may name one, not a whole value passed beside the key. */
function argumentKey(arg: Node, scopes: Scopes, locals: LocalBindings): Omit<SessionAccess, 'op'> {
  const key = keyExpression(arg, locals, scopes);
  return key.kind === 'dynamic' ? { key, range: nodeRange(arg) } : keyFacts(arg, key, locals);
}
