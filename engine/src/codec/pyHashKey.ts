import { PyDate, PyDatetime, PyDecimal, PySet, PyTime, PyTimedelta, PyTuple, PyUuid, type PyValue } from './pyValue';

/**
 * A string that is equal for two values exactly when Python would treat them as the same
 * dict key (`1`, `1.0` and `True` collide), or undefined for an unhashable value.
 * Plain strings map to themselves unless they start with NUL, so the common case costs nothing.
 */
export function pyHashKey(v: PyValue): string | undefined {
  if (typeof v === 'string') return v.charCodeAt(0) === 0 ? `\u0000s${v}` : v;
  if (typeof v === 'bigint') return `\u0000n${v}`;
  if (typeof v === 'boolean') return v ? '\u0000n1' : '\u0000n0';
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return `\u0000n${BigInt(v)}`;
    return Number.isNaN(v) ? '\u0000NaN' : `\u0000f${v}`;
  }
  if (v === null) return '\u0000None';
  if (v instanceof PyTuple) {
    const parts: string[] = [];
    for (const item of v.items) {
      const k = pyHashKey(item);
      if (k === undefined) return undefined;
      parts.push(JSON.stringify(k));
    }
    return `\u0000t(${parts.join(',')})`;
  }
  if (v instanceof Uint8Array) return `\u0000b${Buffer.from(v).toString('hex')}`;
  if (v instanceof PySet) {
    if (!v.frozen) return undefined;
    const parts = v.items.map((i) => pyHashKey(i));
    if (parts.some((p) => p === undefined)) return undefined;
    return `\u0000F{${parts.sort().join(',')}}`;
  }
  if (v instanceof PyDatetime) {
    return v.tzinfo ? `\u0000DA${v.epochMicroseconds()}` : `\u0000DN${v.isoformat()}`;
  }
  if (v instanceof PyDate) return `\u0000d${v.isoformat()}`;
  if (v instanceof PyTime) return `\u0000T${v.isoformat()}`;
  if (v instanceof PyTimedelta) return `\u0000n${v.totalMicroseconds()}us`;
  if (v instanceof PyDecimal) return `\u0000m${v.text}`;
  if (v instanceof PyUuid) return `\u0000u${v.hex}`;
  return undefined;
}
