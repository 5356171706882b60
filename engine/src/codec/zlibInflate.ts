/**
 * A zlib stream decoder (RFC 1950/1951) for the common case only: a well-formed stream whose
 * every Huffman code is complete. Node's inflateSync costs a native zlib state (~40 KiB of
 * external memory) and a fresh output buffer per call, which for small sessions is most of
 * decoding's time and garbage; this one decodes into a reused buffer.
 *
 * It never decides a stream is bad: on anything unusual (a header or data error, a truncated
 * stream, an incomplete code zlib would still accept, output beyond the cap) it gives up and
 * returns undefined, and the caller asks native zlib, whose verdict and errors stand. So where
 * this answers, zlib gives the same bytes, and everywhere else zlib answers itself.
 */

import { adler32 } from './adler32';

const LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DBASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** The longest code any table decodes with its first lookup; longer codes take a second one. */
const MAX_ROOT_BITS = 9;
/**
 * A table entry with this bit points at a sub-table: `entry >>> 5` is its offset and `entry & 15`
 * the bits that index it. Otherwise an entry is `symbol << 5 | length`.
 */
const SUB = 16;
/**
 * Room for the root table and every sub-table: a complete code has at most 288 codes longer
 * than the root, each opening at most one sub-table of at most 2^(15 - MAX_ROOT_BITS) slots.
 */
const TABLE_SIZE = (1 << MAX_ROOT_BITS) + 288 * (1 << (15 - MAX_ROOT_BITS));

/**
 * A canonical Huffman decoder as two-level lookup tables, zlib-style: `table[bits & rootMask]`
 * is a code of at most `rootBits` (the longest code, up to MAX_ROOT_BITS) or a pointer to the
 * sub-table of its longer codes, indexed by the bits that follow. Sizing the root and each
 * sub-table to the code keeps the table fill (much of a small stream's decoding time) to what
 * the code needs.
 */
class Decoder {
  readonly table = new Int32Array(TABLE_SIZE);
  rootBits = 0;
  rootMask = 0;
  private readonly count = new Int32Array(16);
  private readonly offs = new Int32Array(16);
  private readonly symbols = new Int32Array(288);

  /** Builds from `lengths[from, from + n)`; false unless the code is complete (zlib's common case). */
  build(lengths: Uint8Array, from: number, n: number): boolean {
    const count = this.count;
    count.fill(0);
    for (let i = 0; i < n; i++) count[lengths[from + i]]++;
    count[0] = 0;
    let left = 1;
    let maxLen = 0;
    for (let len = 1; len <= 15; len++) {
      left <<= 1;
      left -= count[len];
      if (left < 0) return false;
      if (count[len] !== 0) maxLen = len;
    }
    if (left !== 0) return false;
    const offs = this.offs;
    offs[1] = 0;
    for (let len = 1; len < 15; len++) offs[len + 1] = offs[len] + count[len];
    const symbols = this.symbols;
    for (let i = 0; i < n; i++) if (lengths[from + i] !== 0) symbols[offs[lengths[from + i]]++] = i;
    const root = Math.min(maxLen, MAX_ROOT_BITS);
    const rootSize = 1 << root;
    this.rootBits = root;
    this.rootMask = rootSize - 1;
    const table = this.table;
    // `huff` is the current code bit-reversed (codes are sent most significant bit first, read
    // least first); appending a 0 bit for the next length leaves it unchanged.
    let huff = 0;
    let index = 0;
    let subPrefix = -1;
    let subBase = 0;
    let subSize = 0;
    let next = rootSize;
    for (let len = 1; len <= maxLen; len++) {
      for (let k = count[len]; k > 0; k--) {
        const sym = symbols[index++];
        if (len <= root) {
          const entry = (sym << 5) | len;
          for (let at = huff; at < rootSize; at += 1 << len) table[at] = entry;
        } else {
          // Long codes sharing their first `root` bits are adjacent in canonical order.
          const prefix = huff & (rootSize - 1);
          if (prefix !== subPrefix) {
            // zlib's sizing: just enough bits for the codes left to fill the sub-table.
            let bits = len - root;
            let left = 1 << bits;
            let remaining = k;
            for (let l = len; l < maxLen; ) {
              left -= remaining;
              if (left <= 0) break;
              bits++;
              left <<= 1;
              remaining = count[++l];
            }
            subPrefix = prefix;
            subBase = next;
            subSize = 1 << bits;
            next += subSize;
            table[prefix] = (subBase << 5) | SUB | bits;
          }
          const entry = (sym << 5) | (len - root);
          for (let at = subBase + (huff >>> root); at < subBase + subSize; at += 1 << (len - root)) table[at] = entry;
        }
        // Increment `huff` as a `len`-bit reversed number.
        let incr = 1 << (len - 1);
        while (huff & incr) incr >>>= 1;
        huff = incr !== 0 ? (huff & (incr - 1)) + incr : 0;
      }
    }
    return true;
  }
}

