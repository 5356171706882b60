import { xorshift } from './xorshift';

/**
 * The symbols in order, leaving out each one that would repeat a 3-byte sequence already
 * written: input in which deflate finds no match, so only its literal coding is exercised.
 */
export function withoutRepeatedTriples(symbols: Iterable<number>): Uint8Array {
  const out: number[] = [];
  const seen = new Set<number>();
  for (const c of symbols) {
    const n = out.length;
    if (n >= 2) {
      const triple = (out[n - 2]! << 16) | (out[n - 1]! << 8) | c;
      if (seen.has(triple)) continue;
      seen.add(triple);
    }
    out.push(c);
  }
  return Uint8Array.from(out);
}

/**
 * Printable text over `alphabet` characters in which about `copyPercent`% of the bytes copy one
 * from at most `maxDistance` back: deflate finds matches at that rate and range. Decided by `seed`.
 */
export function textWithCopies(alphabet: number, length: number, seed: number, copyPercent: number, maxDistance: number): Uint8Array {
  const out = new Uint8Array(length);
  const next = xorshift(seed);
  for (let i = 0; i < length; i++) {
    out[i] = i > 3 && next() % 100 < copyPercent ? out[i - 1 - (next() % Math.min(i, maxDistance))]! : 32 + (next() % alphabet);
  }
  return out;
}
