/**
 * `zlib.compress(data)` as CPython's classic zlib 1.2.x writes it (level 6, memLevel 8, 32 KiB
 * window), for inputs small enough to be one deflate block in an unslid window: every session
 * but the rarest. It is zlib's deflate_slow (lazy matching with level 6's good 8, lazy 16,
 * nice 128, chain 128) and _tr_flush_block ported with the state in reused typed arrays, so a
 * call allocates nothing but its result. Larger inputs take pako, the full port (zlibCodec.ts).
 *
 * The block's size is known once its trees are built, before any bit is written, so a caller
 * that only wants the output when it is short enough (Django's `len(Z) < len(D) - 1`) can skip
 * writing it; and often a bound on that size (deflateCostBound.ts) settles it before the trees.
 */
import { HuffmanTree, staticCodes } from './huffmanTree';
import { adler32 } from './adler32';
import { dynamicBlockBitsAtLeast, staticBlockBits } from './deflateCostBound';

/** Below zlib's symbol-buffer limit (lit_bufsize - 1 = 16383 at memLevel 8), so one block holds it all, and below MAX_DIST, so the window never slides. */
export const MAX_FAST_DEFLATE = 16_000;

const MIN_MATCH = 3;
const MAX_MATCH = 258;
const MIN_LOOKAHEAD = MAX_MATCH + MIN_MATCH + 1;
const MAX_DIST = 32768 - MIN_LOOKAHEAD;
const HASH_SIZE = 1 << 15;
const HASH_MASK = HASH_SIZE - 1;
const GOOD_MATCH = 8;
const MAX_LAZY = 16;
const NICE_MATCH = 128;
const MAX_CHAIN = 128;
const TOO_FAR = 4096;
const LITERALS = 256;
const END_BLOCK = 256;
const L_CODES = LITERALS + 1 + 29;
const D_CODES = 30;
const BL_CODES = 19;
const REP_3_6 = 16;
const REPZ_3_10 = 17;
const REPZ_11_138 = 18;

const EXTRA_LBITS = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const EXTRA_DBITS = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const EXTRA_BLBITS = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7];
const BL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** zlib's tr_static_init tables: length code per (length - 3), distance code per distance - 1 (split at 256), and their bases. */
const LENGTH_CODE = new Uint8Array(MAX_MATCH - MIN_MATCH + 1);
const BASE_LENGTH = new Int32Array(29);
const DIST_CODE = new Uint8Array(512);
const BASE_DIST = new Int32Array(D_CODES);
{
  let length = 0;
  let code = 0;
  for (; code < 28; code++) {
    BASE_LENGTH[code] = length;
    for (let n = 0; n < 1 << EXTRA_LBITS[code]; n++) LENGTH_CODE[length++] = code;
  }
  LENGTH_CODE[length - 1] = code;
  let dist = 0;
  for (code = 0; code < 16; code++) {
    BASE_DIST[code] = dist;
    for (let n = 0; n < 1 << EXTRA_DBITS[code]; n++) DIST_CODE[dist++] = code;
  }
  dist >>= 7;
  for (; code < D_CODES; code++) {
    BASE_DIST[code] = dist << 7;
    for (let n = 0; n < 1 << (EXTRA_DBITS[code] - 7); n++) DIST_CODE[256 + dist++] = code;
  }
}

function distCode(dist: number): number {
  return dist < 256 ? DIST_CODE[dist] : DIST_CODE[256 + (dist >>> 7)];
}

const STATIC_LLEN = Int32Array.from({ length: L_CODES + 2 }, (_, n) => (n < 144 ? 8 : n < 256 ? 9 : n < 280 ? 7 : 8));
const STATIC_LCODE = staticCodes(STATIC_LLEN);
const STATIC_DLEN = new Int32Array(D_CODES).fill(5);
const STATIC_DCODE = staticCodes(STATIC_DLEN);

