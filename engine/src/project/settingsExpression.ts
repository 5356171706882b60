import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { stringLiteralValue } from '../analysis/stringLiteral';
import { databaseFromUrl } from './databaseUrl';
import { decoupleConfig } from './decoupleConfig';
import { environCacheConfig } from './environCacheUrl';
import { environsCall } from './environsEnv';
import { environPath, environPathCall, environPathUp } from './environPath';
import { followEnvironProxies } from './environProxy';
import { findDotEnv, loadEnvFile } from './envFileLoads';
import { type EvaluationContext, locationOf } from './evaluationContext';
import { configParserMethod, newConfigParser } from './configParserValue';
import { FILE_TESTS, testFile } from './fileExistence';
import { callFunction } from './functionCall';
import { getattrCall, hasattrCall, importModuleCall } from './moduleReflection';
import { pythonLiteralEval } from './pythonLiteral';
import { pythonFloat, pythonInt } from './pythonNumbers';
import { percentFormat, strFormat } from './pythonStringFormat';
import { globalSettingValue } from './sessionSettingDefaults';
import { certainStrs, type EnvironScheme, NONE, type SettingValue, stringOf, truthiness, unknown, unknownIncluding, withoutOnly } from './settingValue';
import { cloneSettingValue } from './settingValueClone';
import { cannotEvaluate, evaluateComprehension } from './comprehension';
import { randomKey, randomValue } from './randomValue';
import { timedeltaTotalSeconds } from './timedeltaSeconds';
import { undecidedCondition } from './undecidedCondition';

type Args = { positional: SettingValue[]; keywords: Map<string, SettingValue>; keywordNodes: Map<string, Node> };

/** The name of a `configparser` parser's method bound to it, before the method's own name. */
const PARSER_METHOD = '<configparser>.';

/** Evaluates a Python expression of a settings file without running it. */
export function evaluateExpression(node: Node, ctx: EvaluationContext): SettingValue {
  const read = expressionValue(node, ctx);
  // What a list may hold at most is known only of the list itself, not of what is made of it.
  const value = read.kind === 'unknown' && read.only !== undefined && node.type !== 'identifier' && node.type !== 'parenthesized_expression' ? withoutOnly(read) : read;
  // Only the read itself, a name bound to it and `or`/`and` over it are the unset variable's None:
  // what else is made of it (`int(X)`, `X + "s"`) is not None, nor anything known.
  return value.kind === 'unknown' && value.unsetIsNone && !KEEPS_UNSET.has(node.type) && !(node.type === 'call' && (readsEnvironment(node, ctx) || readsItem(node))) ? unknown(value.reason, value.location) : value;
}

/** `d.get(key)`: the item itself, so an unset variable's None stored in a dict stays one (pretalx's CONFIG layers). */
function readsItem(call: Node): boolean {
  const callee = call.childForFieldName('function');
  return callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'get';
}

/** Expressions whose value is their operand's own, an unset variable's None included. */
const KEEPS_UNSET = new Set(['identifier', 'parenthesized_expression', 'boolean_operator', 'named_expression']);

/** Whether a call is `os.environ.get(X)` or `os.getenv(X)`, which reads an unset variable as None. */
function readsEnvironment(call: Node, ctx: EvaluationContext): boolean {
  const callee = evaluateExpression(call.childForFieldName('function')!, ctx);
  return callee.kind === 'ref' && (callee.name === 'os.environ.get' || callee.name === 'os.getenv');
}

function expressionValue(node: Node, ctx: EvaluationContext): SettingValue {
  const here = locationOf(ctx.file, node);
  switch (node.type) {
    case 'string':
    case 'concatenated_string':
      return evaluateString(node, ctx);
    case 'integer': {
      const value = Number(node.text.replace(/_/g, '').replace(/[lL]$/, ''));
      return Number.isFinite(value) ? { kind: 'int', value } : unknown(`cannot read the number ${node.text}`, here);
    }
    case 'float':
      return { kind: 'float', value: Number(node.text.replace(/_/g, '')) };
    case 'true':
      return { kind: 'bool', value: true };
    case 'false':
      return { kind: 'bool', value: false };
    case 'none':
      return NONE;
    case 'parenthesized_expression':
      return node.namedChildren[0] ? evaluateExpression(node.namedChildren[0], ctx) : NONE;
    case 'list':
    case 'set':
      return { kind: 'list', items: elements(node, ctx) };
    case 'tuple':
    case 'expression_list':
      return { kind: 'tuple', items: elements(node, ctx) };
    case 'dictionary':
      return evaluateDict(node, ctx);
    case 'lambda':
      return { kind: 'ref', name: '<lambda>', definition: { node, module: ctx } };
    case 'identifier':
      return evaluateName(node, ctx);
    case 'attribute':
      return evaluateAttribute(node, ctx);
    case 'subscript':
      return evaluateSubscript(node, ctx);
    case 'binary_operator':
      return evaluateBinary(node, ctx);
    case 'unary_operator': {
      const operand = evaluateExpression(node.childForFieldName('argument')!, ctx);
      const operator = node.childForFieldName('operator')?.text;
      if ((operand.kind === 'int' || operand.kind === 'float') && operator === '-') {
        return { kind: operand.kind, value: -operand.value };
      }
      return operator === '+' ? operand : unknown(`cannot evaluate ${node.text}`, here);
    }
    case 'not_operator': {
      // An unknown operand's reason ("needs environment variable X") says more than `not X`.
      const operand = evaluateExpression(node.childForFieldName('argument')!, ctx);
      const truth = truthiness(operand);
      return truth === undefined ? (operand.kind === 'unknown' ? { ...operand, notNone: true } : operand) : { kind: 'bool', value: !truth };
    }
    case 'boolean_operator':
      return evaluateBoolean(node, ctx);
    case 'comparison_operator':
      return evaluateComparison(node, ctx);
    case 'conditional_expression': {
      const [whenTrue, condition, whenFalse] = node.namedChildren;
      const value = condition ? evaluateExpression(condition, ctx) : undefined;
      const truth = value && truthiness(value);
      if (truth === undefined || !whenTrue || !whenFalse) {
        return unknown(undecidedCondition(condition?.text ?? node.text, value, here), here);
      }
      return evaluateExpression(truth ? whenTrue : whenFalse, ctx);
    }
    case 'call':
      return evaluateCall(node, ctx);
    case 'named_expression': {
      // `(port := get_int("PORT")) is not None` binds port as it tests it.
      const value = evaluateExpression(node.childForFieldName('value')!, ctx);
      const name = node.childForFieldName('name');
      if (name) {
        ctx.namespace.set(name.text, { value, location: here });
      }
      return value;
    }
    case 'list_comprehension':
    case 'set_comprehension':
    case 'dictionary_comprehension':
    case 'generator_expression':
      return evaluateComprehension(node, ctx);
    default:
      return cannotEvaluate(node, ctx);
  }
}

function elements(node: Node, ctx: EvaluationContext): SettingValue[] {
  return node.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment').map((child) => evaluateExpression(child, ctx));
}

