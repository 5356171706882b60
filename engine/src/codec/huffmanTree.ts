/**
 * One of deflate's three Huffman trees, built exactly as classic zlib 1.2.x builds it
 * (trees.c: build_tree, gen_bitlen, gen_codes), tie-breaks included: the code lengths zlib
 * picks decide the compressed bytes, so any other optimal code would differ from CPython's.
 * Unlike zlib's ct_data unions, frequencies, lengths, codes and parents live in separate
 * arrays, and one heap serves every tree since building is synchronous.
 */

const MAX_HEAP = 2 * 286 + 1;
/**
 * zlib's `smaller()` orders nodes by frequency, then depth. Each heap entry packs that order
 * (freq * DEPTH_RANGE + depth) above the node number (NODE_BITS), so a sift compares and moves
 * one number: n's order is at most m's exactly when `n <= (m | NODE_MASK)`. Inputs here are at
 * most 16,000 bytes, so frequencies stay below 2^14 and tree depths below 32 (a Huffman tree
 * that deep needs a total frequency of F(33) > 3.5 million), and the packing fits 31 bits.
 */
const DEPTH_RANGE = 32;
const NODE_BITS = 10;
const NODE_MASK = (1 << NODE_BITS) - 1;
const heap = new Int32Array(MAX_HEAP);
const parent = new Int32Array(MAX_HEAP);
/** Each node's code length while gen_bitlen walks down the tree. */
const bitsOf = new Int32Array(MAX_HEAP);
const blCount = new Int32Array(16);
const nextCode = new Int32Array(16);

/** zlib's pqdownheap over the first `len` heap entries. */
function pqdownheap(k: number, len: number): void {
  const hp = heap;
  const v = hp[k];
  let j = k << 1;
  while (j <= len) {
    let c = hp[j];
    if (j < len && hp[j + 1] <= (c | NODE_MASK)) c = hp[++j];
    if (v <= (c | NODE_MASK)) break;
    hp[k] = c;
    k = j;
    j <<= 1;
  }
  hp[k] = v;
}

/** Bytes bit-reversed, for reversing codes of up to 16 bits with two lookups. */
const REVERSED_BYTE = Uint8Array.from({ length: 256 }, (_, b) => {
  let r = 0;
  for (let i = 0; i < 8; i++) r |= ((b >>> i) & 1) << (7 - i);
  return r;
});

/** `code`'s low `len` bits in reverse order: deflate sends codes most significant bit first into an LSB-first stream. */
function reverseBits(code: number, len: number): number {
  return ((REVERSED_BYTE[code & 0xff] << 8) | REVERSED_BYTE[(code >>> 8) & 0xff]) >>> (16 - len);
}

export class HuffmanTree {
  /** Symbol frequencies, counted by add() (or set together with `used`) before build(). */
  readonly freq: Int32Array;
  /** A bit per symbol with a nonzero frequency, so a sparse alphabet costs only its symbols. */
  readonly used: Int32Array;
  /** Code length per symbol; entry `elems` is scanTree's guard. */
  readonly len: Int32Array;
  /** Bit-reversed codes, ready for an LSB-first bit writer. */
  readonly code: Int32Array;
  /** The highest symbol with a nonzero frequency after build(). */
  maxCode = -1;
  /** Bits of the data under this tree (zlib's opt_len share), after build(). */
  optBits = 0;
  /** Bits of the data under the static tree (zlib's static_len share), after build(). */
  staticBits = 0;

  /**
   * @param elems symbols in the alphabet
   * @param maxLength the longest code allowed
   * @param extraBits extra bits sent after symbol n, indexed n - extraBase
   * @param staticLen the fixed code length of symbol n, or undefined for the bit-length tree
   */
  constructor(
    readonly elems: number,
    private readonly maxLength: number,
    readonly extraBits: ArrayLike<number>,
    readonly extraBase: number,
    readonly staticLen: ArrayLike<number> | undefined,
  ) {
    this.freq = new Int32Array(elems);
    this.used = new Int32Array((elems + 31) >>> 5);
    this.len = new Int32Array(elems + 1);
    this.code = new Int32Array(elems);
  }

  /** Clears the frequencies (only those set since the last reset) for a new block. */
  reset(): void {
    const used = this.used;
    for (let w = 0; w < used.length; w++) {
      let bits = used[w];
      while (bits !== 0) {
        const low = bits & -bits;
        this.freq[(w << 5) + 31 - Math.clz32(low)] = 0;
        bits ^= low;
      }
      used[w] = 0;
    }
  }

  /** Counts one occurrence of symbol n. */
  add(n: number): void {
    this.freq[n]++;
    this.used[n >>> 5] |= 1 << (n & 31);
  }