const ltree = new HuffmanTree(L_CODES, 15, EXTRA_LBITS, LITERALS + 1, STATIC_LLEN);
const dtree = new HuffmanTree(D_CODES, 15, EXTRA_DBITS, 0, STATIC_DLEN);
const bltree = new HuffmanTree(BL_CODES, 7, EXTRA_BLBITS, 0, undefined);

/** The input, then the zeros zlib's fill_window guarantees after it (longest_match reads up to 258 bytes past the data). */
const window = new Uint8Array(MAX_FAST_DEFLATE + MAX_MATCH + 16);
/** The window for longest_match's 4-byte compares (typed arrays have no unaligned word reads). */
const view = new DataView(window.buffer);
/**
 * Hash heads and chain links hold `epoch + position`, so the 32768 heads need no clearing per
 * call: a value below the current epoch is a slot another call left, read as zlib's NIL.
 */
const head = new Int32Array(HASH_SIZE);
const prev = new Int32Array(MAX_FAST_DEFLATE);
let epoch = 0;
/** Symbols: 0 for a literal (with the byte in symLc), else the match distance (with length - 3). */
const symDist = new Int32Array(MAX_FAST_DEFLATE);
const symLc = new Int32Array(MAX_FAST_DEFLATE);
let output = new Uint8Array(1024);

/** deflate_slow over window[0, n): fills the symbol buffers and frequencies; returns the symbol count. */
function lz77(n: number): number {
  if (epoch > 0x7fffffff - 2 * MAX_FAST_DEFLATE) {
    head.fill(0);
    epoch = 0;
  }
  epoch += MAX_FAST_DEFLATE + 1;
  const base = epoch;
  const win = window;
  const lfreq = ltree.freq;
  const lused = ltree.used;
  const dfreq = dtree.freq;
  const dused = dtree.used;
  let syms = 0;
  let insH = ((win[0] << 5) ^ win[1]) & HASH_MASK;
  let strstart = 0;
  let lookahead = n;
  let matchLength = MIN_MATCH - 1;
  let matchStart = 0;
  let prevLength: number;
  let prevMatch: number;
  let matchAvailable = false;
  while (lookahead !== 0) {
    let hashHead = 0;
    if (lookahead >= MIN_MATCH) {
      insH = ((insH << 5) ^ win[strstart + 2]) & HASH_MASK;
      const v = head[insH];
      hashHead = v > base ? v - base : 0;
      prev[strstart] = v;
      head[insH] = base + strstart;
    }
    prevLength = matchLength;
    prevMatch = matchStart;
    matchLength = MIN_MATCH - 1;
    if (hashHead !== 0 && prevLength < MAX_LAZY && strstart - hashHead <= MAX_DIST) {
      // longest_match, inlined.
      let chain = prevLength >= GOOD_MATCH ? MAX_CHAIN >> 2 : MAX_CHAIN;
      const nice = NICE_MATCH > lookahead ? lookahead : NICE_MATCH;
      let bestLen = prevLength;
      const strend = strstart + MAX_MATCH;
      let scanEnd1 = win[strstart + bestLen - 1];
      let scanEnd = win[strstart + bestLen];
      const s0 = win[strstart];
      const s1 = win[strstart + 1];
      let cur = hashHead;
      for (;;) {
        if (win[cur + bestLen] === scanEnd && win[cur + bestLen - 1] === scanEnd1 && win[cur] === s0 && win[cur + 1] === s1) {
          // Bytes 2 match too (same hash, same first two bytes); zlib compares on from 3 and
          // takes the first mismatch, or MAX_MATCH. Four bytes at a time (little-endian, so the
          // lowest set bit of their difference is the first mismatch); the zeros after the data
          // cover the reads past strend.
          let scan = strstart + 3;
          let match = cur + 3;
          let diff = 0;
          while (scan < strend && (diff = view.getInt32(scan, true) ^ view.getInt32(match, true)) === 0) {
            scan += 4;
            match += 4;
          }
          if (diff !== 0) scan += (31 - Math.clz32(diff & -diff)) >>> 3;
          const len = scan - strstart < MAX_MATCH ? scan - strstart : MAX_MATCH;
          if (len > bestLen) {
            matchStart = cur;
            bestLen = len;
            if (len >= nice) break;
            scanEnd1 = win[strstart + bestLen - 1];
            scanEnd = win[strstart + bestLen];
          }
        }
        const next = prev[cur] - base;
        if (next <= 0 || --chain === 0) break;
        cur = next;
      }
      matchLength = bestLen <= lookahead ? bestLen : lookahead;
      if (matchLength === MIN_MATCH && strstart - matchStart > TOO_FAR) matchLength = MIN_MATCH - 1;
    }
    if (prevLength >= MIN_MATCH && matchLength <= prevLength) {
      const maxInsert = strstart + lookahead - MIN_MATCH;
      const dist = strstart - 1 - prevMatch;
      const lc = prevLength - MIN_MATCH;
      symDist[syms] = dist;
      symLc[syms++] = lc;
      const lsym = LENGTH_CODE[lc] + LITERALS + 1;
      lfreq[lsym]++;
      lused[lsym >>> 5] |= 1 << (lsym & 31);
      const dsym = distCode(dist - 1);
      dfreq[dsym]++;
      dused[dsym >>> 5] |= 1 << (dsym & 31);
      lookahead -= prevLength - 1;
      let k = prevLength - 2;
      do {
        if (++strstart <= maxInsert) {
          insH = ((insH << 5) ^ win[strstart + 2]) & HASH_MASK;
          prev[strstart] = head[insH];
          head[insH] = base + strstart;
        }
      } while (--k !== 0);
      matchAvailable = false;
      matchLength = MIN_MATCH - 1;
      strstart++;
    } else if (matchAvailable) {
      const c = win[strstart - 1];
      symDist[syms] = 0;
      symLc[syms++] = c;
      lfreq[c]++;
      lused[c >>> 5] |= 1 << (c & 31);
      strstart++;
      lookahead--;
    } else {
      matchAvailable = true;
      strstart++;
      lookahead--;
    }
  }
  if (matchAvailable) {
    const c = win[strstart - 1];
    symDist[syms] = 0;
    symLc[syms++] = c;
    lfreq[c]++;
    lused[c >>> 5] |= 1 << (c & 31);
  }
  return syms;
}