function evaluateString(node: Node, ctx: EvaluationContext): SettingValue {
  const literal = stringLiteralValue(node);
  if (literal !== undefined) {
    return { kind: 'str', value: literal };
  }
  const parts = node.type === 'concatenated_string' ? node.namedChildren : [node];
  let value = '';
  for (const part of parts) {
    for (const child of part?.namedChildren ?? []) {
      if (child?.type === 'string_content' || child?.type === 'escape_sequence') {
        value += child.text;
      } else if (child?.type === 'interpolation') {
        const inner = child.namedChildren[0];
        const evaluated = inner ? evaluateExpression(inner, ctx) : NONE;
        const text = stringOf(evaluated) ?? (evaluated.kind === 'int' || evaluated.kind === 'float' ? String(evaluated.value) : undefined);
        if (text === undefined) {
          return evaluated.kind === 'unknown' ? evaluated : unknown(`cannot format ${child.text} statically`, locationOf(ctx.file, child));
        }
        value += text;
      }
    }
  }
  return { kind: 'str', value };
}

function evaluateDict(node: Node, ctx: EvaluationContext): SettingValue {
  const entries = new Map<string, SettingValue>();
  for (const pair of node.namedChildren) {
    if (pair?.type === 'pair') {
      const key = evaluateExpression(pair.childForFieldName('key')!, ctx);
      if (key.kind === 'str') {
        entries.set(key.value, evaluateExpression(pair.childForFieldName('value')!, ctx));
      }
    } else if (pair?.type === 'dictionary_splat') {
      const spread = pair.namedChildren[0] ? evaluateExpression(pair.namedChildren[0], ctx) : NONE;
      if (spread.kind === 'dict') {
        spread.entries.forEach((value, key) => entries.set(key, value));
      }
    }
  }
  return { kind: 'dict', entries };
}

function evaluateName(node: Node, ctx: EvaluationContext): SettingValue {
  const name = node.text;
  const bound = ctx.namespace.get(name);
  if (bound) {
    return bound.value;
  }
  if (name === '__file__') {
    return { kind: 'str', value: ctx.file };
  }
  if (['str', 'int', 'bool', 'float', 'list', 'tuple', 'dict', 'len', 'getattr', 'hasattr', 'sorted', 'isinstance', 'any', 'all'].includes(name)) {
    return { kind: 'ref', name: `builtins.${name}` };
  }
  return unknown(`'${name}' is not defined statically in this settings module`, locationOf(ctx.file, node));
}

function evaluateAttribute(node: Node, ctx: EvaluationContext): SettingValue {
  const object = evaluateExpression(node.childForFieldName('object')!, ctx);
  const name = node.childForFieldName('attribute')?.text ?? '';
  // The list itself, not a copy: `sys.path.append(...)` changes where later imports are found.
  if (object.kind === 'ref' && object.name === 'sys' && name === 'path') {
    return ctx.sysPath;
  }
  if (object.kind === 'ref' && object.config) {
    // A parser's method, bound to it: the call reads or changes that parser (see configParserMethod).
    return { kind: 'ref', name: `${PARSER_METHOD}${name}`, config: object.config };
  }
  if (object.kind === 'ref') {
    return globalSettingValue(`${object.name}.${name}`) ?? { kind: 'ref', name: `${object.name}.${name}` };
  }
  if (object.kind === 'module') {
    const member = object.namespace.get(name);
    if (member) {
      return cloneSettingValue(member.value);
    }
    const submodule = path.basename(object.file) === '__init__.py' ? ctx.importModule(object.file, `.${name}`) : undefined;
    return submodule ?? unknown(`'${name}' is not found statically in ${path.relative(ctx.projectRoot, object.file)}`, locationOf(ctx.file, node));
  }
  if (object.kind === 'path' && name === 'parent') {
    return { kind: 'path', value: path.dirname(object.value) };
  }
  if (object.kind === 'path' && name === 'parents') {
    const ancestors: SettingValue[] = [];
    for (let dir = object.value; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
      ancestors.push({ kind: 'path', value: path.dirname(dir) });
    }
    return { kind: 'tuple', items: ancestors };
  }
  if (object.kind === 'path' || object.kind === 'str' || object.kind === 'environ' || object.kind === 'dict') {
    return { kind: 'ref', name: `<${object.kind}>.${name}` };
  }
  // `MIDDLEWARE.index("…")`, which django-debug-toolbar's documented insert takes its place from.
  if ((object.kind === 'list' || object.kind === 'tuple') && (name === 'index' || name === 'count')) {
    return { kind: 'ref', name: `<list>.${name}` };
  }
  return object.kind === 'unknown' ? object : unknown(`cannot read .${name} of ${node.childForFieldName('object')?.text}`, locationOf(ctx.file, node));
}

function evaluateSubscript(node: Node, ctx: EvaluationContext): SettingValue {
  const container = evaluateExpression(node.childForFieldName('value')!, ctx);
  const index = node.childForFieldName('subscript');
  const key = index ? evaluateExpression(index, ctx) : NONE;
  const here = locationOf(ctx.file, node);
  if (container.kind === 'ref' && container.name === 'os.environ' && key.kind === 'str') {
    return environmentValue(key.value, undefined, ctx, here);
  }
  if (container.kind === 'dict' && key.kind === 'str') {
    return container.entries.get(key.value) ?? unknown(`no key '${key.value}' in ${node.childForFieldName('value')?.text}`, here);
  }
  if ((container.kind === 'list' || container.kind === 'tuple') && key.kind === 'int') {
    return container.items.at(key.value) ?? unknown(`index ${key.value} is out of range`, here);
  }
  if (container.kind === 'unknown') {
    return container;
  }
  return key.kind === 'unknown' ? key : unknown(`cannot evaluate ${node.text} statically`, here);
}

function evaluateBinary(node: Node, ctx: EvaluationContext): SettingValue {
  const left = evaluateExpression(node.childForFieldName('left')!, ctx);
  const right = evaluateExpression(node.childForFieldName('right')!, ctx);
  const operator = node.childForFieldName('operator')?.text;
  if (left.kind === 'unknown' || right.kind === 'unknown') {
    const unknownSide = left.kind === 'unknown' ? left : (right as Extract<SettingValue, { kind: 'unknown' }>);
    // `[...] + get_core_apps()` is a list that holds the literal's items, whatever the call gives.
    const held = operator === '+' ? [certainStrs(left), certainStrs(right)] : [];
    return held.some((strs) => strs !== undefined) && (isSequence(left) || isSequence(right)) ? unknownIncluding(unknownSide, held.flatMap((strs) => strs ?? [])) : unknownSide;
  }
  if (operator === '/' && left.kind === 'path' && (right.kind === 'str' || right.kind === 'path')) {
    return { kind: 'path', value: path.resolve(left.value, right.value) };
  }
  if (operator === '%' && left.kind === 'str') {
    return percentFormat(left.value, right, locationOf(ctx.file, node));
  }
  if (operator === '-' && left.kind === 'path' && right.kind === 'int') {
    return environPathUp(left.value, right.value);
  }
  // environ.Path's `+` joins, as its `/` does (Funkwhale's `(ROOT_DIR - 1) + "config"`); a pathlib Path has no `+`.
  if (operator === '+' && left.kind === 'path' && (right.kind === 'str' || right.kind === 'path')) {
    return { kind: 'path', value: path.resolve(left.value, right.value) };
  }
  if (operator === '+' && left.kind === 'str' && right.kind === 'str') {
    return { kind: 'str', value: left.value + right.value };
  }
  // `'x' * 50` (a placeholder key) and `3 * 'ab'`, as Python repeats a str; a count below 1 gives ''.
  const text = left.kind === 'str' ? left : right.kind === 'str' ? right : undefined;
  const count = left.kind === 'int' ? left : right.kind === 'int' ? right : undefined;
  if (operator === '*' && text && count) {
    return { kind: 'str', value: text.value.repeat(Math.max(0, Math.min(count.value, 1_000_000))) };
  }
  if (operator === '+' && (left.kind === 'list' || left.kind === 'tuple') && left.kind === right.kind) {
    return { kind: left.kind, items: [...left.items, ...right.items] };
  }
  if ((left.kind === 'int' || left.kind === 'float') && (right.kind === 'int' || right.kind === 'float')) {
    const kind = left.kind === 'float' || right.kind === 'float' ? 'float' : 'int';
    switch (operator) {
      case '+':
        return { kind, value: left.value + right.value };
      case '-':
        return { kind, value: left.value - right.value };
      case '*':
        return { kind, value: left.value * right.value };
      case '//':
        return { kind: 'int', value: Math.floor(left.value / right.value) };
      case '/':
        return { kind: 'float', value: left.value / right.value };
    }
  }
  return unknown(`cannot evaluate ${node.text} statically`, locationOf(ctx.file, node));
}

