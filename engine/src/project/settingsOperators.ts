import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { SourceLocation } from '../stores/storeDescriptor';
import { environPathUp } from './environPath';
import { environmentOf } from './environmentValue';
import { type EvaluationContext, locationOf } from './evaluationContext';
import { percentFormat } from './pythonStringFormat';
import { evaluateExpression } from './settingsExpression';
import { certainStrs, NONE, type SettingValue, truthiness, unknown, unknownIncluding } from './settingValue';
import { MAX_STATIC_CHARS, MAX_STATIC_ITEMS, tooLarge } from './staticSizeLimits';

/** `a + b`, `a / b` (paths), `a % b` (formatting), `a * n` and the other arithmetic settings do. */
export function evaluateBinary(node: Node, ctx: EvaluationContext): SettingValue {
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
    return left.value.length + right.value.length > MAX_STATIC_CHARS ? tooLarge(node.text, locationOf(ctx.file, node)) : { kind: 'str', value: left.value + right.value };
  }
  // `'x' * 50` (a placeholder key) and `3 * 'ab'`, as Python repeats a str; a count below 1 gives ''.
  const text = left.kind === 'str' ? left : right.kind === 'str' ? right : undefined;
  const count = left.kind === 'int' ? left : right.kind === 'int' ? right : undefined;
  if (operator === '*' && text && count) {
    const times = Math.max(0, count.value);
    return text.value.length * times > MAX_STATIC_CHARS ? tooLarge(node.text, locationOf(ctx.file, node)) : { kind: 'str', value: text.value.repeat(times) };
  }
  if (operator === '+' && (left.kind === 'list' || left.kind === 'tuple') && left.kind === right.kind) {
    return left.items.length + right.items.length > MAX_STATIC_ITEMS ? tooLarge(node.text, locationOf(ctx.file, node)) : { kind: left.kind, items: [...left.items, ...right.items] };
  }
  // Python 3.9's merge (`BASE_CACHE | {"LOCATION": …}`): a new dict, the right's items winning.
  if (operator === '|' && left.kind === 'dict' && right.kind === 'dict') {
    return { kind: 'dict', entries: new Map([...left.entries, ...right.entries]) };
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

/** `a or b` and `a and b`, with Python's short-circuit and operand values. */
export function evaluateBoolean(node: Node, ctx: EvaluationContext): SettingValue {
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

/** One `==`, `!=`, `<`…, `in`, `not in`, `is` or `is not` between two operands; a chain is not evaluated. */
export function evaluateComparison(node: Node, ctx: EvaluationContext): SettingValue {
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
function contains(container: SettingValue, item: SettingValue, ctx: EvaluationContext, here: SourceLocation): boolean | SettingValue | undefined {
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
    const { env } = environmentOf(container, ctx);
    const undecided = env.undecidedRead(item.value, true);
    return undecided !== undefined ? unknown(undecided, here) : env.has(item.value);
  }
  // Read as runserver runs them (see `argv`), the settings run without pytest imported: `"pytest" in sys.modules` is false.
  if (container.kind === 'ref' && container.name === 'sys.modules' && ctx.argv && TEST_RUNNER_MODULES.has(item.value)) {
    return false;
  }
  return undefined;
}

/** The modules only a test run imports, which a settings module tests to tell a test run (`"pytest" in sys.modules`). */
const TEST_RUNNER_MODULES = new Set(['pytest', '_pytest']);

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
  // Lists equal lists item by item (weblate's `sys.argv[1:2] == ["test"]`); a list never equals a tuple.
  if ((a.kind === 'list' || a.kind === 'tuple') && (b.kind === 'list' || b.kind === 'tuple')) {
    if (a.kind !== b.kind || a.items.length !== b.items.length) {
      return false;
    }
    const items = a.items.map((item, i) => scalarEquals(item, b.items[i]!));
    return items.includes(false) ? false : items.includes(undefined) ? undefined : true;
  }
  return undefined;
}
