// The char-by-char parser pythonJsonParse replaced (scanning a string with charCodeAt), kept as
// the oracle its byte-scanning successor must agree with on every input, errors included.
import { CodecError } from '../../../../engine/src/codec/codecError';
import { PyDict } from '../../../../engine/src/codec/pyDict';
import type { PyValue } from '../../../../engine/src/codec/pyValue';

/** CPython refuses int literals longer than this (`sys.int_info.str_digits_check_threshold` default). */
const MAX_INT_DIGITS = 4300;
/** Python's json raises RecursionError near its default recursion limit of 1000. */
const MAX_DEPTH = 1000;
/** Shared bigints for the most common small ints, so decoding does not allocate one each. */
const SMALL_INTS = Array.from({ length: 1024 }, (_, i) => BigInt(i));

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
function hex4(s: string, at: number): number {
  const a = hexDigit(s.charCodeAt(at));
  const b = hexDigit(s.charCodeAt(at + 1));
  const c = hexDigit(s.charCodeAt(at + 2));
  const d = hexDigit(s.charCodeAt(at + 3));
  return (a | b | c | d) < 0 ? -1 : (a << 12) | (b << 8) | (c << 4) | d;
}

class Parser {
  pos = 0;

  constructor(private readonly s: string) {}

  skipWs(): void {
    const s = this.s;
    let p = this.pos;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else break;
    }
    this.pos = p;
  }

  value(depth: number): PyValue {
    const s = this.s;
    const p = this.pos;
    const c = s.charCodeAt(p);
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
        if (c === 0x2d && s.startsWith('-Infinity', p)) {
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

  number(): PyValue {
    const s = this.s;
    const start = this.pos;
    let p = start;
    if (s.charCodeAt(p) === 0x2d) p++;
    const intStart = p;
    if (s.charCodeAt(p) === 0x30) p++;
    else if (isDigit(s.charCodeAt(p))) while (isDigit(s.charCodeAt(p))) p++;
    else fail('Expecting value', start);
    let isFloat = false;
    if (s.charCodeAt(p) === 0x2e && isDigit(s.charCodeAt(p + 1))) {
      isFloat = true;
      p += 2;
      while (isDigit(s.charCodeAt(p))) p++;
    }
    const e = s.charCodeAt(p);
    if (e === 0x65 || e === 0x45) {
      let q = p + 1;
      const sign = s.charCodeAt(q);
      if (sign === 0x2b || sign === 0x2d) q++;
      if (isDigit(s.charCodeAt(q))) {
        while (isDigit(s.charCodeAt(q))) q++;
        isFloat = true;
        p = q;
      }
    }
    this.pos = p;
    if (!isFloat && p - intStart < 16) {
      let n = 0;
      for (let i = intStart; i < p; i++) n = n * 10 + (s.charCodeAt(i) - 0x30);
      if (intStart !== start) n = -n;
      return n >= 0 && n < SMALL_INTS.length ? SMALL_INTS[n] : BigInt(n);
    }
    const text = s.slice(start, p);
    if (isFloat) return Number(text);
    if (p - intStart > MAX_INT_DIGITS) {
      fail(`Exceeds the limit (${MAX_INT_DIGITS} digits) for integer string conversion`, start);
    }
    return BigInt(text);
  }

  string(): string {
    const s = this.s;
    let p = this.pos;
    let out = '';
    let chunkStart = p;
    for (;;) {
      const c = s.charCodeAt(p);
      // Most chars are plain: past the backslash, or printable other than the quote (NaN, the end, fails both).
      if (c > 0x5c || (c >= 0x20 && c !== 0x22 && c !== 0x5c)) {
        p++;
        continue;
      }
      if (c === 0x22) {
        out += s.slice(chunkStart, p);
        this.pos = p + 1;
        return out;
      }
      if (c === 0x5c) {
        out += s.slice(chunkStart, p);
        const esc = s.charCodeAt(p + 1);
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
            const code = hex4(s, p);
            if (code < 0) fail('Invalid \\uXXXX escape', p - 1);
            out += String.fromCharCode(code);
            p += 4;
            break;
          }
          default:
            if (Number.isNaN(esc)) fail('Unterminated string starting at', this.pos - 1);
            fail('Invalid \\escape', p - 2);
        }
        chunkStart = p;
        continue;
      }
      if (c < 0x20) fail('Invalid control character at', p);
      fail('Unterminated string starting at', this.pos - 1);
    }
  }

  object(depth: number): PyDict {
    if (depth > MAX_DEPTH) fail('maximum recursion depth exceeded', this.pos);
    const s = this.s;
    const dict = new PyDict();
    this.pos++;
    this.skipWs();
    if (s.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return dict;
    }
    for (;;) {
      if (s.charCodeAt(this.pos) !== 0x22) fail('Expecting property name enclosed in double quotes', this.pos);
      this.pos++;
      const key = this.string();
      this.skipWs();
      if (s.charCodeAt(this.pos) !== 0x3a) fail("Expecting ':' delimiter", this.pos);
      this.pos++;
      this.skipWs();
      dict.setStr(key, this.value(depth));
      this.skipWs();
      const c = s.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x7d) return dict;
      if (c !== 0x2c) fail("Expecting ',' delimiter", this.pos - 1);
      this.skipWs();
    }
  }

  array(depth: number): PyValue[] {
    if (depth > MAX_DEPTH) fail('maximum recursion depth exceeded', this.pos);
    const s = this.s;
    const list: PyValue[] = [];
    this.pos++;
    this.skipWs();
    if (s.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return list;
    }
    for (;;) {
      list.push(this.value(depth));
      this.skipWs();
      const c = s.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x5d) return list;
      if (c !== 0x2c) fail("Expecting ',' delimiter", this.pos - 1);
      this.skipWs();
    }
  }
}

/**
 * What Python's `json.loads` accepts and returns: ints of any size (as bigint), floats,
 * `NaN`/`Infinity`, key order kept (a repeated key keeps its first position and last value).
 * Throws CodecError('bad-json') where Python raises.
 */
export function referenceJsonParse(text: string): PyValue {
  const parser = new Parser(text);
  parser.skipWs();
  const v = parser.value(0);
  parser.skipWs();
  if (parser.pos !== text.length) fail('Extra data', parser.pos);
  return v;
}
