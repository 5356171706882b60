import { pyFloatRepr } from '../codec/pyFloatRepr';
import type { SourceLocation } from '../stores/storeDescriptor';
import { type SettingValue, unknown } from './settingValue';

const INT_TEXT = /^\s*[+-]?\d(?:_?\d)*\s*$/;
const FLOAT_TEXT = /^\s*[+-]?(?:(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?|inf(?:inity)?|nan)\s*$/i;

function notConverted(value: SettingValue | undefined, call: string, here: SourceLocation): SettingValue {
  if (value?.kind === 'unknown') {
    return value;
  }
  return value?.kind === 'str' ? { kind: 'unknown', reason: `${call}(${JSON.stringify(value.value)}) raises ValueError`, location: here, raises: 'ValueError' } : unknown('cannot evaluate this call statically', here);
}

/** Python's `int(value)` for a number, a bool or numeric text (whitespace and `_` allowed); unknown where Python would raise. */
export function pythonInt(value: SettingValue | undefined, here: SourceLocation): SettingValue {
  if (value?.kind === 'int') {
    return value;
  }
  if ((value?.kind === 'float' && Number.isFinite(value.value)) || value?.kind === 'bool') {
    return { kind: 'int', value: Math.trunc(Number(value.value)) };
  }
  if (value?.kind === 'str' && INT_TEXT.test(value.value)) {
    return { kind: 'int', value: Number(value.value.trim().replace(/_/g, '')) };
  }
  return notConverted(value, 'int', here);
}

/** Python's `float(value)` for a number, a bool or numeric text (also `inf` and `nan`); unknown where Python would raise. */
export function pythonFloat(value: SettingValue | undefined, here: SourceLocation): SettingValue {
  if (value?.kind === 'int' || value?.kind === 'float' || value?.kind === 'bool') {
    return { kind: 'float', value: Number(value.value) };
  }
  if (value?.kind === 'str' && FLOAT_TEXT.test(value.value)) {
    const text = value.value.trim().replace(/_/g, '').toLowerCase();
    const special = /^([+-]?)(inf|infinity|nan)$/.exec(text);
    return { kind: 'float', value: special ? (special[2] === 'nan' ? Number.NaN : special[1] === '-' ? -Infinity : Infinity) : Number(text) };
  }
  return notConverted(value, 'float', here);
}

/** Python's `str(value)` for a scalar: `True`, `None`, `1.0`; undefined for anything else. */
export function pythonStr(value: SettingValue): string | undefined {
  switch (value.kind) {
    case 'str':
    case 'path':
      return value.value;
    case 'int':
      return String(value.value);
    case 'float':
      return pyFloatRepr(value.value);
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'none':
      return 'None';
    default:
      return undefined;
  }
}
