/**
 * The exact length of `zlib.compress(data)` (CPython's defaults: level 6, memLevel 8, classic
 * zlib 1.2.x, which pako ports) for data in which no 3-byte sequence occurs twice. Deflate then
 * finds no match, so its only block is all literals, and the block's size follows from zlib's
 * Huffman tree construction alone. This is trees.c (build_tree, gen_bitlen, scan_tree,
 * build_bl_tree and _tr_flush_block's choice of block type) ported for sizes only, tie-breaks
 * included, since the code lengths zlib picks decide the size of the tree header.
 *
 * Encode needs the length only to decide whether Django would compress (`len(Z) < len(D) - 1`);
 * most small sessions have no repeat and are not compressed, and this is several times faster
 * than running deflate to find out.
 */

const L_CODES = 286;
const D_CODES = 30;
const BL_CODES = 19;
const HEAP_SIZE = 2 * L_CODES + 1;
const MAX_BITS = 15;
const MAX_BL_BITS = 7;
const END_BLOCK = 256;
const REP_3_6 = 16;
const REPZ_3_10 = 17;
const REPZ_11_138 = 18;
const BL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
/** Extra bits of the bit-length codes 16, 17 and 18. */
const EXTRA_BLBITS = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7];
/** zlib stops a block when its symbol buffer (lit_bufsize - 1 at memLevel 8) fills; stay well inside one block. */
const MAX_LENGTH = 4096;

/** Trees as zlib lays them out: Freq at 2n, Dad/Len (a union) at 2n + 1, internal nodes after the leaves. */
const ltree = new Int32Array(HEAP_SIZE * 2);
const dtree = new Int32Array((2 * D_CODES + 1) * 2);
const bltree = new Int32Array((2 * BL_CODES + 1) * 2);
const heap = new Int32Array(HEAP_SIZE);
const blCount = new Int32Array(MAX_BITS + 1);
let optLen = 0;
let staticLen = 0;

/** zlib's fixed literal/length code lengths (RFC 1951 §3.2.6); literals carry no extra bits. */
function staticLitLen(n: number): number {
  if (n < 144) return 8;
  if (n < 256) return 9;
  return n < 280 ? 7 : 8;
}

/** Which tree build_tree is working on, for its static lengths (none for bit lengths) and extra bits. */
type Kind = 0 | 1 | 2;
const LITERAL: Kind = 0;
const DISTANCE: Kind = 1;
const BIT_LENGTH: Kind = 2;

function staticLength(kind: Kind, n: number): number {
  return kind === LITERAL ? staticLitLen(n) : 5;
}

function extraBits(kind: Kind, n: number): number {
  return kind === BIT_LENGTH ? EXTRA_BLBITS[n] : 0;
}

/**
 * zlib orders heap nodes by `smaller()`: lower frequency, then (on a tie) lower or equal depth.
 * Both fit one number, freq * DEPTH_RANGE + depth, and `smaller(n, m)` is `order[n] <= order[m]`.
 */
const DEPTH_RANGE = 512;
const order = new Int32Array(HEAP_SIZE);

/** zlib's pqdownheap over the first `len` heap entries. */
function pqdownheap(k: number, len: number): void {
  const hp = heap;
  const ord = order;
  const v = hp[k];
  const ov = ord[v];
  let j = k << 1;
  while (j <= len) {
    let c = hp[j];
    if (j < len && ord[hp[j + 1]] <= ord[c]) c = hp[++j];
    if (ov <= ord[c]) break;
    hp[k] = c;
    k = j;
    j <<= 1;
  }
  hp[k] = v;
}

function genBitlen(tree: Int32Array, maxCode: number, kind: Kind, maxLength: number, heapMax: number): void {
  blCount.fill(0);
  tree[heap[heapMax] * 2 + 1] = 0;
  let overflow = 0;
  let h: number;
  for (h = heapMax + 1; h < HEAP_SIZE; h++) {
    const n = heap[h];
    let bits = tree[tree[n * 2 + 1] * 2 + 1] + 1;
    if (bits > maxLength) {
      bits = maxLength;
      overflow++;
    }
    tree[n * 2 + 1] = bits;
    if (n > maxCode) continue;
    blCount[bits]++;
    const xbits = extraBits(kind, n);
    const f = tree[n * 2];
    optLen += f * (bits + xbits);
    if (kind !== BIT_LENGTH) staticLen += f * (staticLength(kind, n) + xbits);
  }
  if (overflow === 0) return;
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
      const m = heap[--h];
      if (m > maxCode) continue;
      if (tree[m * 2 + 1] !== bits) {
        optLen += (bits - tree[m * 2 + 1]) * tree[m * 2];
        tree[m * 2 + 1] = bits;
      }
      n--;
    }
  }
}

