/**
 * A lower bound on the bits of deflate's dynamic-Huffman block (zlib's opt_len), and the exact
 * static-tree bits (static_len), from the symbol frequencies alone. Building zlib's three trees
 * costs more than the rest of compressing a short session, and most short sessions stay
 * uncompressed: when even this bound is too long for Django to keep the result, the trees need
 * not be built.
 *
 * Why it is a bound: zlib's code for a tree is a Huffman code, length-limited (which only adds
 * bits), so its cost is at least the unlimited optimal prefix-code cost, which Huffman's
 * algorithm gives whatever its tie-breaks. The code-length header depends on the lengths zlib
 * picks, but not on which lengths are zero: runs of unused symbols are sent exactly as
 * scan_tree sends them, and each run of used symbols takes at least one bit-length symbol per 6
 * (REP_3_6 covers at most 6). The optimal cost never rises when symbols merge or frequencies
 * fall, and every code of two or more symbols spends at least a bit per symbol, so the
 * bit-length code costs at least the optimal cost of those counts with every symbol for a
 * nonzero length merged into one. One case is known exactly: a distance tree of two codes
 * (as build_tree makes when the block has fewer) sends two lengths of 1, which makes HCLEN
 * send 18 bit-length code lengths, and which stay a symbol apart from the literal/length
 * tree's when that tree provably has no 1-bit code.
 *
 * Both are checked against the exact cost by the deflate property tests.
 */

import type { HuffmanTree } from './huffmanTree';

const REPZ_11_138_MAX = 138;
/** Block-header bits of a dynamic block besides the bit-length code's lengths: HLIT, HDIST, HCLEN. */
const COUNTS_BITS = 5 + 5 + 4;
/** HCLEN sends at least 4 bit-length code lengths, and all 19 when length 15 is used. */
const MIN_BL_LENGTHS = 4;
/** Bit-length symbol 1's place in zlib's bl_order (16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15). */
const RANK_OF_LENGTH_1 = 17;

/** Weights to build a code over, kept ascending; at most 286 symbols, or the 4 bit-length counts. */
const sorted = new Int32Array(288);
/** Huffman's merged nodes, which come out in nondecreasing order. */
const merged = new Int32Array(288);
/** One tree's used symbols in increasing order, with build_tree's made-up ones. */
const symbols = new Int32Array(288);

/**
 * Frequencies below this are counting-sorted (session symbols are mostly rare); the rest,
 * few, are insertion-sorted into `sorted`.
 */
const COUNTED_FREQS = 64;
const freqCount = new Int32Array(COUNTED_FREQS);

/** Inserts `w` into the ascending `sorted[0, k)`. */
function insertSorted(w: number, k: number): void {
  let i = k;
  while (i > 0 && sorted[i - 1] > w) {
    sorted[i] = sorted[i - 1];
    i--;
  }
  sorted[i] = w;
}

/** The optimal prefix-code cost of the ascending weights `sorted[0, k)`: two queues, leaves and merged nodes. */
function sortedHuffmanCost(k: number): number {
  // One symbol still gets a 1-bit code in deflate.
  if (k < 2) return k === 1 ? sorted[0] : 0;
  let leaf = 0;
  let head = 0;
  let tail = 0;
  let cost = 0;
  for (let made = 1; made < k; made++) {
    const a = leaf < k && (head === tail || sorted[leaf] <= merged[head]) ? sorted[leaf++] : merged[head++];
    const b = leaf < k && (head === tail || sorted[leaf] <= merged[head]) ? sorted[leaf++] : merged[head++];
    cost += a + b;
    merged[tail++] = a + b;
  }
  return cost;
}

/** Bit-length symbols counted across both trees' headers: zero lengths sent one by one, REPZ_3_10, REPZ_11_138, and a lower bound on the rest. */
let zeroLengths = 0;
let repz10 = 0;
let repz138 = 0;
let nonzeroLengths = 0;

/** scan_tree's symbols for a run of `run` unused symbols: it counts zero runs up to 138 long. */
function countZeroRun(run: number): void {
  while (run > REPZ_11_138_MAX) {
    repz138++;
    run -= REPZ_11_138_MAX;
  }
  if (run >= 11) repz138++;
  else if (run >= 3) repz10++;
  else zeroLengths += run;
}

/** The last tree bounded: its largest and total frequency, and how many codes zlib gives it. */
let treeMaxFreq = 0;
let treeTotal = 0;
let treeCodes = 0;

/**
 * A Huffman tree whose weights total below F(18) = 2584 is at most 15 deep, so gen_bitlen
 * keeps its lengths; and a leaf is 1 deep only if it outlasted two nodes at the last merge but
 * one, so weighs a third of the total at least.
 */