function isSequence(value: SettingValue): boolean {
  return value.kind === 'list' || value.kind === 'tuple';
}

function evaluateBoolean(node: Node, ctx: EvaluationContext): SettingValue {
  const left = evaluateExpression(node.childForFieldName('left')!, ctx);
  const operator = node.childForFieldName('operator')?.text;
  const truth = truthiness(left);
  if (truth === undefined) {
    // `TEST or DEBUG` is true when DEBUG is, whatever TEST is; `X and False` false.
    const right = left.kind === 'unknown' ? evaluateExpression(node.childForFieldName('right')!, ctx) : undefined;
    const rightTruth = right ? truthiness(right) : undefined;
    if (left.kind !== 'unknown' || !right) {
      return left;
    }
    // Either operand is the value: no None where neither is.
    const notNone = left.notNone && (right.kind === 'unknown' ? right.notNone : right.kind !== 'none') ? { notNone: true as const } : {};
    return rightTruth === (operator === 'or') ? { ...left, truthy: rightTruth, ...notNone } : { ...left, ...notNone };
  }
  if ((operator === 'or' && truth) || (operator === 'and' && !truth)) {
    return left;
  }
  const right = evaluateExpression(node.childForFieldName('right')!, ctx);
  // `os.environ.get('X') or None` is None because X is unset: the variable stays what is reported.
  return left.kind === 'unknown' && right.kind === 'none' ? left : right;
}

function evaluateComparison(node: Node, ctx: EvaluationContext): SettingValue {
  const operands = node.namedChildren.filter((child): child is Node => child !== null);
  const operator = node.children.find((child) => child !== null && !child.isNamed)?.type;
  if (operands.length !== 2) {
    return unknown(`cannot evaluate ${node.text} statically`, locationOf(ctx.file, node));
  }
  // A variable not set here, read without a default, is None in a comparison (`X is None`, `X != "mysql"`).
  const asNone = (value: SettingValue): SettingValue => (value.kind === 'unknown' && value.unsetIsNone ? NONE : value);
  const left = asNone(evaluateExpression(operands[0]!, ctx));
  const right = asNone(evaluateExpression(operands[1]!, ctx));
  // A value that is no None for certain is not None, whatever it is (pretalx's `"runserver" in sys.argv or …`).
  const unknownSide = left.kind === 'unknown' ? left : right.kind === 'unknown' ? right : undefined;
  const otherSide = unknownSide === left ? right : left;
  if (unknownSide?.kind === 'unknown' && unknownSide.notNone && otherSide.kind === 'none' && (operator === 'is' || operator === 'is not')) {
    return { kind: 'bool', value: operator === 'is not' };
  }
  // An unknown operand's reason ("needs environment variable X") says more than the comparison's text; a comparison gives a bool.
  if (unknownSide?.kind === 'unknown') {
    return { ...unknownSide, notNone: true };
  }
  const same = scalarEquals(left, right);
  if ((operator === 'is' || operator === 'is not') && isSingleton(left, right)) {
    return { kind: 'bool', value: operator === 'is' ? same === true : same !== true };
  }
  if (operator === 'in' || operator === 'not in') {
    const found = contains(right, left, ctx, locationOf(ctx.file, node));
    if (typeof found === 'boolean') {
      return { kind: 'bool', value: operator === 'in' ? found : !found };
    }
    if (found !== undefined) {
      return found.kind === 'unknown' ? { ...found, notNone: true } : found;
    }
  } else if (same !== undefined && (operator === '==' || operator === '!=')) {
    return { kind: 'bool', value: operator === '==' ? same : !same };
  } else if ((left.kind === 'int' || left.kind === 'float') && (right.kind === 'int' || right.kind === 'float')) {
    switch (operator) {
      case '<':
        return { kind: 'bool', value: left.value < right.value };
      case '<=':
        return { kind: 'bool', value: left.value <= right.value };
      case '>':
        return { kind: 'bool', value: left.value > right.value };
      case '>=':
        return { kind: 'bool', value: left.value >= right.value };
    }
  }
  return { ...(unknown(`cannot evaluate ${node.text} statically`, locationOf(ctx.file, node)) as Extract<SettingValue, { kind: 'unknown' }>), notNone: true };
}

/**
 * `item in container` for a list, tuple, dict (its keys), str, or `os.environ`: a variable is in
 * it when set where the settings are read, as `os.getenv(name, default)` is read; unknown when a
 * load that may not run may set it. Undefined when it cannot be told.
 */
function contains(container: SettingValue, item: SettingValue, ctx: EvaluationContext, here: ReturnType<typeof locationOf>): boolean | SettingValue | undefined {
  if (container.kind === 'list' || container.kind === 'tuple') {
    return container.items.some((entry) => scalarEquals(item, entry) === true);
  }
  if (item.kind !== 'str') {
    return undefined;
  }
  if (container.kind === 'dict') {
    return container.entries.has(item.value);
  }
  if (container.kind === 'str') {
    return container.value.includes(item.value);
  }
  if (container.kind === 'ref' && container.name === 'os.environ') {
    const undecided = ctx.env.undecidedRead(item.value, true);
    return undecided !== undefined ? unknown(undecided, here) : ctx.env.has(item.value);
  }
  return undefined;
}

/** Whether `a is b` can be told for known values: one side is None, True or False, which Python has once each. */
function isSingleton(a: SettingValue, b: SettingValue): boolean {
  return a.kind === 'none' || b.kind === 'none' || a.kind === 'bool' || b.kind === 'bool';
}

