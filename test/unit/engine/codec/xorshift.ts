/** A tiny seeded xorshift32 generator, so fast-check's seed alone decides the bytes a property builds. */
export function xorshift(seed: number): () => number {
  let x = seed | 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}
