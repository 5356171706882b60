import { CodecError } from './codecError';
import { PyDict } from './pyDict';
import type { PyValue } from './pyValue';

/** CPython refuses int literals longer than this (`sys.int_info.str_digits_check_threshold` default). */
const MAX_INT_DIGITS = 4300;
/** Python's json raises RecursionError near its default recursion limit of 1000. */
const MAX_DEPTH = 1000;
const SMALL_INT_COUNT = 1024;
const SMALL_INT_BASE = 1024n;
/**
 * Shared bigints for the most common small ints, so decoding does not allocate one each; ints
 * below 2^20 are made from two of them, as bigint arithmetic is ~3x faster than `BigInt(n)`.
 */
const SMALL_INTS = Array.from({ length: SMALL_INT_COUNT }, (_, i) => BigInt(i));

function fail(message: string, pos: number): never {
  throw new CodecError('bad-json', `${message}: char ${pos}`);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/** The four hex digits at `at` as a UTF-16 code unit, or -1. */
function hex4(b: Codes, at: number): number {
  const a = hexDigit(b[at]);
  const c1 = hexDigit(b[at + 1]);
  const c2 = hexDigit(b[at + 2]);
  const c3 = hexDigit(b[at + 3]);
  return (a | c1 | c2 | c3) < 0 ? -1 : (a << 12) | (c1 << 8) | (c2 << 4) | c3;
}

/**
 * The text's code units: its bytes when every char is below 256 (session data always is, read
 * as latin-1), else UTF-16 units. Scanning an array is faster than `charCodeAt`; strings are
 * still cut from the text, so values keep its exact chars.
 */
type Codes = Uint8Array | Uint16Array;

/** A code unit past the end: no JSON token starts with it, and it is none of the plain chars. */
const END = -1;

class Parser {
  pos = 0;
  private readonly n: number;

  constructor(
    private readonly b: Codes,
    private readonly s: string,
  ) {
    this.n = b.length;
  }

  /** The code unit at `p`, or END: reads stay in bounds so V8 keeps them fast. */
  at(p: number): number {
    return p < this.n ? this.b[p] : END;
  }

  skipWs(): void {
    const b = this.b;
    const n = this.n;
    let p = this.pos;
    while (p < n) {
      const c = b[p];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else break;
    }
    this.pos = p;
  }

  value(depth: number): PyValue {
    const p = this.pos;
    const c = this.at(p);
    switch (c) {
      case 0x22:
        this.pos = p + 1;
        return this.string();
      case 0x7b:
        return this.object(depth + 1);
      case 0x5b:
        return this.array(depth + 1);
      case 0x6e:
        return this.literal('null', null);
      case 0x74:
        return this.literal('true', true);
      case 0x66:
        return this.literal('false', false);
      case 0x4e:
        return this.literal('NaN', NaN);
      case 0x49:
        return this.literal('Infinity', Infinity);
      default:
        if (c === 0x2d && this.s.startsWith('-Infinity', p)) {
          this.pos = p + 9;
          return -Infinity;
        }
        if (c === 0x2d || isDigit(c)) return this.number();
        return fail('Expecting value', p);
    }
  }

  literal(word: string, v: PyValue): PyValue {
    if (!this.s.startsWith(word, this.pos)) fail('Expecting value', this.pos);
    this.pos += word.length;
    return v;
  }

  /** An int is accumulated while its digits are scanned; only floats and long ints are cut out as text. */
  number(): PyValue {
    const start = this.pos;
    let p = start;
    let c = this.at(p);
    const negative = c === 0x2d;
    if (negative) c = this.at(++p);
    const intStart = p;
    let n = 0;
    if (c === 0x30) c = this.at(++p);
    else if (isDigit(c)) {
      do {
        n = n * 10 + (c - 0x30);
        c = this.at(++p);
      } while (isDigit(c));
    } else fail('Expecting value', start);
    let isFloat = false;
    if (c === 0x2e && isDigit(this.at(p + 1))) {
      isFloat = true;
      p += 2;
      while (isDigit(this.at(p))) p++;
      c = this.at(p);
    }
    if (c === 0x65 || c === 0x45) {
      let q = p + 1;
      const sign = this.at(q);
      if (sign === 0x2b || sign === 0x2d) q++;
      if (isDigit(this.at(q))) {
        while (isDigit(this.at(q))) q++;
        isFloat = true;
        p = q;
      }
    }
    this.pos = p;
    // Up to 15 digits the accumulated value is exact.
    if (!isFloat && p - intStart < 16) {
      if (negative) return BigInt(-n);
      return n < SMALL_INT_COUNT ? SMALL_INTS[n] : n < SMALL_INT_COUNT * SMALL_INT_COUNT ? SMALL_INTS[n >>> 10] * SMALL_INT_BASE + SMALL_INTS[n & 1023] : BigInt(n);
    }
    const text = this.s.slice(start, p);
    if (isFloat) return Number(text);
    if (p - intStart > MAX_INT_DIGITS) {
      fail(`Exceeds the limit (${MAX_INT_DIGITS} digits) for integer string conversion`, start);
    }
    return BigInt(text);
  }

  string(): string {
    const b = this.b;
    const s = this.s;
    const n = this.n;
    let p = this.pos;
    let out = '';
    let chunkStart = p;
    for (;;) {
      // Most chars are plain: printable other than the quote and the backslash.
      let c = END;
      while (p < n) {
        c = b[p];
        if (c >= 0x20 && c !== 0x22 && c !== 0x5c) p++;
        else break;
      }
      if (p >= n) fail('Unterminated string starting at', this.pos - 1);
      if (c === 0x22) {
        out = out === '' ? s.slice(chunkStart, p) : out + s.slice(chunkStart, p);
        this.pos = p + 1;
        return out;
      }
      if (c !== 0x5c) fail('Invalid control character at', p);
      out += s.slice(chunkStart, p);
      const esc = this.at(p + 1);
      p += 2;
      switch (esc) {
        case 0x22: out += '"'; break;
        case 0x5c: out += '\\'; break;
        case 0x2f: out += '/'; break;
        case 0x62: out += '\b'; break;
        case 0x66: out += '\f'; break;
        case 0x6e: out += '\n'; break;
        case 0x72: out += '\r'; break;
        case 0x74: out += '\t'; break;
        case 0x75: {
          const code = p + 4 <= n ? hex4(b, p) : -1;
          if (code < 0) fail('Invalid \\uXXXX escape', p - 1);
          out += String.fromCharCode(code);
          p += 4;
          break;
        }
        default:
          if (esc === END) fail('Unterminated string starting at', this.pos - 1);
          fail('Invalid \\escape', p - 2);
      }
      chunkStart = p;
    }
  }

  object(depth: number): PyDict {
    if (depth > MAX_DEPTH) fail('maximum recursion depth exceeded', this.pos);
    const dict = new PyDict();
    this.pos++;
    this.skipWs();
    if (this.at(this.pos) === 0x7d) {
      this.pos++;
      return dict;
    }
    for (;;) {
      if (this.at(this.pos) !== 0x22) fail('Expecting property name enclosed in double quotes', this.pos);
      this.pos++;
      const key = this.string();
      this.skipWs();
      if (this.at(this.pos) !== 0x3a) fail("Expecting ':' delimiter", this.pos);
      this.pos++;
      this.skipWs();
      dict.setStr(key, this.value(depth));
      this.skipWs();
      const c = this.at(this.pos);
      this.pos++;
      if (c === 0x7d) return dict;
      if (c !== 0x2c) fail("Expecting ',' delimiter", this.pos - 1);
      this.skipWs();
    }
  }

  array(depth: number): PyValue[] {
    if (depth > MAX_DEPTH) fail('maximum recursion depth exceeded', this.pos);
    const list: PyValue[] = [];
    this.pos++;
    this.skipWs();
    if (this.at(this.pos) === 0x5d) {
      this.pos++;
      return list;
    }
    for (;;) {
      list.push(this.value(depth));
      this.skipWs();
      const c = this.at(this.pos);
      this.pos++;
      if (c === 0x5d) return list;
      if (c !== 0x2c) fail("Expecting ',' delimiter", this.pos - 1);
      this.skipWs();
    }
  }
}

function parse(codes: Codes, text: string): PyValue {
  const parser = new Parser(codes, text);
  parser.skipWs();
  const v = parser.value(0);
  parser.skipWs();
  if (parser.pos !== text.length) fail('Extra data', parser.pos);
  return v;
}

const WIDE_CHAR = /[^\u0000-\u00ff]/;

/**
 * What Python's `json.loads` accepts and returns: ints of any size (as bigint), floats,
 * `NaN`/`Infinity`, key order kept (a repeated key keeps its first position and last value).
 * Throws CodecError('bad-json') where Python raises.
 */
export function pythonJsonParse(text: string): PyValue {
  if (!WIDE_CHAR.test(text)) return parse(Buffer.from(text, 'latin1'), text);
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return parse(units, text);
}

/**
 * pythonJsonParse of `bytes` read as latin-1, as Django's JSONSerializer reads session data:
 * `text` must be that reading; the bytes are scanned, the text cut into values.
 */
export function pythonJsonParseLatin1(bytes: Uint8Array, text: string): PyValue {
  return parse(bytes, text);
}