function scalarEquals(a: SettingValue, b: SettingValue): boolean | undefined {
  if (a.kind === 'unknown' || b.kind === 'unknown') {
    return undefined;
  }
  if (a.kind === 'none' || b.kind === 'none') {
    return a.kind === b.kind;
  }
  if ('value' in a && 'value' in b) {
    return a.value === b.value;
  }
  return undefined;
}

function evaluateArgs(node: Node, ctx: EvaluationContext): Args {
  const args: Args = { positional: [], keywords: new Map(), keywordNodes: new Map() };
  const list = node.childForFieldName('arguments');
  // `f(x for x in items)`: the generator is the call's only argument, in place of an argument list.
  if (list?.type === 'generator_expression') {
    args.positional.push(evaluateExpression(list, ctx));
    return args;
  }
  for (const arg of list?.namedChildren ?? []) {
    if (!arg || arg.type === 'comment') {
      continue;
    }
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name')?.text ?? '';
      args.keywords.set(name, evaluateExpression(arg.childForFieldName('value')!, ctx));
      args.keywordNodes.set(name, arg);
    } else if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') {
      // `f(*parts)` and `f(**options)` of a known tuple, list or dict pass its items.
      const spread = evaluateExpression(arg.namedChildren[0]!, ctx);
      if (arg.type === 'list_splat' && (spread.kind === 'list' || spread.kind === 'tuple')) {
        args.positional.push(...spread.items);
      } else if (arg.type === 'dictionary_splat' && spread.kind === 'dict') {
        spread.entries.forEach((value, name) => args.keywords.set(name, value));
      } else {
        args.positional.push(spread.kind === 'unknown' ? spread : unknown(`cannot pass ${arg.text} statically`, locationOf(ctx.file, arg)));
      }
    } else {
      args.positional.push(evaluateExpression(arg, ctx));
    }
  }
  return args;
}

