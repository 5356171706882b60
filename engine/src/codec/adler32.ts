/** The Adler-32 checksum of `data[0..n)` that ends every zlib stream. */
export function adler32(data: Uint8Array, n = data.length): number {
  let a = 1;
  let b = 0;
  let i = 0;
  while (i < n) {
    // 5552 is zlib's NMAX: the most bytes before b can overflow 32 bits.
    const end = Math.min(n, i + 5552);
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
