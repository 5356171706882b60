import { CodecError } from './codecError';
import { PyDict } from './pyDict';
import { pyRepr } from './pyRepr';
import { pythonJsonParse } from './pythonJsonParse';
import { pyJsonString, pythonJsonStringify } from './pythonJsonStringify';
import { PyTuple, type PyValue } from './pyValue';

/**
 * Session data typed by a user as JSON (the CLI's `encode JSON`, `set KEY NAME JSON`): read as
 * Python's json.loads reads it, so big ints and `1.0` survive. Throws CodecError('bad-json')
 * or, for anything but an object, CodecError('not-a-dict').
 */
export function parseSessionJson(text: string): PyDict {
  const value = pythonJsonParse(text);
  if (!(value instanceof PyDict)) throw new CodecError('not-a-dict', 'Session data must be a JSON object');
  return value;
}

function displayValue(v: PyValue, depth: number): string {
  if (depth > 1000) return pyJsonString('...');
  if (Array.isArray(v) || v instanceof PyTuple) {
    const items = Array.isArray(v) ? v : v.items;
    return `[${items.map((i) => displayValue(i, depth + 1)).join(',')}]`;
  }
  if (v instanceof PyDict) {
    const parts: string[] = [];
    v.forEach((item, k) => parts.push(`${pyJsonString(typeof k === 'string' ? k : pyRepr(k))}:${displayValue(item, depth + 1)}`));
    return `{${parts.join(',')}}`;
  }
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'number') {
    return pythonJsonStringify(v);
  }
  return pyJsonString(pyRepr(v));
}

/**
 * JSON text for showing a session outside Python (CLI `--json`): exactly what json.dumps
 * writes for JSON-typed data, while values JSON cannot hold (datetime, bytes, set, Decimal,
 * UUID from pickled sessions) become their Python repr as a string, as do non-str keys.
 */
export function sessionToDisplayJson(v: PyValue): string {
  return displayValue(v, 0);
}