function evaluateCall(node: Node, ctx: EvaluationContext): SettingValue {
  const calleeNode = node.childForFieldName('function')!;
  const here = locationOf(ctx.file, node);
  const seconds = timedeltaTotalSeconds(calleeNode, (inner) => evaluateExpression(inner, ctx), here);
  if (seconds) {
    return seconds;
  }
  const callee = evaluateExpression(calleeNode, ctx);
  if (callee.kind === 'unknown') {
    return callee;
  }
  if (callee.kind !== 'environ' && callee.kind !== 'path' && callee.kind !== 'ref') {
    return unknown(`cannot call ${calleeNode.text} statically`, here);
  }
  const raisedBefore = ctx.jump === 'raise';
  const args = evaluateArgs(node, ctx);
  // An argument that raised for certain: the call is never made.
  if (!raisedBefore && ctx.jump === 'raise' && ctx.returned) {
    return ctx.returned;
  }
  if (callee.kind === 'environ') {
    return environCall(callee, '__call__', args, ctx, here);
  }
  if (callee.kind === 'path') {
    return environPathCall(callee.value, args.positional, args.keywords, ctx.projectRoot, here);
  }
  if (callee.config && callee.name.startsWith(PARSER_METHOD)) {
    const result = configParserMethod(callee.config, callee.name.slice(PARSER_METHOD.length), args, ctx, here) ?? unknown(`cannot evaluate ${calleeNode.text}() statically`, here);
    raiseFrom(result, ctx);
    return result;
  }
  const parser = newConfigParser(callee.name);
  if (parser) {
    return parser;
  }
  if (callee.definition) {
    const result = callFunction(callee.definition, calleeNode.text, args, ctx, here);
    raiseFrom(result, ctx);
    return result;
  }
  const first = args.positional[0];
  const fileTest = FILE_TESTS.get(callee.name);
  if (fileTest) {
    return testFile(callee.name.startsWith('<path>.') ? evaluateExpression(calleeNode.childForFieldName('object')!, ctx) : first, fileTest, ctx, here);
  }
  if (callee.name.startsWith('<path>.')) {
    const base = evaluateExpression(calleeNode.childForFieldName('object')!, ctx);
    return pathMethod(base, callee.name.slice('<path>.'.length), args, ctx, here);
  }
  if (callee.name.startsWith('<dict>.')) {
    const dict = evaluateExpression(calleeNode.childForFieldName('object')!, ctx);
    return dict.kind === 'dict' ? dictMethod(dict, callee.name.slice('<dict>.'.length), args, here) : unknownFrom(dict, here);
  }
  if (callee.name.startsWith('<list>.')) {
    const list = evaluateExpression(calleeNode.childForFieldName('object')!, ctx);
    const result = list.kind === 'list' || list.kind === 'tuple' ? listMethod(list.items, callee.name.slice('<list>.'.length), first, here) : unknownFrom(list, here);
    raiseFrom(result, ctx);
    return result;
  }
  if (callee.name.startsWith('<str>.')) {
    const text = stringOf(evaluateExpression(calleeNode.childForFieldName('object')!, ctx));
    return text === undefined ? unknown(`cannot call ${calleeNode.text}`, here) : stringMethod(text, callee.name.slice('<str>.'.length), args, here);
  }
  if (callee.name.startsWith('<environ>.')) {
    const env = evaluateExpression(calleeNode.childForFieldName('object')!, ctx);
    return env.kind === 'environ' ? environCall(env, callee.name.slice('<environ>.'.length), args, ctx, here) : unknown(`cannot call ${calleeNode.text}`, here);
  }
  switch (callee.name) {
    case 'pathlib.Path':
    case 'pathlib.PurePath':
      return args.positional.length === 0 ? { kind: 'path', value: ctx.projectRoot } : joinPaths(args.positional, ctx, here, 'path');
    case 'os.path.join':
      return joinPaths(args.positional, ctx, here, 'str');
    case 'os.path.expanduser': {
      const text = stringOf(first);
      if (text === undefined || !text.startsWith('~')) {
        return text === undefined ? unknownFrom(first, here) : { kind: 'str', value: text };
      }
      const home = ctx.env.get('HOME');
      return home === undefined ? unknown('needs environment variable HOME', here) : { kind: 'str', value: `${home}${text.slice(1)}` };
    }
    case 'pathlib.Path.home': {
      // pretalx's `Path.home() / ".pretalx.cfg"`: HOME, as os.path.expanduser("~") reads it.
      const home = ctx.env.get('HOME');
      return home === undefined ? unknown('needs environment variable HOME', here) : { kind: 'path', value: home };
    }
    case 'os.path.dirname':
      return stringOf(first) !== undefined ? { kind: 'str', value: path.dirname(stringOf(first)!) } : unknownFrom(first, here);
    case 'os.path.abspath':
    case 'os.path.realpath':
    case 'os.path.normpath':
      return stringOf(first) !== undefined ? { kind: 'str', value: path.resolve(ctx.projectRoot, stringOf(first)!) } : unknownFrom(first, here);
    case 'os.environ.get':
    case 'os.getenv': {
      const name = stringOf(first);
      if (name === undefined) {
        return unknownFrom(first, here);
      }
      // Without a default, an unset variable gives None at run time, but here it only means the variable is not known.
      const fallback = args.positional[1] ?? args.keywords.get('default');
      const value = environmentValue(name, fallback, ctx, here);
      return value.kind === 'unknown' && fallback === undefined ? { ...value, unsetIsNone: true } : value;
    }
    case 'os.environ.setdefault': {
      const name = stringOf(first);
      const value = stringOf(args.positional[1]);
      if (name !== undefined && value !== undefined && !ctx.env.has(name)) {
        ctx.env.load(new Map([[name, value]]));
      }
      return name === undefined ? unknownFrom(first, here) : environmentValue(name, args.positional[1], ctx, here);
    }
    case 'environ.Path':
      return environPath(first, args.positional.slice(1), args.keywords, ctx.projectRoot, here);
    case 'environ.Env.read_env':
      return readEnv(args, ctx, here);
    case 'dotenv.load_dotenv': {
      const file = args.positional[0] ?? args.keywords.get('dotenv_path');
      const override = truthiness(args.keywords.get('override') ?? args.positional[3] ?? NONE) === true;
      const interpolate = args.keywords.get('interpolate') ?? args.positional[4];
      const found = file ?? findDotEnv({}, ctx, here);
      return stringOf(found) === '' ? { kind: 'bool', value: false } : loadEnvFile(found, override, interpolate === undefined || truthiness(interpolate) !== false, ctx, here);
    }
    case 'dotenv.read_dotenv': {
      // django-dotenv (also imported as `dotenv`): the named file, else the `.env` beside the calling file.
      const file = args.positional[0] ?? args.keywords.get('dotenv') ?? dotEnvBeside(ctx);
      const override = truthiness(args.keywords.get('override') ?? args.positional[1] ?? NONE) === true;
      return file.kind === 'none' ? NONE : loadEnvFile(file, override, false, ctx, here);
    }
    case 'dotenv.find_dotenv':
      return findDotEnv({ filename: first ?? args.keywords.get('filename'), raiseErrorIfNotFound: args.positional[1] ?? args.keywords.get('raise_error_if_not_found'), usecwd: args.positional[2] ?? args.keywords.get('usecwd') }, ctx, here);
    case 'builtins.str':
      return first?.kind === 'path' ? { kind: 'str', value: first.value } : first && 'value' in first ? { kind: 'str', value: String(first.value) } : unknownFrom(first, here);
    case 'builtins.int':
    case 'builtins.float': {
      // int("yes") raises ValueError where the settings run it (Tandoor's DEBUG = bool(int(os.getenv("DEBUG", "0")))).
      const number = callee.name === 'builtins.int' ? pythonInt(first, here) : pythonFloat(first, here);
      raiseFrom(number, ctx);
      return number;
    }
    case 'ast.literal_eval': {
      const literal = first?.kind === 'str' ? pythonLiteralEval(first.value, here) : unknownFrom(first, here);
      raiseFrom(literal, ctx);
      return literal;
    }
    case 'copy.deepcopy':
      // Seahub builds its DATABASES from a deepcopy of a template dict.
      return first === undefined || first.kind === 'unknown' ? unknownFrom(first, here) : cloneSettingValue(first);
    case 'copy.copy':
      // A shallow copy: what it holds is shared, as in Python.
      return first?.kind === 'dict' ? { kind: 'dict', entries: new Map(first.entries) } : first?.kind === 'list' ? { kind: 'list', items: [...first.items] } : first && first.kind !== 'unknown' ? first : unknownFrom(first, here);
    case 'builtins.len':
      return first?.kind === 'str' ? { kind: 'int', value: [...first.value].length } : first?.kind === 'list' || first?.kind === 'tuple' ? { kind: 'int', value: first.items.length } : first?.kind === 'dict' ? { kind: 'int', value: first.entries.size } : unknownFrom(first, here);
    case 'builtins.isinstance':
      return isInstance(first, args.positional[1], here);
    case 'builtins.any':
    case 'builtins.all': {
      const truths = first?.kind === 'list' || first?.kind === 'tuple' ? first.items.map(truthiness) : undefined;
      if (!truths || truths.includes(undefined)) {
        return unknownFrom(first, here);
      }
      return { kind: 'bool', value: callee.name === 'builtins.any' ? truths.includes(true) : truths.every((truth) => truth === true) };
    }
    case 'builtins.bool':
      return first ? (truthiness(first) === undefined ? first : { kind: 'bool', value: truthiness(first)! }) : { kind: 'bool', value: false };
    case 'builtins.dict': {
      // dict(mapping, **keywords): a copy of the mapping, then the keywords; pairs are not read.
      if (first !== undefined && first.kind !== 'dict') {
        return unknownFrom(first, here);
      }
      const entries = new Map(first?.kind === 'dict' ? first.entries : []);
      args.keywords.forEach((value, key) => entries.set(key, value));
      return { kind: 'dict', entries };
    }
    case 'builtins.sorted':
      return sortedItems(first) ?? unknownFrom(first, here);
    case 'builtins.list':
    case 'builtins.tuple':
      return first?.kind === 'list' || first?.kind === 'tuple' ? { kind: callee.name === 'builtins.list' ? 'list' : 'tuple', items: first.items } : unknownFrom(first, here);
    case 'builtins.getattr':
      return getattrCall(args.positional, ctx, here);
    case 'builtins.hasattr':
      return hasattrCall(args.positional, here);
    case 'importlib.import_module':
      return importModuleCall(args.positional, args.keywords, ctx, here);
    case 'django.core.management.utils.get_random_secret_key':
      return randomKey(node, ctx, 'a random key (get_random_secret_key())');
    case 'decouple.config':
      return decoupleConfig(args.positional, args.keywords, ctx, here);
    case 'environ.Env':
      return { kind: 'environ', schemes: environSchemes(args) };
    case 'environs.Env':
      return { kind: 'environ', schemes: new Map(), library: 'environs' };
    case 'split_settings.tools.optional':
      return first?.kind === 'str' ? { ...first, optionalInclude: true } : unknownFrom(first, here);
    case 'decouple.Csv':
      return callee;
    case 'dj_database_url.parse':
      return first?.kind === 'str' ? withDatabaseOptions(databaseFromUrl(first.value, first.envVar), args) : unknownFrom(first, here);
    case 'dj_database_url.config': {
      const variable = stringOf(args.keywords.get('env')) ?? 'DATABASE_URL';
      const url = environmentValue(variable, args.keywords.get('default') ?? NONE, ctx, here);
      // Without a URL (the variable unset or empty, and no default) it gives {}, and only logs a
      // warning: `DATABASES['default'].update(dj_database_url.config())` then changes nothing.
      if (url.kind === 'none' || (url.kind === 'str' && url.value === '')) {
        return { kind: 'dict', entries: new Map(), emptyBecause: `dj_database_url.config() gives {} when ${variable} is not set` };
      }
      return url.kind === 'str' ? withDatabaseOptions(databaseFromUrl(url.value, url.envVar), args) : url;
    }
    default: {
      // A name imported from a module the project does not hold says where it comes from (Label Studio's get_env).
      const imported = callee.name !== calleeNode.text && !/^(<|builtins\.)/.test(callee.name) ? ` (${callee.name}, imported from outside the project)` : '';
      return randomValue(node, ctx) ?? unknown(`cannot evaluate a call to ${calleeNode.text}${imported} statically`, here);
    }
  }
}

