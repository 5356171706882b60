import { inflateSync } from 'node:zlib';
import { deflate, deflateInit2, deflateResetKeep } from 'pako/lib/zlib/deflate.js';
import ZStream from 'pako/lib/zlib/zstream.js';
import { CodecError } from './codecError';

const Z_FINISH = 4;
const Z_STREAM_END = 1;
const Z_DEFAULT_COMPRESSION = -1;
const Z_DEFLATED = 8;
const Z_DEFAULT_STRATEGY = 0;

const MIN_MATCH = 3;
/** The classic zlib hash, which pako.deflate() uses by default and which matches CPython's zlib. */
const LEGACY_HASH = true;

let stream: ZStream | undefined;

/**
 * One deflate state, returned to its freshly initialised form per call: allocating zlib's
 * ~256 KiB of tables each time dominated encode. pako's own deflateReset clears the hash with
 * a slow JS loop and keeps stale buffers that change its output, so every buffer is cleared
 * here with native fills and the scalars set back to what deflateInit2 leaves.
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
  s.head.fill(0);
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
 * `zlib.compress(data)` with CPython's defaults. pako is a port of classic zlib 1.2.x and
 * gives the same bytes as CPython; Node's bundled zlib does not (spec §1.3).
 */
export function pyZlibCompress(data: Uint8Array): Uint8Array {
  const strm = deflateStream();
  // Above zlib's deflateBound: stored blocks add 5 bytes per 64 KiB, plus header and trailer.
  const out = new Uint8Array(data.length + (data.length >> 3) + 64);
  strm.input = data;
  strm.next_in = 0;
  strm.avail_in = data.length;
  strm.output = out;
  strm.next_out = 0;
  strm.avail_out = out.length;
  const status = deflate(strm, Z_FINISH);
  const written = strm.next_out;
  strm.input = null;
  strm.output = null;
  if (status !== Z_STREAM_END) {
    stream = undefined;
    throw new Error(`pako deflate did not finish (${status})`);
  }
  return out.subarray(0, written);
}

/**
 * `zlib.decompress(data)`, refusing output beyond `maxBytes`: a zip bomb is only stopped by
 * the signature in Django, and we inflate unverified data too. Any valid stream inflates the
 * same everywhere, so Node's native zlib is used for speed. Bytes after the stream end are
 * ignored, as CPython ignores them.
 */
export function pyZlibDecompress(data: Uint8Array, maxBytes: number): Buffer {
  try {
    return inflateSync(data, { maxOutputLength: maxBytes });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new CodecError('too-large', `Compressed session data inflates beyond ${maxBytes} bytes`);
    }
    if (code === 'Z_BUF_ERROR') throw new CodecError('truncated', 'Compressed session data is truncated (incomplete zlib stream)');
    throw new CodecError('bad-zlib', `Compressed session data is not a valid zlib stream: ${(err as Error).message}`);
  }
}
