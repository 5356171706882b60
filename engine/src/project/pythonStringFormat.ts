import { pyRepr } from '../codec/pyRepr';
import type { SourceLocation } from '../stores/storeDescriptor';
import { pythonStr } from './pythonNumbers';
import { type SettingValue, unknown } from './settingValue';

/** One `%` conversion: an optional `(name)`, then `s`, `r`, `d`, `i` or `u` with no flags, width or precision, or `%%`. */
const PERCENT = /%(?:\(([^)]*)\))?([srdiu%])|%/g;
/** One `.format()` field with nothing but its name: `{}`, `{0}`, `{host}`; and the doubled braces. */
const FIELD = /\{\{|\}\}|\{([^{}!:]*)\}|[{}]/g;

/**
 * `template % args` for the simple conversions settings use to build URLs
 * (`"redis://%s:6379/1" % REDIS_HOST`, `"%(host)s" % {...}`); unknown for any other.
 */
export function percentFormat(template: string, args: SettingValue, here: SourceLocation): SettingValue {
  const positional = args.kind === 'tuple' ? args.items : [args];
  const mapping = args.kind === 'dict' ? args.entries : undefined;
  let next = 0;
  let failure: SettingValue | undefined;
  const text = template.replace(PERCENT, (match, name: string | undefined, conversion: string | undefined) => {
    if (conversion === '%' && name === undefined) {
      return '%';
    }
    const value = name !== undefined ? mapping?.get(name) : mapping ? undefined : positional[next++];
    const converted = value && conversion && conversion !== '%' ? convert(value, conversion) : undefined;
    failure ??= converted === undefined ? (value?.kind === 'unknown' ? value : unknown(`cannot evaluate ${JSON.stringify(match)} in a %-format statically`, here)) : undefined;
    return converted ?? '';
  });
  if (!failure && !mapping && next !== positional.length) {
    failure = unknown('not all arguments are converted in this %-format (Python raises TypeError)', here);
  }
  return failure ?? { kind: 'str', value: text };
}

/** `template.format(*positional, **keywords)` with plain fields only; unknown for conversions and format specs. */
export function strFormat(template: string, positional: SettingValue[], keywords: ReadonlyMap<string, SettingValue>, here: SourceLocation): SettingValue {
  let next = 0;
  let numbered = false;
  let failure: SettingValue | undefined;
  const text = template.replace(FIELD, (match, field: string | undefined) => {
    if (match === '{{' || match === '}}') {
      return match[0]!;
    }
    numbered ||= field !== undefined && /^\d+$/.test(field);
    const value = field === undefined ? undefined : field === '' ? positional[next++] : /^\d+$/.test(field) ? positional[Number(field)] : keywords.get(field);
    const converted = value && convert(value, 's');
    failure ??= converted === undefined ? (value?.kind === 'unknown' ? value : unknown(`cannot evaluate ${JSON.stringify(match)} in str.format() statically`, here)) : undefined;
    return converted ?? '';
  });
  if (!failure && numbered && next > 0) {
    failure = unknown('str.format() mixes {} and {0} fields (Python raises ValueError)', here);
  }
  return failure ?? { kind: 'str', value: text };
}

/** What `%s`, `%r` and `%d` make of a scalar; undefined where Python would raise or the value is not known. */
function convert(value: SettingValue, conversion: string): string | undefined {
  if (conversion === 's') {
    return pythonStr(value);
  }
  if (conversion === 'r') {
    return value.kind === 'str' ? pyRepr(value.value) : value.kind === 'path' ? undefined : pythonStr(value);
  }
  // %d, %i and %u take a number (a float is truncated) or a bool, never text.
  if (value.kind === 'int' || value.kind === 'bool') {
    return String(Number(value.value));
  }
  return value.kind === 'float' && Number.isFinite(value.value) ? String(Math.trunc(value.value)) : undefined;
}
