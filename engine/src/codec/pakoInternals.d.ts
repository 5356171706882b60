// pako's zlib port exposes its classic-zlib entry points only as untyped CommonJS files; these
// are the few the codec reuses to keep one deflate state instead of allocating one per call.
declare module 'pako/lib/zlib/zstream.js' {
  class ZStream {
    input: Uint8Array | null;
    next_in: number;
    avail_in: number;
    output: Uint8Array | null;
    next_out: number;
    avail_out: number;
    msg: string;
    state: DeflateState;
  }
  /** The fields of pako's DeflateState that a reset touches. */
  interface DeflateState {
    window: Uint8Array;
    prev: Uint16Array;
    head: Uint16Array;
    high_water: number;
    prev_match: number;
    match_start: number;
    window_size: number;
    w_size: number;
    strstart: number;
    block_start: number;
    lookahead: number;
    insert: number;
    match_length: number;
    prev_length: number;
    match_available: number;
    ins_h: number;
  }
  export = ZStream;
}

declare module 'pako/lib/zlib/deflate.js' {
  import type ZStream from 'pako/lib/zlib/zstream.js';
  export function deflateInit2(
    strm: ZStream,
    level: number,
    method: number,
    windowBits: number,
    memLevel: number,
    strategy: number,
    legacyHash?: boolean,
  ): number;
  export function deflateResetKeep(strm: ZStream): number;
  export function deflate(strm: ZStream, flush: number): number;
}