/**
 * A call that raises for certain raises where it is made: in a function being called, or in the
 * body of a `try`, the rest is skipped (see jump). Settings that raise at module level are noted
 * once the statement has run, as a `raise` statement is (see runStatements).
 */
function raiseFrom(result: SettingValue, ctx: EvaluationContext): void {
  if (result.kind === 'unknown' && result.raises !== undefined && ctx.jump === undefined) {
    ctx.jump = 'raise';
    ctx.returned = result;
  }
}

/** `str.split(sep, maxsplit)` and `rsplit`, with a separator, or on whitespace without a limit. */
function pythonSplit(text: string, separator: string | undefined, maxsplit: number, fromRight: boolean): string[] {
  if (separator === undefined) {
    return text.split(/\s+/).filter((part) => part !== '');
  }
  const parts = text.split(separator);
  if (maxsplit < 0 || parts.length <= maxsplit + 1) {
    return parts;
  }
  return fromRight ? [parts.slice(0, parts.length - maxsplit).join(separator), ...parts.slice(parts.length - maxsplit)] : [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(separator)];
}

/** The kinds of value an instance of each builtin type is here: a bool is an int too, as in Python. */
const INSTANCE_KINDS: Record<string, readonly SettingValue['kind'][]> = {
  'builtins.str': ['str'],
  'builtins.bool': ['bool'],
  'builtins.int': ['int', 'bool'],
  'builtins.float': ['float'],
  'builtins.list': ['list'],
  'builtins.tuple': ['tuple'],
  'builtins.dict': ['dict'],
};

/** `isinstance(value, type)` or `(type, …)` over the builtin types, for a value whose type is known (Nautobot's `is_truthy`). */
function isInstance(value: SettingValue | undefined, types: SettingValue | undefined, here: ReturnType<typeof locationOf>): SettingValue {
  const classes = types?.kind === 'tuple' ? types.items : types ? [types] : [];
  const kinds = classes.map((cls) => (cls.kind === 'ref' ? INSTANCE_KINDS[cls.name] : undefined));
  if (!value || value.kind === 'unknown' || kinds.length === 0 || kinds.includes(undefined)) {
    return value?.kind === 'unknown' ? value : unknown('cannot evaluate isinstance() statically', here);
  }
  const known = ['str', 'bool', 'int', 'float', 'list', 'tuple', 'dict', 'none'].includes(value.kind);
  return known ? { kind: 'bool', value: kinds.some((accepted) => accepted!.includes(value.kind)) } : unknown('cannot evaluate isinstance() statically', here);
}

/** `items.index(x)` (ValueError where it is missing) and `items.count(x)`, for scalar items. */
function listMethod(items: SettingValue[], method: string, item: SettingValue | undefined, here: ReturnType<typeof locationOf>): SettingValue {
  const scalar = item && (item.kind === 'str' || item.kind === 'int' || item.kind === 'bool' || item.kind === 'float') ? item : undefined;
  if (!scalar || items.some((candidate) => candidate.kind === 'unknown')) {
    return item?.kind === 'unknown' ? item : unknown(`cannot evaluate list.${method}() statically`, here);
  }
  const matches = items.map((candidate, i) => (candidate.kind === scalar.kind && candidate.value === scalar.value ? i : -1)).filter((i) => i >= 0);
  if (method === 'count') {
    return { kind: 'int', value: matches.length };
  }
  return matches.length > 0 ? { kind: 'int', value: matches[0]! } : { kind: 'unknown', reason: `list.index(${JSON.stringify(scalar.value)}) raises ValueError: it is not in the list`, location: here, raises: 'ValueError' };
}

/** The dict methods that read (pretalx's `value.get(layer_name)` over its CONFIG): get, items, keys, values. */
function dictMethod(dict: Extract<SettingValue, { kind: 'dict' }>, method: string, args: Args, here: ReturnType<typeof locationOf>): SettingValue {
  const key = stringOf(args.positional[0]);
  if (method !== 'get' && args.positional.length + args.keywords.size > 0) {
    return unknown(`cannot evaluate dict.${method}() statically`, here);
  }
  switch (method) {
    case 'get':
      return key === undefined ? unknownFrom(args.positional[0], here) : (dict.entries.get(key) ?? args.positional[1] ?? args.keywords.get('default') ?? NONE);
    case 'items':
      return { kind: 'list', items: [...dict.entries].map(([name, value]): SettingValue => ({ kind: 'tuple', items: [{ kind: 'str', value: name }, value] })) };
    case 'keys':
      return { kind: 'list', items: [...dict.entries.keys()].map((name): SettingValue => ({ kind: 'str', value: name })) };
    case 'values':
      return { kind: 'list', items: [...dict.entries.values()] };
    default:
      return unknown(`cannot evaluate dict.${method}() statically`, here);
  }
}

/** `sorted(x)` of a known list or tuple of strs, or of numbers; undefined for anything else. */
function sortedItems(value: SettingValue | undefined): SettingValue | undefined {
  if (value?.kind !== 'list' && value?.kind !== 'tuple') {
    return undefined;
  }
  const items = [...value.items];
  if (items.every((item) => item.kind === 'str')) {
    return { kind: 'list', items: items.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)) };
  }
  if (items.every((item) => item.kind === 'int' || item.kind === 'float')) {
    return { kind: 'list', items: items.sort((a, b) => a.value - b.value) };
  }
  return undefined;
}

function unknownFrom(value: SettingValue | undefined, here: ReturnType<typeof locationOf>): SettingValue {
  return value?.kind === 'unknown' ? value : unknown('cannot evaluate this call statically', here);
}

function joinPaths(parts: SettingValue[], ctx: EvaluationContext, here: ReturnType<typeof locationOf>, kind: 'str' | 'path'): SettingValue {
  const strings: string[] = [];
  for (const part of parts) {
    const text = stringOf(part);
    if (text === undefined) {
      return unknownFrom(part, here);
    }
    strings.push(text);
  }
  const joined = kind === 'path' ? path.resolve(ctx.projectRoot, ...strings) : path.join(...strings);
  return { kind, value: joined };
}

