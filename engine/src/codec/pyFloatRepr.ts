/**
 * Python's `repr(float)`: the shortest round-tripping digits (which JS also finds), laid
 * out Python's way: exponent form when the exponent is < -4 or ≥ 16, with a sign and at
 * least two digits (`1e-07`, `1e+16`), and `.0` on integral values (`1.0`).
 */
export function pyFloatRepr(x: number): string {
  // Where both write plain decimals (JS for 1e-7 <= |x| < 1e21, Python for 1e-4 <= |x| < 1e16),
  // JS's shortest round-trip text is Python's, bar the `.0` Python puts on integral values.
  const magnitude = Math.abs(x);
  if (magnitude >= 1e-4 && magnitude < 1e16) return Number.isInteger(x) ? `${x}.0` : String(x);
  return pyFloatReprGeneral(x);
}

/** pyFloatRepr from the exponent form, for every float (exported to test the fast path against). */
export function pyFloatReprGeneral(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, expText] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const frac = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${frac}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}