const FIXED_LENGTHS = new Uint8Array(288);
FIXED_LENGTHS.fill(8, 0, 144);
FIXED_LENGTHS.fill(9, 144, 256);
FIXED_LENGTHS.fill(7, 256, 280);
FIXED_LENGTHS.fill(8, 280, 288);
const fixedLit = new Decoder();
const fixedDist = new Decoder();
fixedLit.build(FIXED_LENGTHS, 0, 288);
// The fixed distance code has 30 used symbols of 32, so it is incomplete; its table is made by
// hand, with the two unused symbols rejected where distances are read.
for (let sym = 0; sym < 32; sym++) {
  let rev = 0;
  for (let b = 0; b < 5; b++) rev |= ((sym >>> b) & 1) << (4 - b);
  fixedDist.table[rev] = (sym << 5) | 5;
}
fixedDist.rootBits = 5;
fixedDist.rootMask = 31;

const dynLit = new Decoder();
const dynDist = new Decoder();
const clDecoder = new Decoder();
const lengths = new Uint8Array(288 + 32);

const NO_INPUT: Uint8Array = new Uint8Array(0);
const MAX_KEPT_OUTPUT = 1 << 20;

/**
 * The decoder's state, in one object rather than module-level `let`s: V8 keeps object fields
 * fast, while every use of a closed-over `let` costs a context load and a hole check.
 */
const st = {
  input: NO_INPUT,
  pos: 0,
  bitBuf: 0,
  bitCnt: 0,
  /** Zero bytes supplied past the end of the input; more than the bit buffer holds means truncation. */
  phantom: 0,
  out: Buffer.allocUnsafeSlow(4096),
  outLen: 0,
  cap: 0,
};

/** Refills the bit buffer to at least 16 bits, with zero bytes past the end (counted in `phantom`). */
function refill(): void {
  while (st.bitCnt < 16) {
    if (st.pos < st.input.length) st.bitBuf |= st.input[st.pos++] << st.bitCnt;
    else st.phantom++;
    st.bitCnt += 8;
  }
}

function bits(n: number): number {
  if (st.bitCnt < n) refill();
  const v = st.bitBuf & ((1 << n) - 1);
  st.bitBuf >>>= n;
  st.bitCnt -= n;
  return v;
}

/** Room for `n` more output bytes, growing the reused buffer; false past the cap. */
function reserve(n: number): boolean {
  const need = st.outLen + n;
  if (need > st.cap) return false;
  if (need > st.out.length) {
    const grown = Buffer.allocUnsafeSlow(Math.min(Math.max(need, st.out.length * 2), st.cap));
    grown.set(st.out.subarray(0, st.outLen));
    st.out = grown;
  }
  return true;
}

/**
 * One block's symbols until end-of-block; the hot loop, so its state lives in locals. The bit
 * buffer stays a signed int32 (`| 0` after each `>>>`): mixing `>>>`'s unsigned results with
 * `|`'s signed ones made V8 keep it as a double, about 20% slower.
 */