/** The str methods settings use on environment values: `os.environ.get('X', 'False').lower() == 'true'`. */
function stringMethod(text: string, method: string, args: Args, here: ReturnType<typeof locationOf>): SettingValue {
  switch (method) {
    case 'format':
      return strFormat(text, args.positional, args.keywords, here);
    case 'lower':
    case 'casefold':
      return { kind: 'str', value: text.toLowerCase() };
    case 'upper':
      return { kind: 'str', value: text.toUpperCase() };
    case 'capitalize':
      // InvenTree's COOKIE_MODE.capitalize(): the first character upper, the rest lower.
      return { kind: 'str', value: text.slice(0, 1).toUpperCase() + text.slice(1).toLowerCase() };
    case 'strip':
    case 'lstrip':
    case 'rstrip':
      if (args.positional.length > 0) {
        break;
      }
      return { kind: 'str', value: method === 'strip' ? text.trim() : method === 'lstrip' ? text.trimStart() : text.trimEnd() };
    case 'split':
    case 'rsplit': {
      const separator = stringOf(args.positional[0] ?? args.keywords.get('sep'));
      const limit = args.positional[1] ?? args.keywords.get('maxsplit');
      const maxsplit = limit === undefined ? -1 : limit.kind === 'int' ? limit.value : undefined;
      if (maxsplit === undefined || (args.positional.length >= 1 && args.positional[0]?.kind !== 'none' && !separator) || (separator === undefined && maxsplit >= 0)) {
        break;
      }
      return { kind: 'list', items: pythonSplit(text, separator, maxsplit, method === 'rsplit').map((part) => ({ kind: 'str', value: part })) };
    }
    case 'partition':
    case 'rpartition': {
      const separator = stringOf(args.positional[0]);
      if (!separator) {
        break;
      }
      const at = method === 'partition' ? text.indexOf(separator) : text.lastIndexOf(separator);
      const parts = at < 0 ? (method === 'partition' ? [text, '', ''] : ['', '', text]) : [text.slice(0, at), separator, text.slice(at + separator.length)];
      return { kind: 'tuple', items: parts.map((part) => ({ kind: 'str', value: part })) };
    }
    case 'join': {
      const parts = args.positional.length === 1 && (args.positional[0]?.kind === 'list' || args.positional[0]?.kind === 'tuple') ? args.positional[0].items : undefined;
      // An unknown part says why (bakerydemo's "".join(random choices)).
      const unknownPart = parts?.find((part) => part.kind === 'unknown') ?? (args.positional[0]?.kind === 'unknown' ? args.positional[0] : undefined);
      if (unknownPart) {
        return unknownPart;
      }
      if (parts?.every((part) => part.kind === 'str')) {
        return { kind: 'str', value: parts.map((part) => part.value).join(text) };
      }
      break;
    }
    case 'find':
    case 'rfind': {
      // Kiwi TCMS's `ENGINE.find("mysql") > -1`; Python counts code points, not UTF-16 units.
      const sub = args.positional.length === 1 ? stringOf(args.positional[0]) : undefined;
      if (sub === undefined) {
        break;
      }
      const at = method === 'find' ? text.indexOf(sub) : text.lastIndexOf(sub);
      return { kind: 'int', value: at < 0 ? -1 : [...text.slice(0, at)].length };
    }
    case 'startswith':
    case 'endswith': {
      const first = args.positional[0];
      const options = args.positional.length !== 1 ? undefined : first?.kind === 'tuple' ? first.items.map(stringOf) : [stringOf(first)];
      if (!options || options.some((option) => option === undefined)) {
        break;
      }
      return { kind: 'bool', value: (options as string[]).some((option) => (method === 'startswith' ? text.startsWith(option) : text.endsWith(option))) };
    }
    case 'replace': {
      const [from, to] = args.positional.map(stringOf);
      if (args.positional.length !== 2 || !from || to === undefined) {
        break;
      }
      return { kind: 'str', value: text.split(from).join(to) };
    }
  }
  return unknown(`cannot evaluate str.${method}() statically`, here);
}

/** Files read as settings, up to this size: a secret or a one-line config, not data. */
const MAX_READ_TEXT = 64 * 1024;

/**
 * `Path.read_text()` of a file where the settings are read (pretalx's `SECRET_KEY =
 * SECRET_FILE.read_text()` of data/.secret): its text, and the file watched, since writing it
 * changes the settings; FileNotFoundError where there is none, as Python raises.
 */
function readText(file: string, ctx: EvaluationContext, here: ReturnType<typeof locationOf>): SettingValue {
  const absolute = path.resolve(ctx.projectRoot, file);
  ctx.envFiles.add(absolute);
  try {
    if (fs.statSync(absolute).size > MAX_READ_TEXT) {
      return unknown(`${file} is larger than a settings file is read`, here);
    }
    return { kind: 'str', value: fs.readFileSync(absolute, 'utf8') };
  } catch {
    const raised: SettingValue = { kind: 'unknown', reason: `reading ${file} raises FileNotFoundError: there is no such file here`, location: here, raises: 'FileNotFoundError' };
    raiseFrom(raised, ctx);
    return raised;
  }
}

function pathMethod(base: SettingValue, method: string, args: Args, ctx: EvaluationContext, here: ReturnType<typeof locationOf>): SettingValue {
  if (base.kind !== 'path') {
    return unknownFrom(base, here);
  }
  switch (method) {
    case 'resolve':
    case 'absolute':
    case 'expanduser':
      return { kind: 'path', value: path.resolve(ctx.projectRoot, base.value) };
    case 'joinpath':
      return joinPaths([base, ...args.positional], ctx, here, 'path');
    case 'read_text':
      return readText(base.value, ctx, here);
    case 'as_posix':
    case '__str__':
      return { kind: 'str', value: base.value };
    case 'path':
      return environPath(base, args.positional, args.keywords, ctx.projectRoot, here);
    case 'file':
      return openedFile(base.value, args.positional[0], ctx, here);
    default:
      return unknown(`cannot evaluate Path.${method}() statically`, here);
  }
}

/**
 * django-environ's `Path.file(name)`, which opens the file: FileNotFoundError where it is
 * missing (Funkwhale's loop tries each config directory for a `.env` so); where it is there, the
 * open file, which `read_env()` reads as it reads its path. Creating the file changes the settings.
 */
function openedFile(dir: string, name: SettingValue | undefined, ctx: EvaluationContext, here: ReturnType<typeof locationOf>): SettingValue {
  const relative = stringOf(name);
  if (relative === undefined) {
    return unknownFrom(name, here);
  }
  const file = path.resolve(ctx.projectRoot, dir, relative);
  ctx.envFiles.add(file);
  const opened: SettingValue = fs.existsSync(file) ? { kind: 'path', value: file } : { kind: 'unknown', reason: `opening ${relative} raises FileNotFoundError: ${file} does not exist`, location: here, raises: 'FileNotFoundError' };
  raiseFrom(opened, ctx);
  return opened;
}

/** The `.env` beside the file being run, which django-environ's `read_env()` and django-dotenv's `read_dotenv()` load without a path. */
function dotEnvBeside(ctx: EvaluationContext): SettingValue {
  return { kind: 'str', value: path.join(path.dirname(ctx.file), '.env') };
}

/** django-environ's `read_env(env_file=None, overwrite=False)`: without a path, the `.env` next to the calling file. */
function readEnv(args: Args, ctx: EvaluationContext, here: ReturnType<typeof locationOf>): SettingValue {
  const file = args.positional[0] ?? args.keywords.get('env_file') ?? dotEnvBeside(ctx);
  const overwrite = truthiness(args.keywords.get('overwrite') ?? args.positional[1] ?? NONE) === true;
  loadEnvFile(file, overwrite, false, ctx, here);
  return NONE;
}

/** Looks a variable up in the process environment and `.env` files, else the default. */
function environmentValue(name: string, fallback: SettingValue | undefined, ctx: EvaluationContext, here: ReturnType<typeof locationOf>): SettingValue {
  const undecided = ctx.env.undecidedRead(name, fallback !== undefined);
  if (undecided !== undefined) {
    return unknown(undecided, here);
  }
  const value = ctx.env.get(name);
  if (value !== undefined) {
    return { kind: 'str', value, envVar: name };
  }
  return fallback ?? unknown(`needs environment variable ${name}`, here);
}

