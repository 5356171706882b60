import { CodecError } from './codecError';
import { PyDict } from './pyDict';
import { pyFloatRepr } from './pyFloatRepr';
import { PyTuple, type PyValue } from './pyValue';

const ESCAPES: string[] = (() => {
  const table: string[] = [];
  for (let c = 0; c < 0x80; c++) {
    table.push(c < 0x20 || c === 0x7f ? `\\u${c.toString(16).padStart(4, '0')}` : String.fromCharCode(c));
  }
  table[0x22] = '\\"';
  table[0x5c] = '\\\\';
  table[0x0a] = '\\n';
  table[0x0d] = '\\r';
  table[0x09] = '\\t';
  table[0x08] = '\\b';
  table[0x0c] = '\\f';
  return table;
})();

const NEEDS_ESCAPE = /[^\x20-\x21\x23-\x5b\x5d-\x7e]/;

/** A JSON string literal as Python's `json.dumps` writes it with `ensure_ascii=True`. */
export function pyJsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c < 0x80 ? ESCAPES[c] : `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

function floatToken(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return pyFloatRepr(x);
}

function keyText(k: PyValue): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'bigint') return k.toString();
  if (typeof k === 'number') return floatToken(k);
  if (k === true) return 'true';
  if (k === false) return 'false';
  if (k === null) return 'null';
  throw new CodecError('unserializable', `keys must be str, int, float, bool or None, not ${k.constructor.name}`);
}

/**
 * Pickles can share one object many times (`x = [x, x]` nested 40 deep is 298 bytes), so a tiny
 * value can stand for an astronomically long JSON text. Writing stops at this many values.
 */
const MAX_VALUES = 5_000_000;

function write(v: PyValue, depth: number, budget: { values: number }): string {
  if (depth > 1000) throw new CodecError('unserializable', 'maximum recursion depth exceeded while encoding a JSON object');
  if (++budget.values > MAX_VALUES) throw new CodecError('too-large', `The value holds more than ${MAX_VALUES} items once shared parts are repeated; it is too large to show as JSON.`);
  if (typeof v === 'string') return pyJsonString(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return floatToken(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null) return 'null';
  if (Array.isArray(v) || v instanceof PyTuple) {
    const items = Array.isArray(v) ? v : v.items;
    let out = '[';
    for (let i = 0; i < items.length; i++) out += (i > 0 ? ',' : '') + write(items[i], depth + 1, budget);
    return `${out}]`;
  }
  if (v instanceof PyDict) {
    let out = '{';
    let first = true;
    v.forEach((item, k) => {
      out += `${first ? '' : ','}${pyJsonString(keyText(k))}:${write(item, depth + 1, budget)}`;
      first = false;
    });
    return `${out}}`;
  }
  throw new CodecError('unserializable', `Object of type ${pyTypeNameOf(v)} is not JSON serializable`);
}

function pyTypeNameOf(v: object): string {
  if (v instanceof Uint8Array) return 'bytes';
  return v.constructor.name.replace(/^Py/, '').toLowerCase();
}

/** Exactly `json.dumps(v, separators=(',', ':'))`; throws CodecError('unserializable') where Python raises TypeError. */
export function pythonJsonStringify(v: PyValue): string {
  return write(v, 0, { values: 0 });
}
