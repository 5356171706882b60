import { inflateSync } from 'node:zlib';
import { deflate, deflateInit2, deflateResetKeep } from 'pako/lib/zlib/deflate.js';
import ZStream from 'pako/lib/zlib/zstream.js';
import { CodecError } from './codecError';
import { deflateSmall, MAX_FAST_DEFLATE } from './zlibDeflate';
import { inflateCommon } from './zlibInflate';

const Z_FINISH = 4;
const Z_STREAM_END = 1;
const Z_DEFAULT_COMPRESSION = -1;
const Z_DEFLATED = 8;
const Z_DEFAULT_STRATEGY = 0;

const MIN_MATCH = 3;
/** The classic zlib hash, which pako.deflate() uses by default and which matches CPython's zlib. */
const LEGACY_HASH = true;

/** Inputs up to this size are read into the window at once and never slide it, so the hash slots they used are known. */
const TRACKED_INPUT = 16 * 1024;
const HASH_MASK = (1 << 15) - 1;

let stream: ZStream | undefined;
/** The length of the last input, still at the start of the window; -1 when its hash slots are unknown. */
let lastLength = -1;
let output = new Uint8Array(4096);

/**
 * zlib's hash head has 32768 slots but an input of n bytes only fills the slots of its n - 2
 * 3-byte strings (hash_bits 15, hash_shift 5, so a slot depends on exactly those 3 bytes).
 * Clearing just those is what lets small inputs skip a 64 KiB fill per call.
 */
function clearHashHead(s: ZStream['state']): void {
  if (lastLength < 0 || lastLength > TRACKED_INPUT) {
    s.head.fill(0);
    return;
  }
  const w = s.window;
  const head = s.head;
  for (let i = 0; i + 2 < lastLength; i++) head[((w[i] << 10) ^ (w[i + 1] << 5) ^ w[i + 2]) & HASH_MASK] = 0;
}

/**
 * One deflate state, returned to its freshly initialised form per call: allocating zlib's
 * ~256 KiB of tables each time dominated encode. pako's own deflateReset clears the hash with
 * a slow JS loop and keeps stale buffers that change its output, so every buffer that matters
 * is cleared here and the scalars set back to what deflateInit2 leaves. `prev` needs no
 * clearing: it is only read along chains that start at live head slots.
 */
function deflateStream(): ZStream {
  if (!stream) {
    stream = new ZStream();
    if (deflateInit2(stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY, LEGACY_HASH) !== 0) {
      throw new Error('pako deflateInit2 failed');
    }
    return stream;
  }
  const s = stream.state;
  clearHashHead(s);
  s.prev_match = 0;
  s.match_start = 0;
  s.high_water = 0;
  deflateResetKeep(stream);
  s.window_size = 2 * s.w_size;
  s.strstart = 0;
  s.block_start = 0;
  s.lookahead = 0;
  s.insert = 0;
  s.match_length = s.prev_length = MIN_MATCH - 1;
  s.match_available = 0;
  s.ins_h = 0;
  return stream;
}

/**
 * `zlib.compress(data)` with CPython's defaults, or undefined when it would not be shorter
 * than `below` bytes. Node's bundled zlib gives other bytes than CPython's (spec §1.3); our
 * own port does for sessions of usual size, pako (also a port of classic zlib 1.2.x) for the
 * rest. The result is a view of a reused buffer, valid until the next call.
 */
export function pyZlibCompress(data: Uint8Array, below = Infinity): Uint8Array | undefined {
  if (data.length <= MAX_FAST_DEFLATE) return deflateSmall(data, below);
  const zipped = pakoCompress(data);
  return zipped.length < below ? zipped : undefined;
}

/** pako's deflate with one reused state, for inputs too large for deflateSmall. */
function pakoCompress(data: Uint8Array): Uint8Array {
  const strm = deflateStream();
  lastLength = -1;
  // Above zlib's deflateBound: stored blocks add 5 bytes per 64 KiB, plus header and trailer.
  const bound = data.length + (data.length >> 3) + 64;
  if (output.length < bound) output = new Uint8Array(bound);
  strm.input = data;
  strm.next_in = 0;
  strm.avail_in = data.length;
  strm.output = output;
  strm.next_out = 0;
  strm.avail_out = output.length;
  const status = deflate(strm, Z_FINISH);
  const written = strm.next_out;
  strm.input = null;
  strm.output = null;
  if (status !== Z_STREAM_END) {
    stream = undefined;
    throw new Error(`pako deflate did not finish (${status})`);
  }
  lastLength = data.length;
  return output.subarray(0, written);
}

/**
 * Node's default 16 KiB output chunk is a fresh off-heap allocation per call, which made GC a
 * large share of decoding small sessions. Session JSON inflates 1–5×, so 8× the input (at
 * least 1 KiB) is usually one chunk; larger output just takes more chunks.
 */
function inflateChunkSize(compressedLength: number): number {
  return Math.min(16 * 1024, Math.max(1024, compressedLength * 8));
}

/**
 * Above this many compressed bytes native zlib is faster, its per-call cost (~5 µs, a stream
 * object and an off-heap buffer) no longer outweighing our decoder's slower inner loop
 * (measured on session-shaped JSON: 10.7 against 10.4 µs at 300–600 bytes, 27 against 18 µs
 * at about 700).
 */
const MAX_JS_INFLATE = 512;

/**
 * `zlib.decompress(data)`, refusing output beyond `maxBytes`: a zip bomb is only stopped by
 * the signature in Django, and we inflate unverified data too. Any valid stream inflates the
 * same everywhere: our decoder takes the common streams, Node's native zlib the rest and every
 * error. Bytes after the stream end are ignored, as CPython ignores them. The result may be a
 * view of a reused buffer, valid until the next call.
 */
export function pyZlibDecompress(data: Uint8Array, maxBytes: number): Buffer {
  const common = data.length <= MAX_JS_INFLATE ? inflateCommon(data, maxBytes) : undefined;
  if (common) return common;
  try {
    return inflateSync(data, { maxOutputLength: maxBytes, chunkSize: inflateChunkSize(data.length) });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new CodecError('too-large', `Compressed session data inflates beyond ${maxBytes} bytes`);
    }
    if (code === 'Z_BUF_ERROR') throw new CodecError('truncated', 'Compressed session data is truncated (incomplete zlib stream)');
    throw new CodecError('bad-zlib', `Compressed session data is not a valid zlib stream: ${(err as Error).message}`);
  }
}
