import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { stringLiteralValue } from '../analysis/stringLiteral';
import { bytesLiteralValue } from './bytesLiteral';
import { cannotEvaluate, evaluateComprehension } from './comprehension';
import { PARSER_METHOD } from './configParserValue';
import { type DictLayer, environmentDict } from './environmentDict';
import { environmentOf, environmentValue } from './environmentValue';
import { type EvaluationContext, locationOf } from './evaluationContext';
import { moduleDunder } from './moduleDunders';
import { sliceOf } from './pythonSlice';
import { globalSettingValue } from './sessionSettingDefaults';
import { evaluateCall } from './settingsCall';
import { evaluateBinary, evaluateBoolean, evaluateComparison } from './settingsOperators';
import { NONE, type SettingValue, stringOf, truthiness, unknown, withoutOnly } from './settingValue';
import { cloneSettingValue } from './settingValueClone';
import { undecidedCondition } from './undecidedCondition';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

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
  const bytes = bytesLiteralValue(node);
  if (bytes !== undefined) {
    // Text whose UTF-8 is these bytes signs as they do (salted_hmac takes force_bytes of SECRET_KEY).
    try {
      return { kind: 'str', value: UTF8.decode(bytes) };
    } catch {
      return unknown('a bytes value that is not UTF-8 text cannot be followed statically', locationOf(ctx.file, node));
    }
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
  let entries = new Map<string, SettingValue>();
  const layers: DictLayer[] = [];
  for (const pair of node.namedChildren) {
    if (pair?.type === 'pair') {
      const key = evaluateExpression(pair.childForFieldName('key')!, ctx);
      if (key.kind === 'str') {
        entries.set(key.value, evaluateExpression(pair.childForFieldName('value')!, ctx));
      }
    } else if (pair?.type === 'dictionary_splat') {
      const spread = pair.namedChildren[0] ? evaluateExpression(pair.namedChildren[0], ctx) : NONE;
      if (spread.kind === 'ref' && spread.name === 'os.environ') {
        layers.push(entries, spread);
        entries = new Map();
        continue;
      }
      if (spread.kind !== 'dict') {
        // `{**somewhere.load()}`: what it adds, or replaces, cannot be told.
        return unknown(`cannot tell the items ${pair.text} puts in the dict${spread.kind === 'unknown' ? ` (${spread.reason})` : ''}`, locationOf(ctx.file, pair));
      }
      spread.entries.forEach((value, key) => entries.set(key, value));
    }
  }
  return layers.length > 0 ? environmentDict([...layers, entries], ctx, locationOf(ctx.file, node)) : { kind: 'dict', entries };
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
  const dunder = moduleDunder(name, ctx, locationOf(ctx.file, node));
  if (dunder) {
    return dunder;
  }
  if (['str', 'int', 'bool', 'float', 'list', 'tuple', 'dict', 'set', 'object', 'len', 'getattr', 'hasattr', 'sorted', 'isinstance', 'any', 'all', 'dir'].includes(name)) {
    return { kind: 'ref', name: `builtins.${name}` };
  }
  if (PYTHON_BUILTINS.has(name)) {
    return unknown(`static reading does not evaluate Python's ${name}()`, locationOf(ctx.file, node));
  }
  return unknown(`'${name}' is not defined statically in this settings module`, locationOf(ctx.file, node));
}

/** Python's other builtins: a name of these is defined, just not evaluated here (Seahub's `for attr in dir(module)`). */
const PYTHON_BUILTINS = new Set([
  'abs', 'aiter', 'anext', 'ascii', 'bin', 'breakpoint', 'bytearray', 'bytes', 'callable', 'chr', 'classmethod', 'compile', 'complex',
  'delattr', 'divmod', 'enumerate', 'eval', 'exec', 'filter', 'format', 'frozenset', 'globals', 'hash', 'help', 'hex', 'id',
  'input', 'issubclass', 'iter', 'locals', 'map', 'max', 'memoryview', 'min', 'next', 'oct', 'open', 'ord', 'pow', 'print', 'property',
  'range', 'repr', 'reversed', 'round', 'setattr', 'slice', 'staticmethod', 'sum', 'super', 'type', 'vars', 'zip',
]);

function evaluateAttribute(node: Node, ctx: EvaluationContext): SettingValue {
  const object = evaluateExpression(node.childForFieldName('object')!, ctx);
  const name = node.childForFieldName('attribute')?.text ?? '';
  // The list itself, not a copy: `sys.path.append(...)` changes where later imports are found.
  if (object.kind === 'ref' && object.name === 'sys' && name === 'path') {
    return ctx.sysPath;
  }
  if (object.kind === 'ref' && object.name === 'sys' && name === 'argv' && ctx.argv) {
    return { kind: 'list', items: ctx.argv.map((arg): SettingValue => ({ kind: 'str', value: arg })) };
  }
  if (object.kind === 'ref' && object.config) {
    // A parser's method, bound to it: the call reads or changes that parser (see configParserMethod).
    return { kind: 'ref', name: `${PARSER_METHOD}${name}`, config: object.config };
  }
  if (object.kind === 'ref' && object.environment) {
    // A copy of os.environ: its methods read the copy (see environmentOf).
    return { kind: 'ref', name: `${object.name}.${name}`, environment: object.environment };
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
  // `MIDDLEWARE.index("…")`, which django-debug-toolbar's documented insert takes its place from;
  // `seen.add(x)` of a set, held as a list (CommCare's order-keeping dedupe of INSTALLED_APPS).
  if ((object.kind === 'list' || object.kind === 'tuple') && (name === 'index' || name === 'count' || (name === 'add' && object.kind === 'list'))) {
    return { kind: 'ref', name: `<list>.${name}` };
  }
  return object.kind === 'unknown' ? object : unknown(`cannot read .${name} of ${node.childForFieldName('object')?.text}`, locationOf(ctx.file, node));
}

function evaluateSubscript(node: Node, ctx: EvaluationContext): SettingValue {
  if (isOwnModule(node, ctx)) {
    return { kind: 'module', file: ctx.file, namespace: ctx.namespace };
  }
  const container = evaluateExpression(node.childForFieldName('value')!, ctx);
  const index = node.childForFieldName('subscript');
  const here = locationOf(ctx.file, node);
  if (index?.type === 'slice') {
    return sliceOf(container, index, ctx, here);
  }
  const key = index ? evaluateExpression(index, ctx) : NONE;
  if (container.kind === 'ref' && container.name === 'os.environ' && key.kind === 'str') {
    return environmentValue(key.value, undefined, environmentOf(container, ctx), here);
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

/**
 * `sys.modules[__name__]` read at module level: the settings module itself, whose attributes
 * are its names (a function's own namespace is no module's, so there it stays unread).
 */
function isOwnModule(node: Node, ctx: EvaluationContext): boolean {
  return ctx.callDepth === undefined && node.childForFieldName('value')?.text === 'sys.modules' && node.childForFieldName('subscript')?.text === '__name__';
}

/** Whether a value is the module being evaluated (`this = sys.modules[__name__]`), so setting its attributes sets settings. */
export function isModuleBeingEvaluated(value: SettingValue, ctx: EvaluationContext): boolean {
  return value.kind === 'module' && value.namespace === ctx.namespace && ctx.callDepth === undefined;
}