/** zlib's scan_tree: the bit-length code frequencies that sending `tree`'s lengths takes. */
function scanTree(tree: HuffmanTree): void {
  const tlen = tree.len;
  const maxCode = tree.maxCode;
  const blfreq = bltree.freq;
  const blused = bltree.used;
  let prevlen = -1;
  let nextlen = tlen[0];
  let count = 0;
  let maxCount = 7;
  let minCount = 4;
  if (nextlen === 0) {
    maxCount = 138;
    minCount = 3;
  }
  tlen[maxCode + 1] = 0xffff;
  for (let n = 0; n <= maxCode; n++) {
    const curlen = nextlen;
    nextlen = tlen[n + 1];
    if (++count < maxCount && curlen === nextlen) continue;
    let sym: number;
    if (count < minCount) {
      blfreq[curlen] += count;
      sym = curlen;
    } else if (curlen !== 0) {
      if (curlen !== prevlen) bltree.add(curlen);
      sym = REP_3_6;
      blfreq[sym]++;
    } else {
      sym = count <= 10 ? REPZ_3_10 : REPZ_11_138;
      blfreq[sym]++;
    }
    // The 19 bit-length symbols fit the first word of the used bitmap.
    blused[0] |= 1 << sym;
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

/** An LSB-first bit writer into `output`, as zlib's send_bits (whose 16-bit buffer gives the same bytes). */
let bitBuf = 0;
let bitCount = 0;
let outPos = 0;

function sendBits(value: number, length: number): void {
  bitBuf |= value << bitCount;
  bitCount += length;
  while (bitCount >= 8) {
    output[outPos++] = bitBuf;
    bitBuf >>>= 8;
    bitCount -= 8;
  }
}

/** zlib's send_tree: `tree`'s code lengths in the bit-length code (its guard was set by scanTree). */
function sendTree(tree: HuffmanTree): void {
  const tlen = tree.len;
  const maxCode = tree.maxCode;
  const blcode = bltree.code;
  const bllen = bltree.len;
  let prevlen = -1;
  let nextlen = tlen[0];
  let count = 0;
  let maxCount = 7;
  let minCount = 4;
  if (nextlen === 0) {
    maxCount = 138;
    minCount = 3;
  }
  for (let n = 0; n <= maxCode; n++) {
    const curlen = nextlen;
    nextlen = tlen[n + 1];
    if (++count < maxCount && curlen === nextlen) continue;
    if (count < minCount) {
      do sendBits(blcode[curlen], bllen[curlen]);
      while (--count !== 0);
    } else if (curlen !== 0) {
      if (curlen !== prevlen) {
        sendBits(blcode[curlen], bllen[curlen]);
        count--;
      }
      sendBits(blcode[REP_3_6], bllen[REP_3_6]);
      sendBits(count - 3, 2);
    } else if (count <= 10) {
      sendBits(blcode[REPZ_3_10], bllen[REPZ_3_10]);
      sendBits(count - 3, 3);
    } else {
      sendBits(blcode[REPZ_11_138], bllen[REPZ_11_138]);
      sendBits(count - 11, 7);
    }
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

/**
 * zlib's compress_block over the symbol buffers; the hot loop, so the bit writer's state lives
 * in locals. Two bytes go out whenever 16 bits are pending before a field is added: fewer
 * than 16 pending plus a field of at most 15 bits fits the 32-bit buffer.
 */
function compressBlock(syms: number, lcode: Int32Array, llen: Int32Array, dcode: Int32Array, dlen: Int32Array): void {
  const out = output;
  let buf = bitBuf;
  let count = bitCount;
  let pos = outPos;
  for (let i = 0; i < syms; i++) {
    const dist = symDist[i];
    let lc = symLc[i];
    if (dist === 0) {
      buf |= lcode[lc] << count;
      count += llen[lc];
    } else {
      let code = LENGTH_CODE[lc];
      buf |= lcode[code + LITERALS + 1] << count;
      count += llen[code + LITERALS + 1];
      let extra = EXTRA_LBITS[code];
      if (extra !== 0) {
        if (count >= 16) {
          out[pos++] = buf;
          out[pos++] = buf >>> 8;
          buf >>>= 16;
          count -= 16;
        }
        lc -= BASE_LENGTH[code];
        buf |= lc << count;
        count += extra;
      }
      if (count >= 16) {
        out[pos++] = buf;
        out[pos++] = buf >>> 8;
        buf >>>= 16;
        count -= 16;
      }
      let d = dist - 1;
      code = distCode(d);
      buf |= dcode[code] << count;
      count += dlen[code];
      extra = EXTRA_DBITS[code];
      if (extra !== 0) {
        if (count >= 16) {
          out[pos++] = buf;
          out[pos++] = buf >>> 8;
          buf >>>= 16;
          count -= 16;
        }
        d -= BASE_DIST[code];
        buf |= d << count;
        count += extra;
      }
    }
    if (count >= 16) {
      out[pos++] = buf;
      out[pos++] = buf >>> 8;
      buf >>>= 16;
      count -= 16;
    }
  }
  while (count >= 8) {
    out[pos++] = buf;
    buf >>>= 8;
    count -= 8;
  }
  bitBuf = buf;
  bitCount = count;
  outPos = pos;
  sendBits(lcode[END_BLOCK], llen[END_BLOCK]);
}

/**
 * `zlib.compress(data)` for data of at most MAX_FAST_DEFLATE bytes, or undefined when its
 * length would not be below `below` (then nothing is written). The result is a view of a
 * reused buffer, valid until the next call.
 */
export function deflateSmall(data: Uint8Array, below: number): Uint8Array | undefined {
  const n = data.length;
  if (n > MAX_FAST_DEFLATE) throw new RangeError(`deflateSmall takes at most ${MAX_FAST_DEFLATE} bytes`);
  window.set(data);
  window.fill(0, n, n + MAX_MATCH + 8);
  ltree.reset();
  dtree.reset();
  bltree.reset();
  ltree.add(END_BLOCK);
  const syms = n === 0 ? 0 : lz77(n);
  // Most short sessions stay uncompressed, and building the trees only to learn that costs more
  // than the rest: when the stored block (n + 5 bytes), the static one and a lower bound on the
  // dynamic one are all too long, nothing more is needed.
  if (n + 11 >= below && 6 + ((staticBlockBits(ltree, dtree) + 3 + 7) >>> 3) >= below) {
    if (6 + ((dynamicBlockBitsAtLeast(ltree, dtree) + 3 + 7) >>> 3) >= below) return undefined;
  }

  ltree.build();
  dtree.build();
  scanTree(ltree);
  scanTree(dtree);
  bltree.build();
  let maxBlindex = BL_CODES - 1;
  while (maxBlindex >= 3 && bltree.len[BL_ORDER[maxBlindex]] === 0) maxBlindex--;
  const optLen = ltree.optBits + dtree.optBits + bltree.optBits + 3 * (maxBlindex + 1) + 5 + 5 + 4;
  const staticLen = ltree.staticBits + dtree.staticBits;
  const optLenb = (optLen + 3 + 7) >>> 3;
  const staticLenb = (staticLen + 3 + 7) >>> 3;
  const blockBytes = Math.min(optLenb, staticLenb);
  const stored = n + 4 <= blockBytes;
  // The 2-byte header and 4-byte Adler-32 around the block.
  const total = 6 + (stored ? n + 5 : blockBytes);
  if (total >= below) return undefined;

  if (output.length < total + 8) output = new Uint8Array(Math.max(total + 8, output.length * 2));
  output[0] = 0x78;
  output[1] = 0x9c;
  outPos = 2;
  bitBuf = 0;
  bitCount = 0;
  if (stored) {
    sendBits(1, 3);
    if (bitCount > 0) output[outPos++] = bitBuf;
    output[outPos++] = n;
    output[outPos++] = n >>> 8;
    output[outPos++] = ~n;
    output[outPos++] = ~n >>> 8;
    output.set(data, outPos);
    outPos += n;
  } else {
    if (staticLenb <= optLenb) {
      sendBits(2 + 1, 3);
      compressBlock(syms, STATIC_LCODE, STATIC_LLEN, STATIC_DCODE, STATIC_DLEN);
    } else {
      sendBits(4 + 1, 3);
      sendBits(ltree.maxCode + 1 - 257, 5);
      sendBits(dtree.maxCode + 1 - 1, 5);
      sendBits(maxBlindex + 1 - 4, 4);
      for (let rank = 0; rank <= maxBlindex; rank++) sendBits(bltree.len[BL_ORDER[rank]], 3);
      sendTree(ltree);
      sendTree(dtree);
      compressBlock(syms, ltree.code, ltree.len, dtree.code, dtree.len);
    }
    if (bitCount > 0) output[outPos++] = bitBuf;
  }
  const adler = adler32(data);
  output[outPos++] = adler >>> 24;
  output[outPos++] = adler >>> 16;
  output[outPos++] = adler >>> 8;
  output[outPos++] = adler;
  return output.subarray(0, outPos);
}
