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

/**
 * The JSON is written as bytes into one reused buffer: the output is all ASCII (ensure_ascii),
 * encode wants bytes, and building it as a string meant many concatenations and then a copy
 * to flatten them.
 */
const out = { buf: Buffer.allocUnsafeSlow(4096), pos: 0, values: 0 };
/** A reused buffer grown above this size is replaced at the next call rather than kept for the process's life. */
const MAX_KEPT_BUFFER = 1 << 20;

function reserve(n: number): void {
  if (out.pos + n <= out.buf.length) return;
  const grown = Buffer.allocUnsafeSlow(Math.max(out.pos + n, out.buf.length * 2));
  out.buf.copy(grown, 0, 0, out.pos);
  out.buf = grown;
}

/**
 * ASCII text, as is. Natively: the texts here (float reprs, key texts) come in several string
 * representations, which made a charCodeAt loop's property access megamorphic.
 */
function writeAscii(text: string): void {
  reserve(text.length);
  out.pos += out.buf.write(text, out.pos, 'latin1');
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An int's decimal digits; ints in the double-exact range without making a string. */
function writeInt(v: bigint): void {
  if (v > MAX_SAFE || v < -MAX_SAFE) {
    writeAscii(v.toString());
    return;
  }
  let n = Number(v);
  reserve(17);
  const buf = out.buf;
  let pos = out.pos;
  if (n < 0) {
    buf[pos++] = 0x2d;
    n = -n;
  }
  let digits = 1;
  for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
  for (let i = pos + digits - 1; i >= pos; i--) {
    const q = Math.floor(n / 10);
    buf[i] = 0x30 + (n - q * 10);
    n = q;
  }
  out.pos = pos + digits;
}

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

function writeBytes(bytes: Buffer): void {
  reserve(bytes.length);
  bytes.copy(out.buf, out.pos);
  out.pos += bytes.length;
}

const HEX = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/**
 * Called, not looked up on each string: session strings come in many representations (sliced,
 * flat, joined), and a per-char `s.charCodeAt` lookup over them goes megamorphic.
 */
const charCodeAt = String.prototype.charCodeAt;

function writeString(s: string): void {
  const length = s.length;
  // At most 6 bytes (\uXXXX) per UTF-16 unit, plus the quotes.
  reserve(length * 6 + 2);
  const buf = out.buf;
  let pos = out.pos;
  buf[pos++] = 0x22;
  for (let i = 0; i < length; i++) {
    const c = charCodeAt.call(s, i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) {
      buf[pos++] = c;
      continue;
    }
    const esc = c < 0x80 ? ESCAPES[c] : undefined;
    if (esc !== undefined && esc.length === 2) {
      buf[pos++] = 0x5c;
      buf[pos++] = esc.charCodeAt(1);
      continue;
    }
    buf[pos++] = 0x5c;
    buf[pos++] = 0x75;
    buf[pos++] = HEX[c >>> 12];
    buf[pos++] = HEX[(c >>> 8) & 15];
    buf[pos++] = HEX[(c >>> 4) & 15];
    buf[pos++] = HEX[c & 15];
  }
  buf[pos++] = 0x22;
  out.pos = pos;
}

function writeKey(k: PyValue): void {
  if (typeof k === 'string') writeString(k);
  else {
    reserve(1);
    out.buf[out.pos++] = 0x22;
    writeAscii(keyText(k));
    reserve(1);
    out.buf[out.pos++] = 0x22;
  }
}

function writeByte(b: number): void {
  reserve(1);
  out.buf[out.pos++] = b;
}

function write(v: PyValue, depth: number): void {
  if (depth > 1000) throw new CodecError('unserializable', 'maximum recursion depth exceeded while encoding a JSON object');
  if (++out.values > MAX_VALUES) throw new CodecError('too-large', `The value holds more than ${MAX_VALUES} items once shared parts are repeated; it is too large to show as JSON.`);
  if (typeof v === 'string') writeString(v);
  else if (typeof v === 'bigint') writeInt(v);
  else if (typeof v === 'number') writeAscii(floatToken(v));
  else if (typeof v === 'boolean') writeBytes(v ? TRUE : FALSE);
  else if (v === null) writeBytes(NULL);
  else if (Array.isArray(v) || v instanceof PyTuple) {
    const items = Array.isArray(v) ? v : v.items;
    writeByte(0x5b);
    for (let i = 0; i < items.length; i++) {
      if (i > 0) writeByte(0x2c);
      write(items[i], depth + 1);
    }
    writeByte(0x5d);
  } else if (v instanceof PyDict) {
    writeByte(0x7b);
    // By index rather than forEach: a closure per dict and a call per entry cost ~0.4 µs a session.
    const size = v.size;
    for (let i = 0; i < size; i++) {
      if (i > 0) writeByte(0x2c);
      // Python checks the key's type before writing the value.
      writeKey(v.keyAt(i));
      writeByte(0x3a);
      write(v.valueAt(i), depth + 1);
    }
    writeByte(0x7d);
  } else throw new CodecError('unserializable', `Object of type ${pyTypeNameOf(v)} is not JSON serializable`);
}

function pyTypeNameOf(v: object): string {
  if (v instanceof Uint8Array) return 'bytes';
  return v.constructor.name.replace(/^Py/, '').toLowerCase();
}

/**
 * The bytes of `json.dumps(v, separators=(',', ':'))` as a view of a reused buffer, valid until
 * the next call; throws CodecError('unserializable') where Python raises TypeError.
 */
export function pythonJsonBytes(v: PyValue): Buffer {
  // A buffer grown for one huge value is not kept: the view returned still holds it until used.
  if (out.buf.length > MAX_KEPT_BUFFER) out.buf = Buffer.allocUnsafeSlow(4096);
  out.pos = 0;
  out.values = 0;
  write(v, 0);
  return out.buf.subarray(0, out.pos);
}

/** Exactly `json.dumps(v, separators=(',', ':'))`; throws CodecError('unserializable') where Python raises TypeError. */
export function pythonJsonStringify(v: PyValue): string {
  return pythonJsonBytes(v).toString('latin1');
}
