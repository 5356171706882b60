import type { Node } from 'web-tree-sitter';
import { type EvaluationContext, locationOf } from './evaluationContext';
import { bind, forgetBinding, touch } from './namespaceBinding';
import { evaluateExpression, isModuleBeingEvaluated } from './settingsExpression';
import { certainStrs, NONE, type SettingValue, unknown } from './settingValue';
import { isInclude, runInclude } from './splitSettingsInclude';
import { forgetContainer, forgetEverySetting, forgetObject, handsOverNamespace } from './unfollowedEffects';
import { MAX_STATIC_ITEMS } from './staticSizeLimits';

/** Calls that change nothing of what they are given, so a setting passed to one stays known. */
const HARMLESS = new Set(['print', 'len', 'repr', 'isinstance', 'sorted', 'any', 'all', 'id', 'type']);
/** Calls that run code static reading does not see. */
const RUNS_CODE = new Set(['exec', 'execfile']);
/**
 * A project function that runs code, takes its caller's frame (Kiwi TCMS's
 * `import_local_settings()`, which exec()s override files into the settings' globals) or writes
 * its module's globals by name (authentik's `_update_settings()`: `globals()[name] = …`, or
 * `setattr(sys.modules[__name__], key, value)`) may set any setting, and so may one that calls
 * such a function of the same module.
 */
const REACHES_CALLER = /\b(?:exec|execfile)\s*\(|\bsys\.modules\s*\[\s*__name__\s*\]|\binspect\.(?:stack|currentframe)\b|\bsys\._getframe\b|\bf_globals\b|\bglobals\s*\(\s*\)\s*(?:\[[^\]]*\]\s*=[^=]|\.\s*(?:update|setdefault)\s*\()/;

/**
 * A call made for its effect (a statement of its own): django-split-settings' `include()`,
 * the dict and list methods that change a setting where their arguments are known, the
 * environment files `read_env()` / `load_dotenv()` load. Any other call may change what it is
 * given or called on: those settings become unknown at the call, and all of them do when the
 * call is handed the module's namespace (`globals()`) or runs code (`exec`).
 */
export function runCallStatement(call: Node, ctx: EvaluationContext): void {
  const calleeNode = call.childForFieldName('function');
  if (!calleeNode) {
    return;
  }
  if (isInclude(evaluateExpression(calleeNode, ctx))) {
    runInclude(call, ctx);
    return;
  }
  if (applyMethod(call, ctx) || updateNamespace(call, ctx) || setModuleAttribute(call, ctx)) {
    return;
  }
  const callee = evaluateExpression(calleeNode, ctx);
  if (callee.kind === 'ref' && callee.definition && reachesCaller(callee.definition.node, new Set())) {
    forgetEverySetting(ctx, `may be set by ${firstLine(call.text)}, whose ${callee.name.replace(/^<local>\./, '')}() runs code, reaches its caller's globals or sets globals by name, which static reading cannot follow`, call);
    return;
  }
  const result = evaluateExpression(call, ctx);
  if (result.kind !== 'unknown' || HARMLESS.has(calleeNode.text) || calleeNode.text.startsWith('logging.') || calleeNode.text.startsWith('warnings.')) {
    return;
  }
  const args = callArgumentNodes(call);
  const receiver = calleeNode.type === 'attribute' ? calleeNode.childForFieldName('object') : null;
  // An argument that cannot be read says why; a call of something unknown needs no more words.
  const cause = args.filter((arg) => !handsOverNamespace(arg)).map((arg) => evaluateExpression(arg, ctx)).find((value) => value.kind === 'unknown');
  const reason = `changed by ${firstLine(call.text)}, which static reading cannot follow${cause?.kind === 'unknown' ? `: ${cause.reason}` : ''}`;
  if (RUNS_CODE.has(calleeNode.text) || [...args, ...(receiver ? [receiver] : [])].some(handsOverNamespace)) {
    forgetEverySetting(ctx, `may be ${reason}`, call);
    return;
  }
  if (receiver) {
    forgetContainer(receiver, reason, call, ctx);
  }
  for (const arg of args) {
    forgetObject(evaluateExpression(arg, ctx), reason, call, ctx);
  }
  forgetLocalFunctionEffects(calleeNode, reason, call, ctx);
}

/** Whether a function's code, or that of a module-level function of its file it calls by name, matches REACHES_CALLER. */
function reachesCaller(definition: Node, seen: Set<number>): boolean {
  if (seen.has(definition.id)) {
    return false;
  }
  seen.add(definition.id);
  if (REACHES_CALLER.test(definition.text)) {
    return true;
  }
  const called = new Set(definition.descendantsOfType('call').map((call) => call?.childForFieldName('function')?.text));
  return definition.tree.rootNode.namedChildren.some((child) => child?.type === 'function_definition' && called.has(child.childForFieldName('name')?.text) && reachesCaller(child, seen));
}

function firstLine(text: string): string {
  const line = text.split('\n')[0]!;
  return line === text ? line : `${line} …`;
}

/** The argument expressions of a call, keyword values included. */
export function callArgumentNodes(call: Node): Node[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).flatMap((arg) => {
    if (!arg || arg.type === 'comment') {
      return [];
    }
    const inner = arg.type === 'keyword_argument' ? arg.childForFieldName('value') : arg.type === 'list_splat' || arg.type === 'dictionary_splat' ? arg.namedChildren[0] : arg;
    return inner ? [inner] : [];
  });
}

