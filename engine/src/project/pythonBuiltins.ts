import type { SourceLocation } from '../stores/storeDescriptor';
import type { CallArgs } from './callArguments';
import { NONE, type SettingValue, stringOf, unknown, unknownFrom } from './settingValue';
import { UNSEEN_NAMES } from './moduleReflection';

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
export function isInstance(value: SettingValue | undefined, types: SettingValue | undefined, here: SourceLocation): SettingValue {
  const classes = types?.kind === 'tuple' ? types.items : types ? [types] : [];
  const kinds = classes.map((cls) => (cls.kind === 'ref' ? INSTANCE_KINDS[cls.name] : undefined));
  if (!value || value.kind === 'unknown' || kinds.length === 0 || kinds.includes(undefined)) {
    return value?.kind === 'unknown' ? value : unknown('cannot evaluate isinstance() statically', here);
  }
  const known = ['str', 'bool', 'int', 'float', 'list', 'tuple', 'dict', 'none'].includes(value.kind);
  return known ? { kind: 'bool', value: kinds.some((accepted) => accepted!.includes(value.kind)) } : unknown('cannot evaluate isinstance() statically', here);
}

/** The items of a list once each (scalars compared by value, others kept), in the order first seen. */
export function distinctItems(items: readonly SettingValue[]): SettingValue[] {
  const kept: SettingValue[] = [];
  for (const item of items) {
    if (!kept.some((seen) => sameScalar(seen, item))) {
      kept.push(item);
    }
  }
  return kept;
}

function sameScalar(a: SettingValue, b: SettingValue): boolean {
  return (a.kind === 'str' || a.kind === 'int' || a.kind === 'bool' || a.kind === 'float') && a.kind === b.kind && a.value === (b as { value: unknown }).value;
}

/**
 * `items.index(x)` (ValueError where it is missing) and `items.count(x)`, for scalar items; and a
 * set's `add(x)`, which adds x where it is missing and gives None.
 */
export function listMethod(items: SettingValue[], method: string, item: SettingValue | undefined, here: SourceLocation): SettingValue {
  const scalar = item && (item.kind === 'str' || item.kind === 'int' || item.kind === 'bool' || item.kind === 'float') ? item : undefined;
  if (!scalar || items.some((candidate) => candidate.kind === 'unknown')) {
    return item?.kind === 'unknown' ? item : unknown(`cannot evaluate list.${method}() statically`, here);
  }
  if (method === 'add') {
    if (!items.some((seen) => sameScalar(seen, scalar))) {
      items.push(scalar);
    }
    return NONE;
  }
  const matches = items.map((candidate, i) => (candidate.kind === scalar.kind && candidate.value === scalar.value ? i : -1)).filter((i) => i >= 0);
  if (method === 'count') {
    return { kind: 'int', value: matches.length };
  }
  return matches.length > 0 ? { kind: 'int', value: matches[0]! } : { kind: 'unknown', reason: `list.index(${JSON.stringify(scalar.value)}) raises ValueError: it is not in the list`, location: here, raises: 'ValueError' };
}

/**
 * The dict methods that read (pretalx's `value.get(layer_name)` over its CONFIG): get, items,
 * keys, values; and copy, a shallow copy whose values are shared, as in Python
 * (`CACHES["sessions"] = CACHES["default"].copy()`).
 */
export function dictMethod(dict: Extract<SettingValue, { kind: 'dict' }>, method: string, args: CallArgs, here: SourceLocation): SettingValue {
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
    case 'copy':
      return { kind: 'dict', entries: new Map(dict.entries) };
    default:
      return unknown(`cannot evaluate dict.${method}() statically`, here);
  }
}

/** `sorted(x)` of a known list or tuple of strs, or of numbers; undefined for anything else. */
export function sortedItems(value: SettingValue | undefined): SettingValue | undefined {
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

/** What a module has that is not the settings' own: Python gives every module these. */
const MODULE_DUNDERS = ['__builtins__', '__cached__', '__doc__', '__file__', '__loader__', '__name__', '__package__', '__spec__'];

/**
 * `dir(module)` of a settings module read in full: its names, sorted as Python sorts them
 * (Seahub copies its deployment's settings with `for name in dir(seahub_settings)`); undefined
 * for anything else, or a module with names static reading could not see.
 */
export function moduleNames(value: SettingValue | undefined): SettingValue | undefined {
  if (value?.kind !== 'module' || value.namespace.has(UNSEEN_NAMES)) {
    return undefined;
  }
  const names = [...new Set([...value.namespace.keys(), ...MODULE_DUNDERS])];
  return sortedItems({ kind: 'list', items: names.map((name): SettingValue => ({ kind: 'str', value: name })) });
}
