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

/** Codes up to this long decode with one table lookup; longer ones walk the canonical code. */
const ROOT_BITS = 9;
const ROOT_SIZE = 1 << ROOT_BITS;
/** REVERSED[c] is the ROOT_BITS-bit c bit-reversed: codes are sent most significant bit first but read least first. */
const REVERSED = Int32Array.from({ length: ROOT_SIZE }, (_, c) => {
  let r = 0;
  for (let b = 0; b < ROOT_BITS; b++) r |= ((c >>> b) & 1) << (ROOT_BITS - 1 - b);
  return r;
});

/**
 * A canonical Huffman decoder: `table[bits & 511]` is `symbol << 4 | length` for codes of at
 * most ROOT_BITS, 0 for a longer code's prefix; `count`/`symbols` serve the long codes.
 */
class Decoder {
  readonly table = new Int32Array(ROOT_SIZE);
  readonly count = new Int32Array(16);
  readonly symbols = new Int32Array(288);
  private readonly offs = new Int32Array(16);

  /** Builds from `lengths[from, from + n)`; false unless the code is complete (zlib's common case). */
  build(lengths: Uint8Array, from: number, n: number): boolean {
    const count = this.count;
    count.fill(0);
    for (let i = 0; i < n; i++) count[lengths[from + i]]++;
    count[0] = 0;
    let left = 1;
    for (let len = 1; len <= 15; len++) {
      left <<= 1;
      left -= count[len];
      if (left < 0) return false;
    }
    if (left !== 0) return false;
    const offs = this.offs;
    offs[1] = 0;
    for (let len = 1; len < 15; len++) offs[len + 1] = offs[len] + count[len];
    const symbols = this.symbols;
    for (let i = 0; i < n; i++) if (lengths[from + i] !== 0) symbols[offs[lengths[from + i]]++] = i;
    const table = this.table;
    // A complete code of short codes fills every slot; only long codes leave prefixes to mark.
    let longCodes = 0;
    for (let len = ROOT_BITS + 1; len <= 15; len++) longCodes += count[len];
    if (longCodes !== 0) table.fill(0);
    // Walk the codes in canonical order, placing each short one at its bit-reversed index.
    let code = 0;
    let index = 0;
    for (let len = 1; len <= ROOT_BITS; len++) {
      const step = 1 << len;
      const shift = ROOT_BITS - len;
      for (let k = count[len]; k > 0; k--) {
        const entry = (symbols[index++] << 4) | len;
        for (let at = REVERSED[code << shift]; at < ROOT_SIZE; at += step) table[at] = entry;
        code++;
      }
      code <<= 1;
    }
    return true;
  }
}

const FIXED_LENGTHS = new Uint8Array(288 + 30);
FIXED_LENGTHS.fill(8, 0, 144);
FIXED_LENGTHS.fill(9, 144, 256);
FIXED_LENGTHS.fill(7, 256, 280);
FIXED_LENGTHS.fill(8, 280, 288);
FIXED_LENGTHS.fill(5, 288, 318);
const fixedLit = new Decoder();
const fixedDist = new Decoder();
fixedLit.build(FIXED_LENGTHS, 0, 288);
// The fixed distance code has 30 used symbols of 32, so it is incomplete; it gets its own table.
for (let sym = 0; sym < 32; sym++) {
  let rev = 0;
  for (let b = 0; b < 5; b++) rev |= ((sym >>> b) & 1) << (4 - b);
  for (let at = rev; at < ROOT_SIZE; at += 32) fixedDist.table[at] = (sym << 4) | 5;
}

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

/** The next symbol of `d`, or -1 when the bits are not a code (only possible for an incomplete fixed distance code). */
function decode(d: Decoder): number {
  if (st.bitCnt < 16) refill();
  const entry = d.table[st.bitBuf & (ROOT_SIZE - 1)];
  if (entry !== 0) {
    const len = entry & 15;
    st.bitBuf >>>= len;
    st.bitCnt -= len;
    return entry >>> 4;
  }
  return decodeLong(d);
}

/** A code longer than ROOT_BITS: the canonical walk, one bit at a time (the buffer holds at least 16). */
function decodeLong(d: Decoder): number {
  let code = 0;
  let first = 0;
  let index = 0;
  const count = d.count;
  for (let len = 1; len <= 15; len++) {
    code |= st.bitBuf & 1;
    st.bitBuf >>>= 1;
    st.bitCnt--;
    const c = count[len];
    if (code - first < c) return d.symbols[index + code - first];
    index += c;
    first = (first + c) << 1;
    code <<= 1;
  }
  return -1;
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

/** One block's symbols until end-of-block; the hot loop, so its state lives in locals. */
function codes(lit: Decoder, dist: Decoder): boolean {
  const inp = st.input;
  const inLen = inp.length;
  const ltab = lit.table;
  const dtab = dist.table;
  let p = st.pos;
  let bb = st.bitBuf;
  let bc = st.bitCnt;
  let ph = st.phantom;
  let o = st.out;
  let ol = st.outLen;
  let room = Math.min(o.length, st.cap);
  let ok = false;
  for (;;) {
    while (bc < 16) {
      if (p < inLen) bb |= inp[p++] << bc;
      else ph++;
      bc += 8;
    }
    let sym: number;
    const entry = ltab[bb & (ROOT_SIZE - 1)];
    if (entry !== 0) {
      const len = entry & 15;
      bb >>>= len;
      bc -= len;
      sym = entry >>> 4;
    } else {
      st.bitBuf = bb;
      st.bitCnt = bc;
      sym = decodeLong(lit);
      bb = st.bitBuf;
      bc = st.bitCnt;
    }
    if (sym < 256) {
      if (sym < 0 || ph > 4) break;
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
    bb >>>= lext;
    bc -= lext;
    while (bc < 16) {
      if (p < inLen) bb |= inp[p++] << bc;
      else ph++;
      bc += 8;
    }
    let ds: number;
    const dentry = dtab[bb & (ROOT_SIZE - 1)];
    if (dentry !== 0) {
      const dlen = dentry & 15;
      bb >>>= dlen;
      bc -= dlen;
      ds = dentry >>> 4;
    } else {
      st.bitBuf = bb;
      st.bitCnt = bc;
      ds = decodeLong(dist);
      bb = st.bitBuf;
      bc = st.bitCnt;
    }
    if (ds < 0 || ds >= 30) break;
    const dext = DEXT[ds];
    while (bc < dext) {
      if (p < inLen) bb |= inp[p++] << bc;
      else ph++;
      bc += 8;
    }
    const d = DBASE[ds] + (bb & ((1 << dext) - 1));
    bb >>>= dext;
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

function dynamicBlock(): boolean {
  const nlen = bits(5) + 257;
  const ndist = bits(5) + 1;
  const ncode = bits(4) + 4;
  if (nlen > 286 || ndist > 30) return false;
  lengths.fill(0, 0, 19);
  for (let i = 0; i < ncode; i++) lengths[CL_ORDER[i]] = bits(3);
  if (!clDecoder.build(lengths, 0, 19)) return false;
  let i = 0;
  while (i < nlen + ndist) {
    const sym = decode(clDecoder);
    if (sym < 16) {
      lengths[i++] = sym;
      continue;
    }
    let value = 0;
    let repeat: number;
    if (sym === 16) {
      if (i === 0) return false;
      value = lengths[i - 1];
      repeat = 3 + bits(2);
    } else if (sym === 17) repeat = 3 + bits(3);
    else repeat = 11 + bits(7);
    if (i + repeat > nlen + ndist) return false;
    while (repeat-- > 0) lengths[i++] = value;
  }
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
