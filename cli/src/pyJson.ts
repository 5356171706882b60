import { pyFloatRepr, pythonJsonStringify, pyRepr, PyDict, PyTuple, type PyValue } from '../../engine/src';
import { RawJson } from './jsonOutput';

/**
 * Session data as strict JSON for output, one shape whatever it holds: what JSON can hold is
 * written as Python's `json.dumps` writes it (big ints and floats exact, dict order kept), and
 * each value it cannot, alone, as the string of its Python repr: a pickled datetime, Decimal or
 * set, and the floats NaN and ±Infinity, which json.dumps writes as tokens no JSON parser takes.
 * A dict key JSON cannot name (a tuple) is its repr too.
 */
export function pyDataJson(data: PyValue): RawJson {
  try {
    const text = pythonJsonStringify(data);
    if (!hasNonFinite(data)) {
      return new RawJson(text);
    }
  } catch {
    // Some value JSON cannot hold: written value by value below.
  }
  return new RawJson(strictJson(data));
}

/** A value as text for a terminal: json.dumps's text (NaN, Infinity as Python writes them), or for one JSON cannot hold, its Python repr as a JSON string. */
export function pyValueText(v: PyValue): string {
  try {
    return pythonJsonStringify(v);
  } catch {
    return JSON.stringify(pyRepr(v));
  }
}

function hasNonFinite(v: PyValue): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  if (Array.isArray(v) || v instanceof PyTuple) return (Array.isArray(v) ? v : v.items).some(hasNonFinite);
  if (v instanceof PyDict) {
    for (let i = 0; i < v.size; i++) {
      if (hasNonFinite(v.keyAt(i)) || hasNonFinite(v.valueAt(i))) return true;
    }
  }
  return false;
}

function strictJson(v: PyValue): string {
  if (typeof v === 'number') return Number.isFinite(v) ? pyFloatRepr(v) : JSON.stringify(pyRepr(v));
  if (Array.isArray(v) || v instanceof PyTuple) return `[${(Array.isArray(v) ? v : v.items).map(strictJson).join(',')}]`;
  if (v instanceof PyDict) {
    const members: string[] = [];
    for (let i = 0; i < v.size; i++) {
      members.push(`${keyJson(v.keyAt(i))}:${strictJson(v.valueAt(i))}`);
    }
    return `{${members.join(',')}}`;
  }
  return pyValueText(v);
}

/** A key as json.dumps names it (`1` → "1", `True` → "true"), a finite float by its repr, anything else by its Python repr. */
function keyJson(k: PyValue): string {
  if (typeof k === 'string') return pythonJsonStringify(k);
  if (typeof k === 'number' && Number.isFinite(k)) return JSON.stringify(pyFloatRepr(k));
  if (typeof k === 'bigint' || typeof k === 'boolean' || k === null) return JSON.stringify(pythonJsonStringify(k));
  return JSON.stringify(pyRepr(k));
}
