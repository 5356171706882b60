import type { SourceLocation } from '../stores/storeDescriptor';
import { type SettingValue, unknown } from './settingValue';

const INT = /^[+-]?(?:[1-9](?:_?\d)*|0(?:_?0)*|0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+)$/;
const FLOAT = /^[+-]?(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?$/;
/** Text `ast.literal_eval` may read as something other than a number, bool, None or plain string: containers, prefixed or escaped strings, complex numbers, `...`. */
const OTHER_LITERAL = /^(?:[[({'"]|[bBrRuUfF]{1,2}['"]|\.\.\.$)|\dj$/i;

/**
 * django-environ's `_cast`: `ast.literal_eval(text)`, or the text itself where that raises (a
 * word such as `shop`, a dotted path). Numbers, `True`, `False`, `None` and plain quoted strings
 * are read; anything else `literal_eval` might read (a list, bytes, a complex number) is
 * unknown rather than taken as text.
 */
export function pythonLiteralOrText(text: string): SettingValue {
  const literal = text.replace(/^[ \t]+/, '').trimEnd();
  if (literal === 'True' || literal === 'False') {
    return { kind: 'bool', value: literal === 'True' };
  }
  if (literal === 'None') {
    return { kind: 'none' };
  }
  if (INT.test(literal)) {
    const digits = literal.replace(/_/g, '');
    // Number() reads 0x, 0o and 0b as Python does, but not a sign before them.
    return { kind: 'int', value: (digits.startsWith('-') ? -1 : 1) * Number(digits.replace(/^[+-]/, '')) };
  }
  if (FLOAT.test(literal) && /[.eE]/.test(literal)) {
    return { kind: 'float', value: Number(literal.replace(/_/g, '')) };
  }
  const quoted = /^'([^'\\]*)'$|^"([^"\\]*)"$/.exec(literal);
  if (quoted) {
    return { kind: 'str', value: quoted[1] ?? quoted[2]! };
  }
  if (OTHER_LITERAL.test(literal)) {
    return unknown(`cannot tell statically what Python's ast.literal_eval makes of ${JSON.stringify(text)}`);
  }
  return { kind: 'str', value: text };
}

/**
 * Python's `ast.literal_eval(text)` (GeoNode's `SESSION_COOKIE_SECURE = ast.literal_eval(os.getenv(…, 'False'))`):
 * numbers, `True`, `False`, `None` and plain quoted strings are read; text that is no literal (a
 * bare word) raises ValueError where it runs; containers and other literals are unknown.
 */
export function pythonLiteralEval(text: string, here: SourceLocation): SettingValue {
  const value = pythonLiteralOrText(text);
  // Only a bare word comes back as the text itself: a quoted string loses its quotes.
  if (value.kind === 'str' && value.value === text) {
    return { kind: 'unknown', reason: `ast.literal_eval(${JSON.stringify(text)}) raises ValueError (malformed node or string)`, location: here, raises: 'ValueError' };
  }
  return value.kind === 'unknown' ? { ...value, location: here } : value;
}