/**
 * django-environ raises ImproperlyConfigured for a variable that is not set and has no default.
 * In a `try` that raise decides which clause runs (EthicalAds' `try: env.read_env(env("ENV_FILE"))
 * except ImproperlyConfigured: ...`), so there it is raised; elsewhere the variable is reported as needed.
 */
function environMissing(value: SettingValue, fallback: SettingValue | undefined, name: string, ctx: EvaluationContext): SettingValue {
  if (value.kind !== 'unknown' || fallback !== undefined || (ctx.tryDepth ?? 0) === 0 || ctx.env.has(name) || ctx.env.undecidedRead(name, false) !== undefined) {
    return value;
  }
  const raised: SettingValue = { ...value, raises: 'ImproperlyConfigured' };
  raiseFrom(raised, ctx);
  return raised;
}

/** A django-environ cast argument by name: `int` → `int`, `[str]` → `list`; undefined when none is given. */
function castName(cast: SettingValue | undefined): string | undefined {
  if (cast?.kind === 'ref') {
    return cast.name.replace(/^builtins\./, '');
  }
  return cast?.kind === 'list' || cast?.kind === 'tuple' || cast?.kind === 'dict' ? cast.kind : undefined;
}

function environSchemes(args: Args): Map<string, EnvironScheme> {
  const schemes = new Map<string, EnvironScheme>();
  for (const [name, scheme] of args.keywords) {
    const entry: EnvironScheme = { cast: castName(scheme.kind === 'tuple' ? scheme.items[0] : scheme) ?? 'str' };
    if (scheme.kind === 'tuple' && scheme.items[1]) {
      entry.default = scheme.items[1];
    }
    schemes.set(name, entry);
  }
  return schemes;
}

const ENVIRON_CASTS = new Set(['str', 'int', 'bool', 'float', 'list', 'tuple', 'json', 'url', 'path', 'db', 'db_url', 'cache', 'cache_url']);

/** The environ methods whose second parameter is a cast, as `Env.__call__(var, cast=None, default=NOTSET)`; the others take `(var, default=NOTSET)`. */
const CAST_FIRST = new Set(['__call__', 'list', 'tuple']);
/** The methods that parse their default as they parse the variable; the others return a default as given. */
const PARSES_DEFAULT = new Set(['path', 'db', 'db_url', 'cache', 'cache_url']);

/** django-environ: `env('X', cast, default)`, `env.str/int/bool/list('X', default)`, `env.db()`, `env.cache()` and `env.read_env()`. */
function environCall(env: Extract<SettingValue, { kind: 'environ' }>, method: string, args: Args, ctx: EvaluationContext, here: ReturnType<typeof locationOf>): SettingValue {
  if (env.library === 'environs') {
    const result = environsCall(method, args, ctx, here, (name, fallback) => environmentValue(name, fallback, ctx, here));
    raiseFrom(result, ctx);
    return result;
  }
  if (method === 'read_env') {
    return readEnv(args, ctx, here);
  }
  if (method === 'email' || method === 'email_url') {
    return environEmailConfig(here);
  }
  if (method !== '__call__' && !ENVIRON_CASTS.has(method)) {
    return unknown(`cannot evaluate env.${method}() statically`, here);
  }
  const defaultVariable = method.startsWith('db') ? 'DATABASE_URL' : method.startsWith('cache') ? 'CACHE_URL' : undefined;
  const name = stringOf(args.positional[0] ?? args.keywords.get('var')) ?? defaultVariable;
  if (name === undefined) {
    return unknown(`cannot tell which environment variable ${method === '__call__' ? 'env()' : `env.${method}()`} reads`, here);
  }
  const scheme = env.schemes.get(name);
  const castFirst = CAST_FIRST.has(method);
  const fallback = args.keywords.get('default') ?? args.positional[castFirst ? 2 : 1] ?? scheme?.default;
  if (!ctx.env.has(name) && ctx.env.undecidedRead(name, true) === undefined && fallback !== undefined && !PARSES_DEFAULT.has(method)) {
    return fallback;
  }
  const raw = followEnvironProxies(environmentValue(name, fallback, ctx, here), (proxied) => environMissing(environmentValue(proxied, fallback, ctx, here), fallback, proxied, ctx));
  if (raw.kind !== 'str') {
    return environMissing(raw, fallback, name, ctx);
  }
  // A plain env('X') casts as its cast argument, else as the Env(X=(cast, default)) scheme says.
  const cast = method === '__call__' ? castName(args.keywords.get('cast') ?? args.positional[1]) ?? scheme?.cast ?? 'str' : method;
  switch (cast) {
    case 'int':
      return pythonInt(raw, here);
    case 'float':
      return { kind: 'float', value: Number(raw.value) };
    case 'bool':
      return { kind: 'bool', value: ['true', 'on', 'ok', 'y', 'yes', '1'].includes(raw.value.trim().toLowerCase()) };
    case 'list':
    case 'tuple':
      return { kind: cast === 'tuple' ? 'tuple' : 'list', items: raw.value.split(',').filter((item) => item !== '').map((item) => ({ kind: 'str', value: item.trim() })) };
    case 'path':
      return { kind: 'path', value: path.resolve(ctx.projectRoot, raw.value) };
    case 'db':
    case 'db_url':
      return databaseFromUrl(raw.value, raw.envVar);
    case 'cache':
    case 'cache_url': {
      // `cache_url(var, default, backend)`: a backend= replaces the scheme's.
      const backend = args.keywords.get('backend') ?? args.positional[2];
      if (backend !== undefined && backend.kind !== 'none' && stringOf(backend) === undefined) {
        return unknownFrom(backend, here);
      }
      return environCacheConfig(raw.value, stringOf(backend));
    }
    default:
      return raw;
  }
}

/** The names django-environ's `email_url_config` may give, whatever the URL: its values are not read. */
const EMAIL_CONFIG_NAMES = ['EMAIL_FILE_PATH', 'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_BACKEND', 'EMAIL_USE_TLS', 'EMAIL_USE_SSL', 'OPTIONS'];

/** `env.email_url()`: a dict of the EMAIL_* settings, so `vars().update(…)` of it sets no other name. */
function environEmailConfig(here: ReturnType<typeof locationOf>): SettingValue {
  return { kind: 'dict', entries: new Map(EMAIL_CONFIG_NAMES.map((name) => [name, unknown('an email setting from env.email_url(), not read statically', here)])) };
}

function withDatabaseOptions(database: SettingValue, args: Args): SettingValue {
  if (database.kind !== 'dict') {
    return database;
  }
  const age = args.keywords.get('conn_max_age');
  if (age) {
    database.entries.set('CONN_MAX_AGE', age);
  }
  const sslRequire = args.keywords.get('ssl_require');
  if (sslRequire && truthiness(sslRequire) !== false) {
    const options = database.entries.get('OPTIONS');
    const entries = options?.kind === 'dict' ? options.entries : new Map<string, SettingValue>();
    // A flag that cannot be read statically leaves the TLS unknown rather than weaker.
    entries.set('sslmode', truthiness(sslRequire) === true ? { kind: 'str', value: 'require' } : unknown('ssl_require= cannot be read statically'));
    database.entries.set('OPTIONS', { kind: 'dict', entries });
  }
  return database;
}
