import { CodecError } from './codecError';

/** `base64.urlsafe_b64encode(data).strip(b'=')`, as Django's `b64_encode` writes it. */
export function b64urlEncode(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64url');
}

const CLEAN_URLSAFE = /^[A-Za-z0-9_-]*$/;

const TABLE = (() => {
  const t = new Int8Array(256).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
})();

/**
 * Django's `b64_decode`: re-pad, then `urlsafe_b64decode`, which (like CPython's
 * non-strict `binascii.a2b_base64`) skips characters outside the alphabet and stops at
 * a complete pad sequence. Input is the UTF-8 bytes of the text, as `str.encode()` gives.
 */
export function b64urlDecode(text: string): Uint8Array {
  if (text.length % 4 !== 1 && CLEAN_URLSAFE.test(text)) return Buffer.from(text, 'base64url');
  const utf8 = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'utf8');
  // Django pads by the length in bytes, which differs from the length in chars for non-ASCII.
  const padded = Buffer.concat([utf8, Buffer.from('='.repeat((4 - (utf8.length % 4)) % 4), 'latin1')]);
  return a2bBase64(padded);
}

const URLSAFE = (() => {
  const t = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
})();

let scratch = Buffer.allocUnsafeSlow(1024);
const MAX_KEPT_SCRATCH = 1 << 20;

/** b64urlDecodeAscii's way out for text off the clean alphabet: the general decoder, on a fresh buffer. */
function lenient(src: Uint8Array, start: number, end: number): Buffer {
  return Buffer.from(b64urlDecode(Buffer.from(src.buffer, src.byteOffset + start, end - start).toString('latin1')));
}

/**
 * `b64urlDecode` of the ASCII text in `src[start, end)` into a reused buffer: the returned view
 * is valid until the next call. Decoding every session's payload made a fresh Buffer (and its
 * view) per session.
 */
export function b64urlDecodeAscii(src: Uint8Array, start: number, end: number): Buffer {
  const n = end - start;
  if (n % 4 === 1) return lenient(src, start, end);
  const size = (n * 3) >> 2;
  // Only buffers of usual session sizes are kept for reuse.
  if (scratch.length < size && size <= MAX_KEPT_SCRATCH) scratch = Buffer.allocUnsafeSlow(Math.max(size, scratch.length * 2));
  const out = scratch.length < size ? Buffer.allocUnsafeSlow(size) : scratch;
  const table = URLSAFE;
  const end4 = start + (n & ~3);
  let o = 0;
  let i = start;
  for (; i < end4; i += 4) {
    const c0 = src[i];
    const c1 = src[i + 1];
    const c2 = src[i + 2];
    const c3 = src[i + 3];
    const v0 = table[c0 & 127];
    const v1 = table[c1 & 127];
    const v2 = table[c2 & 127];
    const v3 = table[c3 & 127];
    // Anything outside the clean alphabet takes Django's lenient path.
    if ((v0 | v1 | v2 | v3) < 0 || (c0 | c1 | c2 | c3) > 127) return lenient(src, start, end);
    const v = (v0 << 18) | (v1 << 12) | (v2 << 6) | v3;
    out[o++] = v >>> 16;
    out[o++] = v >>> 8;
    out[o++] = v;
  }
  const rest = n & 3;
  if (rest !== 0) {
    const c0 = src[i];
    const c1 = src[i + 1];
    const c2 = rest === 3 ? src[i + 2] : 0x41;
    const v0 = table[c0 & 127];
    const v1 = table[c1 & 127];
    const v2 = table[c2 & 127];
    if ((v0 | v1 | v2) < 0 || (c0 | c1 | c2) > 127) return lenient(src, start, end);
    const v = (v0 << 18) | (v1 << 12) | (v2 << 6);
    out[o++] = v >>> 16;
    if (rest === 3) out[o++] = v >>> 8;
  }
  return out.subarray(0, o);
}

/** Standard-alphabet `base64.b64decode` (non-validating), used by the legacy format. */
export function b64StdDecode(text: string): Uint8Array {
  return a2bBase64(Buffer.from(text, 'utf8'));
}

/** A port of CPython 3.11 `binascii.a2b_base64` with `strict_mode=False`. */
function a2bBase64(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.floor((input.length * 3) / 4) + 3);
  let n = 0;
  let quadPos = 0;
  let leftChar = 0;
  let pads = 0;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch === 0x3d) {
      if (quadPos >= 2 && quadPos + ++pads >= 4) return out.subarray(0, n);
      continue;
    }
    const v = TABLE[ch];
    if (v < 0) continue;
    pads = 0;
    switch (quadPos) {
      case 0:
        quadPos = 1;
        leftChar = v;
        break;
      case 1:
        quadPos = 2;
        out[n++] = (leftChar << 2) | (v >> 4);
        leftChar = v & 0x0f;
        break;
      case 2:
        quadPos = 3;
        out[n++] = ((leftChar << 4) | (v >> 2)) & 0xff;
        leftChar = v & 0x03;
        break;
      default:
        quadPos = 0;
        out[n++] = ((leftChar << 6) | v) & 0xff;
        leftChar = 0;
    }
  }
  if (quadPos === 1) {
    throw new CodecError('bad-base64', 'Invalid base64: the number of data characters cannot be 1 more than a multiple of 4');
  }
  if (quadPos !== 0) throw new CodecError('bad-base64', 'Invalid base64: incorrect padding');
  return out.subarray(0, n);
}