  /** zlib's build_tree followed by gen_codes. */
  build(): void {
    const freq = this.freq;
    const tlen = this.len;
    const used = this.used;
    const hp = heap;
    const elems = this.elems;
    let optBits = 0;
    let staticBits = 0;
    let len = 0;
    let maxCode = -1;
    tlen.fill(0);
    // The symbols in increasing order, as zlib's scan over all of them would find them.
    for (let w = 0; w < used.length; w++) {
      let bits = used[w];
      while (bits !== 0) {
        const low = bits & -bits;
        const n = (w << 5) + 31 - Math.clz32(low);
        bits ^= low;
        maxCode = n;
        hp[++len] = ((freq[n] * DEPTH_RANGE) << NODE_BITS) | n;
      }
    }
    // Deflate needs two codes at least, so zlib invents frequency-1 symbols, uncounted in the size.
    while (len < 2) {
      const node = maxCode < 2 ? ++maxCode : 0;
      hp[++len] = (DEPTH_RANGE << NODE_BITS) | node;
      freq[node] = 1;
      used[node >>> 5] |= 1 << (node & 31);
      optBits--;
      if (this.staticLen) staticBits -= this.staticLen[node];
    }
    for (let n = len >> 1; n >= 1; n--) pqdownheap(n, len);
    let node = elems;
    let max = MAX_HEAP;
    // The heap's front holds packed entries; the tail it fills from the end holds plain node numbers.
    do {
      const n = hp[1];
      hp[1] = hp[len--];
      pqdownheap(1, len);
      const m = hp[1];
      const nn = n & NODE_MASK;
      const mn = m & NODE_MASK;
      hp[--max] = nn;
      hp[--max] = mn;
      const on = n >>> NODE_BITS;
      const om = m >>> NODE_BITS;
      const dn = on & (DEPTH_RANGE - 1);
      const dm = om & (DEPTH_RANGE - 1);
      const order = on - dn + om - dm + (dn >= dm ? dn : dm) + 1;
      parent[nn] = parent[mn] = node;
      hp[1] = (order << NODE_BITS) | node++;
      pqdownheap(1, len);
    } while (len >= 2);
    hp[--max] = hp[1] & NODE_MASK;

    // gen_bitlen: lengths from the root down, then zlib's overflow repair.
    const maxLength = this.maxLength;
    const extra = this.extraBits;
    const base = this.extraBase;
    const stat = this.staticLen;
    blCount.fill(0);
    const depthOf = bitsOf;
    depthOf[hp[max]] = 0;
    let overflow = 0;
    let h: number;
    for (h = max + 1; h < MAX_HEAP; h++) {
      const n = hp[h];
      let bits = depthOf[parent[n]] + 1;
      if (bits > maxLength) {
        bits = maxLength;
        overflow++;
      }
      depthOf[n] = bits;
      if (n > maxCode) continue;
      tlen[n] = bits;
      blCount[bits]++;
      const xbits = n >= base ? extra[n - base] : 0;
      const f = freq[n];
      optBits += f * (bits + xbits);
      if (stat) staticBits += f * (stat[n] + xbits);
    }
    if (overflow !== 0) {
      do {
        let bits = maxLength - 1;
        while (blCount[bits] === 0) bits--;
        blCount[bits]--;
        blCount[bits + 1] += 2;
        blCount[maxLength]--;
        overflow -= 2;
      } while (overflow > 0);
      for (let bits = maxLength; bits !== 0; bits--) {
        let n = blCount[bits];
        while (n !== 0) {
          const m = hp[--h];
          if (m > maxCode) continue;
          if (tlen[m] !== bits) {
            optBits += (bits - tlen[m]) * freq[m];
            tlen[m] = bits;
          }
          n--;
        }
      }
    }

    // gen_codes
    let code = 0;
    for (let bits = 1; bits <= 15; bits++) {
      code = (code + blCount[bits - 1]) << 1;
      nextCode[bits] = code;
    }
    const tcode = this.code;
    for (let w = 0; w < used.length; w++) {
      let bits = used[w];
      while (bits !== 0) {
        const low = bits & -bits;
        const n = (w << 5) + 31 - Math.clz32(low);
        bits ^= low;
        tcode[n] = reverseBits(nextCode[tlen[n]]++, tlen[n]);
      }
    }
    this.maxCode = maxCode;
    this.optBits = optBits;
    this.staticBits = staticBits;
  }
}

/** Codes and lengths of a fixed tree (RFC 1951 §3.2.6), bit-reversed as zlib's static trees are. */
export function staticCodes(lengths: ArrayLike<number>): Int32Array {
  const count = new Int32Array(16);
  for (let n = 0; n < lengths.length; n++) count[lengths[n]]++;
  count[0] = 0;
  const next = new Int32Array(16);
  let code = 0;
  for (let bits = 1; bits <= 15; bits++) {
    code = (code + count[bits - 1]) << 1;
    next[bits] = code;
  }
  const codes = new Int32Array(lengths.length);
  for (let n = 0; n < lengths.length; n++) if (lengths[n] !== 0) codes[n] = reverseBits(next[lengths[n]]++, lengths[n]);
  return codes;
}
