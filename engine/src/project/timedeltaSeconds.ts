import type { Node } from 'web-tree-sitter';
import type { SourceLocation } from '../stores/storeDescriptor';
import { type SettingValue, unknown } from './settingValue';

/** `datetime.timedelta`'s parameters in order, in microseconds each. */
const MICROSECONDS: [string, number][] = [
  ['days', 86_400_000_000],
  ['seconds', 1_000_000],
  ['microseconds', 1],
  ['milliseconds', 1000],
  ['minutes', 60_000_000],
  ['hours', 3_600_000_000],
  ['weeks', 604_800_000_000],
];

/**
 * `timedelta(...).total_seconds()` (`SESSION_COOKIE_AGE = timedelta(days=1).total_seconds()`):
 * the float Python gives, from the whole microseconds the timedelta keeps (rounded half to
 * even, as it rounds). Undefined when `callee` (the called `X.total_seconds`) is no such call.
 */
export function timedeltaTotalSeconds(callee: Node, evaluate: (node: Node) => SettingValue, here: SourceLocation): SettingValue | undefined {
  const construct = callee.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'total_seconds' ? callee.childForFieldName('object') : null;
  const constructor = construct?.type === 'call' ? evaluate(construct.childForFieldName('function')!) : undefined;
  if (!construct || constructor?.kind !== 'ref' || constructor.name !== 'datetime.timedelta') {
    return undefined;
  }
  const total = totalMicroseconds(construct, evaluate, here);
  return typeof total === 'number' ? { kind: 'float', value: total / 1_000_000 } : total;
}

/**
 * A `datetime.timedelta(...)` call (`SESSION_COOKIE_AGE = timedelta(days=1)`): an unknown value
 * that says it is a timedelta, with its seconds where its arguments are known, so a setting
 * that must be seconds can be told it is not. Undefined when `call` is no such call.
 */
export function timedeltaValue(call: Node, callee: SettingValue, reason: string, evaluate: (node: Node) => SettingValue, here: SourceLocation): SettingValue | undefined {
  if (callee.kind !== 'ref' || callee.name !== 'datetime.timedelta') {
    return undefined;
  }
  const total = totalMicroseconds(call, evaluate, here);
  const seconds = typeof total === 'number' ? total / 1_000_000 : undefined;
  const value = unknown(reason, here);
  return value.kind === 'unknown' ? { ...value, timedelta: { text: call.text, ...(seconds !== undefined ? { seconds } : {}) } } : value;
}

/** The whole microseconds a `timedelta(...)` call keeps (rounded half to even, as Python rounds), or why they cannot be told. */
function totalMicroseconds(construct: Node, evaluate: (node: Node) => SettingValue, here: SourceLocation): number | SettingValue {
  let total = 0;
  let position = 0;
  for (const arg of construct.childForFieldName('arguments')?.namedChildren ?? []) {
    if (!arg || arg.type === 'comment') {
      continue;
    }
    const keyword = arg.type === 'keyword_argument' ? arg.childForFieldName('name')?.text : undefined;
    const unit = keyword === undefined ? MICROSECONDS[position++] : MICROSECONDS.find(([name]) => name === keyword);
    const value = evaluate(arg.type === 'keyword_argument' ? arg.childForFieldName('value')! : arg);
    if (value.kind === 'unknown') {
      return value;
    }
    if (!unit || (value.kind !== 'int' && value.kind !== 'float')) {
      return unknown(`cannot evaluate ${construct.text} statically`, here);
    }
    total += value.value * unit[1];
  }
  return roundHalfEven(total);
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  return fraction > 0.5 || (fraction === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
}
