import { pyFloatRepr, pythonJsonStringify, pyRepr, PyDict, PyTuple, type PyValue } from '../../engine/src';
import { RawJson } from './jsonOutput';

/**
 * Session data as strict JSON for output, one shape whatever it holds: what JSON can hold is
 * written as Python's `json.dumps` writes it (big ints and floats exact, dict order kept), and
 * each value it cannot, alone, as the string of its Python repr: a pickled datetime, Decimal or
 * set, and the floats NaN and ±Infinity, which json.dumps writes as tokens no JSON parser takes;
 * also a container inside itself, or nested past MAX_DEPTH. A dict key JSON cannot name (a
 * tuple) is its repr too.
 */
export function pyDataJson(data: PyValue): RawJson {
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

/** How deep strictJson writes containers (well within what Python's json.loads reads back); deeper ones, and one inside itself, are their repr, as a string. */
const MAX_DEPTH = 500;

/** Containers as json.dumps writes them, each value JSON cannot hold (and each container inside itself or past MAX_DEPTH) as its repr. */
function strictJson(v: PyValue, open = new Set<object>()): string {
  if (typeof v === 'number') return Number.isFinite(v) ? pyFloatRepr(v) : JSON.stringify(pyRepr(v));
  const items = Array.isArray(v) ? v : v instanceof PyTuple ? v.items : undefined;
  if (items === undefined && !(v instanceof PyDict)) return pyValueText(v);
  // A list inside itself (Django pickles `l.append(l)`) or nested past any real session: its repr, `[...]` where it recurs.
  if (open.has(v as object) || open.size >= MAX_DEPTH) return JSON.stringify(pyRepr(v));
  open.add(v as object);
  try {
    if (items) return `[${items.map((item) => strictJson(item, open)).join(',')}]`;
    const dict = v as PyDict;
    const members: string[] = [];
    for (let i = 0; i < dict.size; i++) {
      members.push(`${keyJson(dict.keyAt(i))}:${strictJson(dict.valueAt(i), open)}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    open.delete(v as object);
  }
}

/** A key as json.dumps names it (`1` → "1", `True` → "true"), a finite float by its repr, anything else by its Python repr. */
function keyJson(k: PyValue): string {
  if (typeof k === 'string') return pythonJsonStringify(k);
  if (typeof k === 'number' && Number.isFinite(k)) return JSON.stringify(pyFloatRepr(k));
  if (typeof k === 'bigint' || typeof k === 'boolean' || k === null) return JSON.stringify(pythonJsonStringify(k));
  return JSON.stringify(pyRepr(k));
}