function hasNoLength1(): boolean {
  return treeTotal < 2584 && 3 * treeMaxFreq < treeTotal;
}

/** A tree's share of the bound: the optimal data bits plus extra bits, with its header counts added to the tallies. */
function treeBound(tree: HuffmanTree): number {
  const { freq, used, extraBits: extra, extraBase } = tree;
  treeMaxFreq = 0;
  treeTotal = 0;
  let k = 0;
  let frequent = 0;
  let extraBits = 0;
  for (let w = 0; w < used.length; w++) {
    let bits = used[w];
    while (bits !== 0) {
      const low = bits & -bits;
      const n = (w << 5) + 31 - Math.clz32(low);
      bits ^= low;
      const f = freq[n];
      if (f > treeMaxFreq) treeMaxFreq = f;
      treeTotal += f;
      if (n >= extraBase) extraBits += f * extra[n - extraBase];
      if (f < COUNTED_FREQS) freqCount[f]++;
      else insertSorted(f, frequent++);
      symbols[k++] = n;
    }
  }
  // The counted frequencies go before the frequent ones, in order.
  sorted.copyWithin(k - frequent, 0, frequent);
  let at = 0;
  const top = treeMaxFreq < COUNTED_FREQS ? treeMaxFreq : COUNTED_FREQS - 1;
  for (let f = 1; f <= top; f++) {
    for (let c = freqCount[f]; c !== 0; c--) sorted[at++] = f;
    freqCount[f] = 0;
  }
  // build_tree's made-up symbols, which get lengths (and so header entries) but add no bits.
  let count = k;
  let maxCode = count === 0 ? -1 : symbols[count - 1];
  while (count < 2) {
    if (maxCode < 2) symbols[count++] = ++maxCode;
    else {
      symbols[1] = symbols[0];
      symbols[0] = 0;
      count++;
    }
  }
  let runStart = symbols[0];
  countZeroRun(runStart);
  for (let i = 1; i <= count; i++) {
    if (i < count && symbols[i] === symbols[i - 1] + 1) continue;
    nonzeroLengths += Math.ceil((symbols[i - 1] + 1 - runStart) / 6);
    if (i < count) {
      countZeroRun(symbols[i] - symbols[i - 1] - 1);
      runStart = symbols[i];
    }
  }
  treeCodes = count;
  return sortedHuffmanCost(k) + extraBits;
}

/**
 * zlib's static_len for a block with the frequencies counted in `lit` and `dist`: what the
 * fixed codes (RFC 1951 §3.2.6) take for its symbols and their extra bits.
 */
export function staticBlockBits(lit: HuffmanTree, dist: HuffmanTree): number {
  return staticTreeBits(lit) + staticTreeBits(dist);
}

function staticTreeBits(tree: HuffmanTree): number {
  const { freq, used, extraBits: extra, extraBase } = tree;
  const staticLen = tree.staticLen as ArrayLike<number>;
  let bits = 0;
  for (let w = 0; w < used.length; w++) {
    let set = used[w];
    while (set !== 0) {
      const low = set & -set;
      const n = (w << 5) + 31 - Math.clz32(low);
      set ^= low;
      bits += freq[n] * (staticLen[n] + (n >= extraBase ? extra[n - extraBase] : 0));
    }
  }
  return bits;
}

/**
 * A lower bound on zlib's opt_len (the dynamic block's bits, less the 3-bit block type) for a
 * block with the frequencies counted in `lit` and `dist`, before their trees are built.
 */
export function dynamicBlockBitsAtLeast(lit: HuffmanTree, dist: HuffmanTree): number {
  zeroLengths = repz10 = repz138 = nonzeroLengths = 0;
  let bits = treeBound(lit);
  const litNoLength1 = hasNoLength1();
  const litNonzero = nonzeroLengths;
  bits += treeBound(dist);
  let blLengths = MIN_BL_LENGTHS;
  let ones = 0;
  // Two distance codes are both 1 bit long, sent as two bit-length symbols 1: too few to repeat.
  if (treeCodes === 2) {
    blLengths = RANK_OF_LENGTH_1 + 1;
    // Counted apart from the literal/length tree's lengths only when none of those can be 1 too.
    if (litNoLength1) {
      ones = 2;
      nonzeroLengths = litNonzero;
    }
  }
  let k = 0;
  if (ones !== 0) insertSorted(ones, k++);
  if (nonzeroLengths !== 0) insertSorted(nonzeroLengths, k++);
  if (zeroLengths !== 0) insertSorted(zeroLengths, k++);
  if (repz10 !== 0) insertSorted(repz10, k++);
  if (repz138 !== 0) insertSorted(repz138, k++);
  bits += sortedHuffmanCost(k) + 3 * repz10 + 7 * repz138;
  return bits + COUNTS_BITS + 3 * blLengths;
}