/**
 * A function defined in the settings and called here may change the settings it declares
 * `global` and any dict or list setting it names; what it does is not followed.
 */
function forgetLocalFunctionEffects(calleeNode: Node, reason: string, call: Node, ctx: EvaluationContext): void {
  if (calleeNode.type !== 'identifier') {
    return;
  }
  const definition = calleeNode.tree.rootNode.namedChildren.find((child) => child?.type === 'function_definition' && child.childForFieldName('name')?.text === calleeNode.text);
  const body = definition?.childForFieldName('body');
  if (!body) {
    return;
  }
  const globals = new Set(body.descendantsOfType('global_statement').flatMap((statement) => statement?.namedChildren.map((name) => name?.text ?? '') ?? []));
  const uses = new Map<string, Node[]>();
  for (const name of body.descendantsOfType('identifier')) {
    if (name && !globals.has(name.text) && ctx.namespace.has(name.text)) {
      uses.set(name.text, [...(uses.get(name.text) ?? []), name]);
    }
  }
  // A list the function only adds to keeps what it held (authentik's plugin loop extends INSTALLED_APPS).
  for (const [name, nodes] of uses) {
    forgetObject(ctx.namespace.get(name)!.value, reason, call, ctx, nodes.every(isGrowingCall));
  }
  const here = locationOf(ctx.file, call);
  for (const name of globals) {
    forgetBinding(name, unknown(reason, here), here, ctx);
  }
}

/**
 * `vars().update(config)` (also `globals()` or `locals()`) at module level, with a dict whose
 * keys are known: binds each key, as Python does (DefectDojo's and Funkwhale's
 * `vars().update(env.email_url(…))`, django-environ's documented idiom, sets only EMAIL_* names).
 */
function updateNamespace(call: Node, ctx: EvaluationContext): boolean {
  const member = call.childForFieldName('function');
  const object = member?.type === 'attribute' && member.childForFieldName('attribute')?.text === 'update' ? member.childForFieldName('object') : null;
  // `vars(obj)` is that object's namespace, not the module's.
  if (!object || object.type !== 'call' || !handsOverNamespace(object) || (object.childForFieldName('arguments')?.namedChildren.length ?? 0) > 0 || ctx.callDepth !== undefined) {
    return false;
  }
  const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((arg): arg is Node => arg !== null && arg.type !== 'comment');
  const keywords = args.filter((arg) => arg.type === 'keyword_argument');
  const positional = args.filter((arg) => arg.type !== 'keyword_argument');
  const mapping = positional.length === 1 && positional[0]!.type !== 'list_splat' && positional[0]!.type !== 'dictionary_splat' ? evaluateExpression(positional[0]!, ctx) : undefined;
  if (positional.length > 1 || (positional.length === 1 && mapping?.kind !== 'dict')) {
    return false;
  }
  const entries: [string, SettingValue][] = mapping?.kind === 'dict' ? [...mapping.entries] : [];
  keywords.forEach((arg) => entries.push([arg.childForFieldName('name')!.text, evaluateExpression(arg.childForFieldName('value')!, ctx)]));
  for (const [name, value] of entries) {
    bind(name, value, call, ctx);
  }
  return true;
}

/**
 * `setattr(this, name, value)` on the settings module itself (`this = sys.modules[__name__]`,
 * or that expression): binds the name where it is known, and may set any setting where not.
 */
function setModuleAttribute(call: Node, ctx: EvaluationContext): boolean {
  const args = callArgumentNodes(call);
  if (call.childForFieldName('function')?.text !== 'setattr' || args.length !== 3 || !isModuleBeingEvaluated(evaluateExpression(args[0]!, ctx), ctx)) {
    return false;
  }
  const name = evaluateExpression(args[1]!, ctx);
  if (name.kind === 'str') {
    bind(name.value, evaluateExpression(args[2]!, ctx), call, ctx, args[2]);
  } else {
    forgetEverySetting(ctx, `may be set by ${firstLine(call.text)}, whose name static reading cannot know${name.kind === 'unknown' ? ` (${name.reason})` : ''}`, call);
  }
  return true;
}

const GROWING = new Set(['append', 'extend', 'insert']);

