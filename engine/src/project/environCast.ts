import * as path from 'node:path';
import type { SourceLocation } from '../stores/storeDescriptor';
import { pythonInt } from './pythonNumbers';
import { NONE, type SettingValue } from './settingValue';

type Str = Extract<SettingValue, { kind: 'str' }>;

/** django-environ's `Env.BOOLEAN_TRUE_STRINGS`. */
const TRUE_STRINGS = ['true', 'on', 'ok', 'y', 'yes', '1'];

/** `type(default)` as a cast, by the kind of value the default is; a Path default casts with its own class. */
const DEFAULT_TYPES: Partial<Record<SettingValue['kind'], string>> = { str: 'str', int: 'int', float: 'float', bool: 'bool', list: 'list', tuple: 'tuple', dict: 'dict', path: 'path' };

/**
 * The end of django-environ's `Env.get_value` for a variable that is set, as in its current
 * releases (0.12): without a cast, a default other than None gives its type as the cast (the
 * smart cast of `Env()` since 0.4.5, so `env("AGE", default=1209600)` reads an int); a None
 * default makes '' None; a value equal to the default is returned uncast.
 */
export function castEnvironValue(raw: Str, cast: string | undefined, fallback: SettingValue | undefined, projectRoot: string, here: SourceLocation): SettingValue {
  if (fallback?.kind === 'none' && raw.value === '') {
    return NONE;
  }
  if (fallback?.kind === 'str' && fallback.value === raw.value) {
    return raw;
  }
  // A default whose type cannot be told here (a random key, another variable's value) leaves the
  // text as it is: such defaults are text in the settings seen, and str() keeps text unchanged.
  const smart = fallback && DEFAULT_TYPES[fallback.kind];
  return parseEnvironValue(raw, cast ?? smart, projectRoot, here);
}

/** django-environ's `Env.parse_value(value, cast)` for the builtin casts; any other cast leaves the text as it is. */
function parseEnvironValue(raw: Str, cast: string | undefined, projectRoot: string, here: SourceLocation): SettingValue {
  switch (cast) {
    case 'bool': {
      const number = pythonInt(raw, here);
      return { kind: 'bool', value: number.kind === 'int' ? number.value !== 0 : TRUE_STRINGS.includes(raw.value.toLowerCase().trim()) };
    }
    case 'int':
      return pythonInt(raw, here);
    case 'float':
      return environFloat(raw, here);
    case 'list':
      return { kind: 'list', items: splitItems(raw.value) };
    case 'tuple':
      return { kind: 'tuple', items: splitItems(raw.value.replace(/^\(+/, '').replace(/\)+$/, '')) };
    case 'path':
      return { kind: 'path', value: path.resolve(projectRoot, raw.value) };
    default:
      return raw;
  }
}

/** `[x for x in value.split(',') if x]`: the items as written, spaces kept. */
function splitItems(text: string): SettingValue[] {
  return text
    .split(',')
    .filter((item) => item !== '')
    .map((item) => ({ kind: 'str', value: item }));
}

/**
 * django-environ's float: every character but digits, `,`, `.` and `-` dropped, and the last
 * `,` or `.` taken as the decimal point (`1.000,5` is 1000.5); ValueError where what is left
 * is no number.
 */
function environFloat(raw: Str, here: SourceLocation): SettingValue {
  const parts = raw.value.replace(/[^\d,.-]/g, '').split(/[,.]/);
  const text = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join('')}.${parts.at(-1)}`;
  if (!/^-?(?:\d+\.?\d*|\.\d+)$/.test(text)) {
    return { kind: 'unknown', reason: `django-environ's float cast of ${JSON.stringify(raw.value)} raises ValueError`, location: here, raises: 'ValueError' };
  }
  return { kind: 'float', value: Number(text) };
}
