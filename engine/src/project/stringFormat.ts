import { type SettingValue, stringOf } from './settingValue';

/**
 * `str.format(*args, **kwargs)` for the fields settings use: `{}`, `{0}`, `{name}` with str
 * or int arguments and no conversion or format spec (`'environments/{0}.py'.format(ENV)`,
 * as django-split-settings' README has it). Undefined for anything else, or an unknown argument.
 */
export function formatString(template: string, positional: SettingValue[], keywords: ReadonlyMap<string, SettingValue>): string | undefined {
  // Python raises ValueError for a lone brace.
  if (/[{}]/.test(template.replace(/\{\{|\}\}|\{[^{}]*\}/g, ''))) {
    return undefined;
  }
  let next = 0;
  let numbered = false;
  let failed = false;
  const text = template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (field, name: string | undefined) => {
    if (field === '{{' || field === '}}') {
      return field[0]!;
    }
    numbered ||= /^\d+$/.test(name!);
    const value = name === '' ? positional[next++] : /^\d+$/.test(name!) ? positional[Number(name)] : keywords.get(name!);
    // Not floats: JavaScript writes some of them otherwise than Python (1.0, 1e-07).
    const formatted = value && (stringOf(value) ?? (value.kind === 'int' ? String(value.value) : undefined));
    if (formatted === undefined) {
      failed = true;
      return '';
    }
    return formatted;
  });
  // Python refuses to mix `{}` with `{0}`.
  return failed || (numbered && next > 0) ? undefined : text;
}
