import { CodecError } from './codecError';

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Django's base62 (`baseconv.base62` / `signing.b62_encode`): the TimestampSigner timestamp. */
export function b62Encode(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`b62Encode needs a safe integer, got ${n}`);
  if (n === 0) return '0';
  const sign = n < 0 ? '-' : '';
  let rest = Math.abs(n);
  let text = '';
  while (rest > 0) {
    text = DIGITS[rest % 62] + text;
    rest = Math.floor(rest / 62);
  }
  return sign + text;
}

/** Digit values by char code, -1 for anything else. */
const VALUES = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 62; i++) t[DIGITS.charCodeAt(i)] = i;
  return t;
})();

/** Inverse of b62Encode; throws CodecError('bad-format') where Django raises ValueError. */
export function b62Decode(text: string): number {
  return b62DecodeRange(text, 0, text.length);
}

/** b62Decode of `text.slice(start, end)`, without making the slice (every session's timestamp goes through it). */
export function b62DecodeRange(text: string, start: number, end: number): number {
  const length = end - start;
  if (length === 0 || length > 9) throw new CodecError('bad-format', `Bad timestamp "${text.slice(start, Math.min(end, start + 20))}"`);
  const negative = text.charCodeAt(start) === 0x2d;
  let n = 0;
  for (let i = negative ? start + 1 : start; i < end; i++) {
    const c = text.charCodeAt(i);
    const d = c < 128 ? VALUES[c] : -1;
    if (d < 0) throw new CodecError('bad-format', `Bad timestamp "${text.slice(start, end)}"`);
    n = n * 62 + d;
  }
  return negative ? -n : n;
}
