import { PyDict } from './pyDict';
import { PyOrderedDict } from './pyOrderedDict';
import { pyHashKey } from './pyHashKey';
import { PyDate, PyDatetime, PyDecimal, PySet, PyTime, PyTimedelta, PyTimezone, PyTuple, PyUuid, type PyValue } from './pyValue';

function sameTz(a: PyTimezone | null, b: PyTimezone | null): boolean {
  if (a === null || b === null) return a === b;
  return a.pytz === b.pytz && a.name === b.name && a.offset.totalMicroseconds() === b.offset.totalMicroseconds() && JSON.stringify(a.zone) === JSON.stringify(b.zone);
}

/**
 * Deep equality that is stricter than Python's `==`: types must match too (`1` ≠ `1.0` ≠
 * `True`, `pytz.utc` ≠ `timezone.utc`), and NaN equals NaN. Dicts and sets ignore order.
 * Meant for tests and round-trip checks.
 */
export function pyEquals(a: PyValue, b: PyValue): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || a === b;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && sameItems(a, b);
  if (a instanceof PyTuple) return b instanceof PyTuple && sameItems(a.items, b.items);
  if (a instanceof PyDict) {
    if (!(b instanceof PyDict) || a.size !== b.size) return false;
    // Two OrderedDicts are equal only in the same order; with a dict, order does not count.
    if (a instanceof PyOrderedDict && b instanceof PyOrderedDict && !sameItems([...a.keys()], [...b.keys()])) return false;
    for (const [k, v] of a) {
      if (!b.has(k)) return false;
      const keyB = [...b.keys()].find((kb) => pyHashKey(kb) === pyHashKey(k));
      if (keyB === undefined || !pyEquals(k, keyB) || !pyEquals(v, b.get(k) as PyValue)) return false;
    }
    return true;
  }
  if (a instanceof PySet) {
    if (!(b instanceof PySet) || a.frozen !== b.frozen || a.items.length !== b.items.length) return false;
    const keys = new Set(b.items.map((i) => pyHashKey(i)));
    return a.items.every((i) => keys.has(pyHashKey(i)));
  }
  if (a instanceof Uint8Array) return b instanceof Uint8Array && Buffer.from(a).equals(Buffer.from(b));
  if (a instanceof PyDatetime) {
    return (
      b instanceof PyDatetime &&
      a.isoformat() === b.isoformat() &&
      a.fold === b.fold &&
      sameTz(a.tzinfo, b.tzinfo)
    );
  }
  if (a instanceof PyDate) return b instanceof PyDate && !(b instanceof PyDatetime) && a.isoformat() === b.isoformat();
  if (a instanceof PyTime) return b instanceof PyTime && a.isoformat() === b.isoformat() && a.fold === b.fold && sameTz(a.tzinfo, b.tzinfo);
  if (a instanceof PyTimedelta) return b instanceof PyTimedelta && a.totalMicroseconds() === b.totalMicroseconds();
  if (a instanceof PyTimezone) return b instanceof PyTimezone && sameTz(a, b);
  if (a instanceof PyDecimal) return b instanceof PyDecimal && a.text === b.text;
  if (a instanceof PyUuid) return b instanceof PyUuid && a.hex === b.hex;
  return false;
}

function sameItems(a: readonly PyValue[], b: readonly PyValue[]): boolean {
  return a.length === b.length && a.every((v, i) => pyEquals(v, b[i]));
}
