/**
 * HMAC-SHA256 in plain TypeScript, for the one hot case of the codec: a signature over ASCII
 * text (`payload:timestamp`) with a fixed key. Node's createHmac costs a native call, a key
 * schedule and a UTF-8 copy of the text per signature; here the key's inner and outer pad
 * blocks are hashed once, and the text's char codes are fed to the compression function
 * directly. Output is identical to `createHmac('sha256', key)` (pinned by tests).
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const INITIAL = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/** The message schedule; W[0..15] hold the block being compressed. Shared: everything here is synchronous. */
const W = new Int32Array(64);
/** The running state of the inner and then the outer hash. */
const H = new Int32Array(8);

/** One SHA-256 compression of the block in W[0..15] into H; the schedule is extended in place. */
function compress(): void {
  const w = W;
  let a = H[0];
  let b = H[1];
  let c = H[2];
  let d = H[3];
  let e = H[4];
  let f = H[5];
  let g = H[6];
  let h = H[7];
  for (let i = 0; i < 64; i++) {
    let wi: number;
    if (i < 16) wi = w[i];
    else {
      const x = w[i - 15];
      const y = w[i - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      wi = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      w[i] = wi;
    }
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + (g ^ (e & (f ^ g))) + K[i] + wi) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) | (c & (a | b)))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = (H[0] + a) | 0;
  H[1] = (H[1] + b) | 0;
  H[2] = (H[2] + c) | 0;
  H[3] = (H[3] + d) | 0;
  H[4] = (H[4] + e) | 0;
  H[5] = (H[5] + f) | 0;
  H[6] = (H[6] + g) | 0;
  H[7] = (H[7] + h) | 0;
}

/** The states after hashing `key ^ ipad` and `key ^ opad`: all an HMAC needs of its key. */
export interface HmacPads {
  readonly inner: Int32Array;
  readonly outer: Int32Array;
}

function padState(key: Uint8Array, pad: number): Int32Array {
  H.set(INITIAL);
  for (let i = 0; i < 16; i++) {
    let word = 0;
    for (let j = 0; j < 4; j++) word = (word << 8) | ((key[i * 4 + j] ?? 0) ^ pad);
    W[i] = word;
  }
  compress();
  return H.slice();
}

/** Pads for a key of at most 64 bytes (a derived session key is 32). */
export function hmacSha256Pads(key: Uint8Array): HmacPads {
  if (key.length > 64) throw new RangeError('hmacSha256Pads takes keys of at most 64 bytes');
  return { inner: padState(key, 0x36), outer: padState(key, 0x5c) };
}

/**
 * Above this many bytes native HMAC is faster despite its per-call cost (measured: at 110
 * bytes this path is ~0.6 µs faster, at 300 bytes it is slower). Uncompressed sessions sign
 * 120–180 bytes; long compressed ones go native.
 */
const MAX_FAST_LENGTH = 183;

/**
 * HMAC-SHA256 of `text.slice(0, end)` as bytes, into `out` (8 big-endian words). Returns false,
 * leaving `out` unspecified, when the text is longer than MAX_FAST_LENGTH or not all ASCII (its
 * UTF-8 bytes would differ from its char codes): the caller then takes the general path.
 */
export function hmacSha256Ascii(pads: HmacPads, text: string, end: number, out: Int32Array): boolean {
  if (end > MAX_FAST_LENGTH) return false;
  H.set(pads.inner);
  let seen = 0;
  let p = 0;
  const fullEnd = end - (end & 63);
  while (p < fullEnd) {
    for (let i = 0; i < 16; i++, p += 4) {
      const c0 = text.charCodeAt(p);
      const c1 = text.charCodeAt(p + 1);
      const c2 = text.charCodeAt(p + 2);
      const c3 = text.charCodeAt(p + 3);
      seen |= c0 | c1 | c2 | c3;
      W[i] = (c0 << 24) | (c1 << 16) | (c2 << 8) | c3;
    }
    compress();
  }
  // The tail, the 0x80 terminator and the bit length (64 key-pad bytes + end), over one or two blocks.
  W.fill(0, 0, 16);
  const rest = end - p;
  for (let i = 0; i < rest; i++) {
    const c = text.charCodeAt(p + i);
    seen |= c;
    W[i >> 2] |= c << (24 - 8 * (i & 3));
  }
  W[rest >> 2] |= 0x80 << (24 - 8 * (rest & 3));
  if (rest >= 56) {
    compress();
    W.fill(0, 0, 16);
  }
  const bits = (64 + end) * 8;
  W[14] = Math.floor(bits / 0x100000000);
  W[15] = bits | 0;
  compress();
  if (seen > 0x7f) return false;
  W.set(H);
  W[8] = 0x80000000 | 0;
  W.fill(0, 9, 15);
  W[15] = (64 + 32) * 8;
  H.set(pads.outer);
  compress();
  out.set(H);
  return true;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64URL_CODES = Uint8Array.from(B64URL, (c) => c.charCodeAt(0));
/** The 32 digest bytes, unpacked for base64. */
const DIGEST = new Uint8Array(33);

function unpack(words: Int32Array): void {
  for (let i = 0; i < 8; i++) {
    const w = words[i];
    DIGEST[i * 4] = w >>> 24;
    DIGEST[i * 4 + 1] = w >>> 16;
    DIGEST[i * 4 + 2] = w >>> 8;
    DIGEST[i * 4 + 3] = w;
  }
  DIGEST[32] = 0;
}

/** Base64 digit `k` (0..42) of the unpacked 32-byte digest: the 6 bits from bit 6k on. */
function b64Index(k: number): number {
  const byte = (k * 6) >> 3;
  const shift = 10 - ((k * 6) & 7);
  return (((DIGEST[byte] << 8) | DIGEST[byte + 1]) >> shift) & 0x3f;
}

/** Unpadded base64url text of a digest (43 chars), as Django's `b64_encode(...).strip('=')`. */
export function digestBase64url(words: Int32Array): string {
  unpack(words);
  let text = '';
  for (let k = 0; k < 43; k++) text += B64URL[b64Index(k)];
  return text;
}

/**
 * Whether `text.slice(start, start + 43)` is the base64url text of the digest, compared in
 * time that does not depend on where they differ (Django's constant_time_compare on the text).
 */
export function digestMatchesBase64url(words: Int32Array, text: string, start: number): boolean {
  unpack(words);
  let diff = 0;
  for (let k = 0; k < 43; k++) diff |= B64URL_CODES[b64Index(k)] ^ text.charCodeAt(start + k);
  return diff === 0;
}
