/**
 * pymemcache's `murmur3_32(data, seed)` (MurmurHash3, x86 32-bit) over a Python str, one
 * character at a time: pymemcache takes `ord(c) & 0xff` (only ASCII keys hash as their bytes).
 */
export function murmur3_32(text: string, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const length = text.length;
  const byteAt = (i: number) => text.charCodeAt(i) & 0xff;
  let h1 = seed >>> 0;
  const roundedEnd = length & ~3;
  for (let i = 0; i < roundedEnd; i += 4) {
    let k1 = byteAt(i) | (byteAt(i + 1) << 8) | (byteAt(i + 2) << 16) | (byteAt(i + 3) << 24);
    k1 = Math.imul(k1, c1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
  }
  let k1 = 0;
  const tail = length & 3;
  if (tail === 3) {
    k1 = byteAt(roundedEnd + 2) << 16;
  }
  if (tail >= 2) {
    k1 |= byteAt(roundedEnd + 1) << 8;
  }
  if (tail >= 1) {
    k1 |= byteAt(roundedEnd);
    k1 = Math.imul(k1, c1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
  }
  h1 ^= length;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  return h1 >>> 0;
}