function codes(lit: Decoder, dist: Decoder): boolean {
  const inp = st.input;
  const inLen = inp.length;
  const ltab = lit.table;
  const dtab = dist.table;
  const lmask = lit.rootMask;
  const lroot = lit.rootBits;
  const dmask = dist.rootMask;
  const droot = dist.rootBits;
  let p = st.pos;
  let bb = st.bitBuf;
  let bc = st.bitCnt;
  let ph = st.phantom;
  let o = st.out;
  let ol = st.outLen;
  let room = Math.min(o.length, st.cap);
  let ok = false;
  for (;;) {
    if (bc < 16) {
      // Two bytes at once while the input lasts: the buffer then holds 16 to 31 bits.
      if (p + 1 < inLen) {
        bb |= (inp[p] | (inp[p + 1] << 8)) << bc;
        p += 2;
        bc += 16;
      } else {
        while (bc < 16) {
          if (p < inLen) bb |= inp[p++] << bc;
          else ph++;
          bc += 8;
        }
      }
    }
    let entry = ltab[bb & lmask];
    if ((entry & SUB) !== 0) {
      bb = (bb >>> lroot) | 0;
      bc -= lroot;
      entry = ltab[(entry >>> 5) + (bb & ((1 << (entry & 15)) - 1))];
    }
    const elen = entry & 15;
    bb = (bb >>> elen) | 0;
    bc -= elen;
    const sym = entry >>> 5;
    if (sym < 256) {
      if (ph > 4) break;
      if (ol >= room) {
        st.outLen = ol;
        if (!reserve(1)) break;
        o = st.out;
        room = Math.min(o.length, st.cap);
      }
      o[ol++] = sym;
      continue;
    }
    if (sym === 256) {
      ok = true;
      break;
    }
    const li = sym - 257;
    if (li >= 29) break;
    while (bc < 5) {
      if (p < inLen) bb |= inp[p++] << bc;
      else ph++;
      bc += 8;
    }
    const lext = LEXT[li];
    const len = LBASE[li] + (bb & ((1 << lext) - 1));
    bb = (bb >>> lext) | 0;
    bc -= lext;
    if (bc < 16) {
      if (p + 1 < inLen) {
        bb |= (inp[p] | (inp[p + 1] << 8)) << bc;
        p += 2;
        bc += 16;
      } else {
        while (bc < 16) {
          if (p < inLen) bb |= inp[p++] << bc;
          else ph++;
          bc += 8;
        }
      }
    }
    let dentry = dtab[bb & dmask];
    if ((dentry & SUB) !== 0) {
      bb = (bb >>> droot) | 0;
      bc -= droot;
      dentry = dtab[(dentry >>> 5) + (bb & ((1 << (dentry & 15)) - 1))];
    }
    const dlen = dentry & 15;
    bb = (bb >>> dlen) | 0;
    bc -= dlen;
    const ds = dentry >>> 5;
    if (ds >= 30) break;
    const dext = DEXT[ds];
    while (bc < dext) {
      if (p < inLen) bb |= inp[p++] << bc;
      else ph++;
      bc += 8;
    }
    const d = DBASE[ds] + (bb & ((1 << dext) - 1));
    bb = (bb >>> dext) | 0;
    bc -= dext;
    if (d > ol || ph > 4) break;
    if (ol + len > room) {
      st.outLen = ol;
      if (!reserve(len)) break;
      o = st.out;
      room = Math.min(o.length, st.cap);
    }
    let from = ol - d;
    const end = ol + len;
    while (ol < end) o[ol++] = o[from++];
  }
  st.pos = p;
  st.bitBuf = bb;
  st.bitCnt = bc;
  st.phantom = ph;
  st.outLen = ol;
  return ok;
}

/**
 * Reads `total` literal/length and distance code lengths with the code-length code. Up to 316
 * symbols per block, most of a small stream's header: its state lives in locals, as in `codes`.
 * The code-length code is at most 7 bits, so its table has no sub-tables.
 */