/** zlib's build_tree without gen_codes (the codes themselves do not change the size); returns max_code. */
function buildTree(tree: Int32Array, elems: number, kind: Kind, maxLength: number): number {
  const hp = heap;
  const ord = order;
  let len = 0;
  let max = HEAP_SIZE;
  let maxCode = -1;
  for (let n = 0; n < elems; n++) {
    if (tree[n * 2] !== 0) {
      hp[++len] = maxCode = n;
      ord[n] = tree[n * 2] * DEPTH_RANGE;
    } else {
      tree[n * 2 + 1] = 0;
    }
  }
  while (len < 2) {
    const node = (hp[++len] = maxCode < 2 ? ++maxCode : 0);
    tree[node * 2] = 1;
    ord[node] = DEPTH_RANGE;
    optLen--;
    if (kind !== BIT_LENGTH) staticLen -= staticLength(kind, node);
  }
  for (let n = len >> 1; n >= 1; n--) pqdownheap(n, len);
  let node = elems;
  do {
    const n = hp[1];
    hp[1] = hp[len--];
    pqdownheap(1, len);
    const m = hp[1];
    hp[--max] = n;
    hp[--max] = m;
    const freq = tree[n * 2] + tree[m * 2];
    const dn = ord[n] % DEPTH_RANGE;
    const dm = ord[m] % DEPTH_RANGE;
    tree[node * 2] = freq;
    ord[node] = freq * DEPTH_RANGE + (dn >= dm ? dn : dm) + 1;
    tree[n * 2 + 1] = tree[m * 2 + 1] = node;
    hp[1] = node++;
    pqdownheap(1, len);
  } while (len >= 2);
  hp[--max] = hp[1];
  genBitlen(tree, maxCode, kind, maxLength, max);
  return maxCode;
}

/** zlib's scan_tree: the bit-length code frequencies that sending `tree`'s lengths takes. */
function scanTree(tree: Int32Array, maxCode: number): void {
  let prevlen = -1;
  let nextlen = tree[1];
  let count = 0;
  let maxCount = 7;
  let minCount = 4;
  if (nextlen === 0) {
    maxCount = 138;
    minCount = 3;
  }
  tree[(maxCode + 1) * 2 + 1] = 0xffff;
  for (let n = 0; n <= maxCode; n++) {
    const curlen = nextlen;
    nextlen = tree[(n + 1) * 2 + 1];
    if (++count < maxCount && curlen === nextlen) continue;
    if (count < minCount) bltree[curlen * 2] += count;
    else if (curlen !== 0) {
      if (curlen !== prevlen) bltree[curlen * 2]++;
      bltree[REP_3_6 * 2]++;
    } else if (count <= 10) bltree[REPZ_3_10 * 2]++;
    else bltree[REPZ_11_138 * 2]++;
    count = 0;
    prevlen = curlen;
    if (nextlen === 0) {
      maxCount = 138;
      minCount = 3;
    } else if (curlen === nextlen) {
      maxCount = 6;
      minCount = 3;
    } else {
      maxCount = 7;
      minCount = 4;
    }
  }
}

const head = new Int32Array(1 << 12);
const chain = new Int32Array(MAX_LENGTH);
let generation = 0;

/** Whether some 3 consecutive bytes occur twice: only then can deflate emit a match. */
function hasRepeatedTriple(data: Uint8Array): boolean {
  // Positions are stored as generation * MAX_LENGTH + position + 1 so the table never needs clearing.
  if (++generation > 0x7fff) {
    head.fill(0);
    generation = 1;
  }
  const base = generation * MAX_LENGTH + 1;
  for (let i = 0; i + 2 < data.length; i++) {
    const a = data[i];
    const b = data[i + 1];
    const c = data[i + 2];
    const h = ((a << 6) ^ (b << 3) ^ c ^ (a >> 3)) & 0xfff;
    let at = head[h] - base;
    while (at >= 0) {
      if (data[at] === a && data[at + 1] === b && data[at + 2] === c) return true;
      at = chain[at];
    }
    chain[i] = head[h] - base;
    head[h] = base + i;
  }
  return false;
}

/**
 * `len(zlib.compress(data))`, or undefined when the data is outside what this computes exactly
 * (a 3-byte sequence repeats, or it is longer than MAX_LENGTH).
 */
export function literalOnlyZlibLength(data: Uint8Array): number | undefined {
  if (data.length > MAX_LENGTH || hasRepeatedTriple(data)) return undefined;
  ltree.fill(0);
  dtree.fill(0);
  bltree.fill(0);
  for (let i = 0; i < data.length; i++) ltree[data[i] * 2]++;
  ltree[END_BLOCK * 2] = 1;
  optLen = 0;
  staticLen = 0;
  const lMax = buildTree(ltree, L_CODES, LITERAL, MAX_BITS);
  const dMax = buildTree(dtree, D_CODES, DISTANCE, MAX_BITS);
  scanTree(ltree, lMax);
  scanTree(dtree, dMax);
  buildTree(bltree, BL_CODES, BIT_LENGTH, MAX_BL_BITS);
  let maxBlindex = BL_CODES - 1;
  while (maxBlindex >= 3 && bltree[BL_ORDER[maxBlindex] * 2 + 1] === 0) maxBlindex--;
  optLen += 3 * (maxBlindex + 1) + 5 + 5 + 4;
  const optLenb = Math.min((optLen + 3 + 7) >>> 3, (staticLen + 3 + 7) >>> 3);
  // A stored block: 3 header bits padded to a byte, LEN and NLEN, then the data.
  const block = data.length + 4 <= optLenb ? data.length + 5 : optLenb;
  // The 2-byte zlib header and the 4-byte Adler-32 trailer.
  return 2 + block + 4;
}
