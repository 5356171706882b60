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

/** Inverse of b62Encode; throws CodecError('bad-format') where Django raises ValueError. */
export function b62Decode(text: string): number {
  if (text.length === 0 || text.length > 9) throw new CodecError('bad-format', `Bad timestamp "${text.slice(0, 20)}"`);
  const negative = text[0] === '-';
  let n = 0;
  for (let i = negative ? 1 : 0; i < text.length; i++) {
    const d = DIGITS.indexOf(text[i]);
    if (d < 0) throw new CodecError('bad-format', `Bad timestamp "${text}"`);
    n = n * 62 + d;
  }
  return negative ? -n : n;
}