function codeLengths(total: number): boolean {
  const inp = st.input;
  const inLen = inp.length;
  const ctab = clDecoder.table;
  const cmask = clDecoder.rootMask;
  let p = st.pos;
  let bb = st.bitBuf;
  let bc = st.bitCnt;
  let ph = st.phantom;
  let i = 0;
  let ok = true;
  while (i < total) {
    // 7 bits of code plus 7 of repeat count at most.
    while (bc < 14) {
      if (p < inLen) bb |= inp[p++] << bc;
      else ph++;
      bc += 8;
    }
    const entry = ctab[bb & cmask];
    const elen = entry & 15;
    bb = (bb >>> elen) | 0;
    bc -= elen;
    const sym = entry >>> 5;
    if (sym < 16) {
      lengths[i++] = sym;
      continue;
    }
    let value = 0;
    let repeat: number;
    if (sym === 16) {
      if (i === 0) {
        ok = false;
        break;
      }
      value = lengths[i - 1];
      repeat = 3 + (bb & 3);
      bb = (bb >>> 2) | 0;
      bc -= 2;
    } else if (sym === 17) {
      repeat = 3 + (bb & 7);
      bb = (bb >>> 3) | 0;
      bc -= 3;
    } else {
      repeat = 11 + (bb & 127);
      bb = (bb >>> 7) | 0;
      bc -= 7;
    }
    if (i + repeat > total) {
      ok = false;
      break;
    }
    while (repeat-- > 0) lengths[i++] = value;
  }
  st.pos = p;
  st.bitBuf = bb;
  st.bitCnt = bc;
  st.phantom = ph;
  return ok;
}

function dynamicBlock(): boolean {
  const nlen = bits(5) + 257;
  const ndist = bits(5) + 1;
  const ncode = bits(4) + 4;
  if (nlen > 286 || ndist > 30) return false;
  lengths.fill(0, 0, 19);
  for (let i = 0; i < ncode; i++) lengths[CL_ORDER[i]] = bits(3);
  if (!clDecoder.build(lengths, 0, 19)) return false;
  if (!codeLengths(nlen + ndist)) return false;
  if (st.phantom > 4 || lengths[256] === 0) return false;
  return dynLit.build(lengths, 0, nlen) && dynDist.build(lengths, nlen, ndist) && codes(dynLit, dynDist);
}

function storedBlock(): boolean {
  st.bitBuf >>>= st.bitCnt & 7;
  st.bitCnt -= st.bitCnt & 7;
  const len = bits(16);
  const nlen = bits(16);
  if ((len ^ 0xffff) !== nlen || !reserve(len)) return false;
  // Whole bytes still in the bit buffer come first, then the rest straight from the input.
  let n = len;
  while (n > 0 && st.bitCnt >= 8) {
    st.out[st.outLen++] = st.bitBuf & 0xff;
    st.bitBuf >>>= 8;
    st.bitCnt -= 8;
    n--;
  }
  if (st.phantom * 8 > st.bitCnt || st.pos + n > st.input.length) return false;
  st.out.set(st.input.subarray(st.pos, st.pos + n), st.outLen);
  st.outLen += n;
  st.pos += n;
  return true;
}

/**
 * The inflated bytes of a zlib stream as a view of a reused buffer (valid until the next
 * call), or undefined when native zlib must judge the stream (see the file comment).
 */
export function inflateCommon(data: Uint8Array, maxBytes: number): Buffer | undefined {
  if (data.length < 6) return undefined;
  const cmf = data[0];
  const flg = data[1];
  if ((cmf & 0x0f) !== 8 || cmf >>> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0 || (flg & 0x20) !== 0) return undefined;
  // An output buffer grown for one large stream is not kept: the view returned still holds it until used.
  if (st.out.length > MAX_KEPT_OUTPUT) st.out = Buffer.allocUnsafeSlow(4096);
  st.input = data;
  st.pos = 2;
  st.bitBuf = 0;
  st.bitCnt = 0;
  st.phantom = 0;
  st.outLen = 0;
  st.cap = maxBytes;
  let ok = true;
  let last = 0;
  while (ok && last === 0) {
    last = bits(1);
    const type = bits(2);
    if (type === 0) ok = storedBlock();
    else if (type === 1) ok = codes(fixedLit, fixedDist);
    else if (type === 2) ok = dynamicBlock();
    else ok = false;
    if (st.phantom > 4) ok = false;
  }
  st.input = NO_INPUT;
  // The unread bits must cover every zero byte supplied past the end, then the trailer follows.
  if (!ok || st.phantom * 8 > st.bitCnt) return undefined;
  const unread = st.pos - ((st.bitCnt >>> 3) - st.phantom);
  if (unread + 4 > data.length) return undefined;
  const check = ((data[unread] << 24) | (data[unread + 1] << 16) | (data[unread + 2] << 8) | data[unread + 3]) >>> 0;
  if (check !== adler32(st.out, st.outLen)) return undefined;
  return st.out.subarray(0, st.outLen);
}