/** `name.append(…)`, `name.extend(…)` or `name.insert(…)`. */
function isGrowingCall(name: Node): boolean {
  const attribute = name.parent;
  return attribute?.type === 'attribute' && attribute.childForFieldName('object')?.id === name.id && GROWING.has(attribute.childForFieldName('attribute')?.text ?? '') && attribute.parent?.type === 'call';
}

const METHODS = new Set(['update', 'append', 'extend', 'insert', 'setdefault', 'remove', 'pop', 'clear']);

/**
 * `CACHES.update({...})`, `INSTALLED_APPS.append(...)`, `MIDDLEWARE.insert(0, ...)`,
 * `MIDDLEWARE.remove(...)` on a known dict or list with known arguments; false when the call
 * is not one of those (`os.environ.setdefault(...)`, or arguments that cannot be read).
 */
function applyMethod(call: Node, ctx: EvaluationContext): boolean {
  const member = call.childForFieldName('function');
  const method = member?.type === 'attribute' ? member.childForFieldName('attribute')?.text ?? '' : '';
  const object = member?.type === 'attribute' ? member.childForFieldName('object') : null;
  if (!object || !METHODS.has(method)) {
    return false;
  }
  const target = evaluateExpression(object, ctx);
  const args = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((arg): arg is Node => arg !== null && arg.type !== 'comment');
  const values = args.filter((arg) => arg.type !== 'keyword_argument').map((arg) => evaluateExpression(arg, ctx));
  const keywords = args.filter((arg) => arg.type === 'keyword_argument').map((arg): [string, SettingValue] => [arg.childForFieldName('name')!.text, evaluateExpression(arg.childForFieldName('value')!, ctx)]);
  if (!applied(target, method, values, keywords)) {
    return false;
  }
  touch(object, ctx);
  return true;
}

function applied(target: SettingValue, method: string, values: SettingValue[], keywords: [string, SettingValue][]): boolean {
  const [first, second] = values;
  if (target.kind === 'dict') {
    const key = first?.kind === 'str' ? first.value : undefined;
    if (method === 'update' && values.every((value) => value.kind === 'dict') && values.length <= 1) {
      values.forEach((value) => value.kind === 'dict' && value.entries.forEach((item, name) => target.entries.set(name, item)));
      keywords.forEach(([name, value]) => target.entries.set(name, value));
      return true;
    }
    if (method === 'setdefault' && key !== undefined) {
      if (!target.entries.has(key)) {
        target.entries.set(key, second ?? NONE);
      }
      return true;
    }
    if (method === 'pop' && key !== undefined && (target.entries.has(key) || second)) {
      target.entries.delete(key);
      return true;
    }
    if (method === 'clear' && values.length === 0) {
      target.entries.clear();
      return true;
    }
    return false;
  }
  if (target.kind === 'unknown' && (method === 'append' || method === 'extend' || method === 'insert')) {
    // Adding items leaves every item it holds for certain where it was, holds the known strs added
    // too, and may hold any other.
    delete target.only;
    const item = method === 'insert' ? second : first;
    const added = method === 'extend' ? (certainStrs(first) ?? []) : item?.kind === 'str' ? [item.value] : [];
    const held = [...(target.includes ?? []), ...added];
    if (held.length > 0) {
      target.includes = [...new Set(held)];
      return true;
    }
  }
  if (target.kind !== 'list') {
    return false;
  }
  // Not followed past the size static reading builds: the list is then forgotten, as for a call it cannot follow.
  const added = method === 'extend' && (first?.kind === 'list' || first?.kind === 'tuple') ? first.items.length : 1;
  if ((method === 'append' || method === 'extend' || method === 'insert') && target.items.length + added > MAX_STATIC_ITEMS) {
    return false;
  }
  if (method === 'append' && first && values.length === 1) {
    target.items.push(first);
  } else if (method === 'extend' && (first?.kind === 'list' || first?.kind === 'tuple')) {
    target.items.push(...first.items);
  } else if (method === 'insert' && first?.kind === 'int' && second) {
    target.items.splice(first.value < 0 ? Math.max(0, target.items.length + first.value) : first.value, 0, second);
  } else if (method === 'remove' && first && first.kind !== 'unknown' && target.items.some((item) => sameValue(item, first))) {
    target.items.splice(target.items.findIndex((item) => sameValue(item, first)), 1);
  } else if (method === 'pop' && (first === undefined || first.kind === 'int') && inRange(first?.value ?? -1, target.items.length)) {
    target.items.splice(first?.value ?? -1, 1);
  } else if (method === 'clear' && values.length === 0) {
    target.items.length = 0;
  } else {
    return false;
  }
  return true;
}

/** Whether Python's `items[index]` exists in a list of `length`. */
function inRange(index: number, length: number): boolean {
  return index >= -length && index < length;
}

/** Equality of scalar values, as `list.remove` compares. */
function sameValue(a: SettingValue, b: SettingValue): boolean {
  return a.kind === b.kind && 'value' in a && 'value' in b && a.value === b.value;
}
