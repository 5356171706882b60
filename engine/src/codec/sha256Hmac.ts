/**
 * HMAC-SHA256 in plain TypeScript, for the one hot case of the codec: a signature over ASCII
 * text (`payload:timestamp`) with a fixed key. Node's createHmac costs a native call, a key
 * schedule and a UTF-8 copy of the text per signature; here the key's inner and outer pad
 * blocks are hashed once, and the text's char codes are fed to the compression function
 * directly. Output is identical to `createHmac('sha256', key)` (pinned by tests).
 */

import * as nodeCrypto from 'node:crypto';

const INITIAL = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/** The block being compressed, as 16 big-endian words. Shared: everything here is synchronous. */
const W = new Int32Array(16);
/** The running state of the inner and then the outer hash. */
const H = new Int32Array(8);

/**
 * One SHA-256 compression of the block in W[0..15] into H, fully unrolled (the 64 textbook
 * rounds written out by a script, with the variables renamed instead of shifted): the
 * schedule lives in sixteen locals that are overwritten in turn and the round constants are
 * literals, so V8 keeps every value in an int32 register instead of loading from typed arrays
 * with bounds checks; about 15% faster than eight rounds per loop over a 64-word schedule.
 */
function compress(): void {
  let w0 = W[0];
  let w1 = W[1];
  let w2 = W[2];
  let w3 = W[3];
  let w4 = W[4];
  let w5 = W[5];
  let w6 = W[6];
  let w7 = W[7];
  let w8 = W[8];
  let w9 = W[9];
  let w10 = W[10];
  let w11 = W[11];
  let w12 = W[12];
  let w13 = W[13];
  let w14 = W[14];
  let w15 = W[15];
  let a = H[0];
  let b = H[1];
  let c = H[2];
  let d = H[3];
  let e = H[4];
  let f = H[5];
  let g = H[6];
  let h = H[7];
  let t: number;
  let s: number;
  t = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + 0x428a2f98 + w0) | 0;
  d = (d + t) | 0;
  h = (t + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
  t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + 0x71374491 + w1) | 0;
  c = (c + t) | 0;
  g = (t + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0;
  t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + -0x4a3f0431 + w2) | 0;
  b = (b + t) | 0;
  f = (t + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0;
  t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + -0x164a245b + w3) | 0;
  a = (a + t) | 0;
  e = (t + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0;
  t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + 0x3956c25b + w4) | 0;
  h = (h + t) | 0;
  d = (t + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0;
  t = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + 0x59f111f1 + w5) | 0;
  g = (g + t) | 0;
  c = (t + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0;
  t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + -0x6dc07d5c + w6) | 0;
  f = (f + t) | 0;
  b = (t + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0;
  t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + -0x54e3a12b + w7) | 0;
  e = (e + t) | 0;
  a = (t + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0;
  t = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + -0x27f85568 + w8) | 0;
  d = (d + t) | 0;
  h = (t + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
  t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + 0x12835b01 + w9) | 0;
  c = (c + t) | 0;
  g = (t + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0;
  t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + 0x243185be + w10) | 0;
  b = (b + t) | 0;
  f = (t + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0;
  t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + 0x550c7dc3 + w11) | 0;
  a = (a + t) | 0;
  e = (t + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0;
  t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + 0x72be5d74 + w12) | 0;
  h = (h + t) | 0;
  d = (t + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0;
  t = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + -0x7f214e02 + w13) | 0;
  g = (g + t) | 0;
  c = (t + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0;
  t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + -0x6423f959 + w14) | 0;
  f = (f + t) | 0;
  b = (t + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0;
  t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + -0x3e640e8c + w15) | 0;
  e = (e + t) | 0;
  a = (t + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0;
  s = w1;
  t = w14;
  w0 = (w0 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w9 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + -0x1b64963f + w0) | 0;
  d = (d + t) | 0;
  h = (t + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
  s = w2;
  t = w15;
  w1 = (w1 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w10 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + -0x1041b87a + w1) | 0;
  c = (c + t) | 0;
  g = (t + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0;
  s = w3;
  t = w0;
  w2 = (w2 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w11 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + 0xfc19dc6 + w2) | 0;
  b = (b + t) | 0;
  f = (t + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0;
  s = w4;
  t = w1;
  w3 = (w3 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w12 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + 0x240ca1cc + w3) | 0;
  a = (a + t) | 0;
  e = (t + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0;
  s = w5;
  t = w2;
  w4 = (w4 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w13 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + 0x2de92c6f + w4) | 0;
  h = (h + t) | 0;
  d = (t + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0;
  s = w6;
  t = w3;
  w5 = (w5 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w14 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + 0x4a7484aa + w5) | 0;
  g = (g + t) | 0;
  c = (t + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0;
  s = w7;
  t = w4;
  w6 = (w6 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w15 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + 0x5cb0a9dc + w6) | 0;
  f = (f + t) | 0;
  b = (t + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0;
  s = w8;
  t = w5;
  w7 = (w7 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w0 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + 0x76f988da + w7) | 0;
  e = (e + t) | 0;
  a = (t + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0;
  s = w9;
  t = w6;
  w8 = (w8 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w1 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + -0x67c1aeae + w8) | 0;
  d = (d + t) | 0;
  h = (t + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
  s = w10;
  t = w7;
  w9 = (w9 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w2 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + -0x57ce3993 + w9) | 0;
  c = (c + t) | 0;
  g = (t + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0;
  s = w11;
  t = w8;
  w10 = (w10 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w3 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + -0x4ffcd838 + w10) | 0;
  b = (b + t) | 0;
  f = (t + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0;
  s = w12;
  t = w9;
  w11 = (w11 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w4 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + -0x40a68039 + w11) | 0;
  a = (a + t) | 0;
  e = (t + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0;
  s = w13;
  t = w10;
  w12 = (w12 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w5 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + -0x391ff40d + w12) | 0;
  h = (h + t) | 0;
  d = (t + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0;
  s = w14;
  t = w11;
  w13 = (w13 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w6 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + -0x2a586eb9 + w13) | 0;
  g = (g + t) | 0;
  c = (t + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0;
  s = w15;
  t = w12;
  w14 = (w14 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w7 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + 0x6ca6351 + w14) | 0;
  f = (f + t) | 0;
  b = (t + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0;
  s = w0;
  t = w13;
  w15 = (w15 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w8 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + 0x14292967 + w15) | 0;
  e = (e + t) | 0;
  a = (t + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0;
  s = w1;
  t = w14;
  w0 = (w0 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w9 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + 0x27b70a85 + w0) | 0;
  d = (d + t) | 0;
  h = (t + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
  s = w2;
  t = w15;
  w1 = (w1 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w10 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + 0x2e1b2138 + w1) | 0;
  c = (c + t) | 0;
  g = (t + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0;
  s = w3;
  t = w0;
  w2 = (w2 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w11 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + 0x4d2c6dfc + w2) | 0;
  b = (b + t) | 0;
  f = (t + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0;
  s = w4;
  t = w1;
  w3 = (w3 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w12 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + 0x53380d13 + w3) | 0;
  a = (a + t) | 0;
  e = (t + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0;
  s = w5;
  t = w2;
  w4 = (w4 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w13 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + 0x650a7354 + w4) | 0;
  h = (h + t) | 0;
  d = (t + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0;
  s = w6;
  t = w3;
  w5 = (w5 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w14 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + 0x766a0abb + w5) | 0;
  g = (g + t) | 0;
  c = (t + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0;
  s = w7;
  t = w4;
  w6 = (w6 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w15 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + -0x7e3d36d2 + w6) | 0;
  f = (f + t) | 0;
  b = (t + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0;
  s = w8;
  t = w5;
  w7 = (w7 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w0 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + -0x6d8dd37b + w7) | 0;
  e = (e + t) | 0;
  a = (t + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0;
  s = w9;
  t = w6;
  w8 = (w8 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w1 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + -0x5d40175f + w8) | 0;
  d = (d + t) | 0;
  h = (t + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
  s = w10;
  t = w7;
  w9 = (w9 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w2 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + -0x57e599b5 + w9) | 0;
  c = (c + t) | 0;
  g = (t + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0;
  s = w11;
  t = w8;
  w10 = (w10 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w3 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + -0x3db47490 + w10) | 0;
  b = (b + t) | 0;
  f = (t + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0;
  s = w12;
  t = w9;
  w11 = (w11 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w4 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + -0x3893ae5d + w11) | 0;
  a = (a + t) | 0;
  e = (t + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0;
  s = w13;
  t = w10;
  w12 = (w12 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w5 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + -0x2e6d17e7 + w12) | 0;
  h = (h + t) | 0;
  d = (t + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0;
  s = w14;
  t = w11;
  w13 = (w13 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w6 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + -0x2966f9dc + w13) | 0;
  g = (g + t) | 0;
  c = (t + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0;
  s = w15;
  t = w12;
  w14 = (w14 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w7 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + -0xbf1ca7b + w14) | 0;
  f = (f + t) | 0;
  b = (t + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0;
  s = w0;
  t = w13;
  w15 = (w15 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w8 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + 0x106aa070 + w15) | 0;
  e = (e + t) | 0;
  a = (t + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0;
  s = w1;
  t = w14;
  w0 = (w0 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w9 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + 0x19a4c116 + w0) | 0;
  d = (d + t) | 0;
  h = (t + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
  s = w2;
  t = w15;
  w1 = (w1 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w10 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + 0x1e376c08 + w1) | 0;
  c = (c + t) | 0;
  g = (t + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0;
  s = w3;
  t = w0;
  w2 = (w2 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w11 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + 0x2748774c + w2) | 0;
  b = (b + t) | 0;
  f = (t + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0;
  s = w4;
  t = w1;
  w3 = (w3 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w12 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + 0x34b0bcb5 + w3) | 0;
  a = (a + t) | 0;
  e = (t + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0;
  s = w5;
  t = w2;
  w4 = (w4 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w13 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + 0x391c0cb3 + w4) | 0;
  h = (h + t) | 0;
  d = (t + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0;
  s = w6;
  t = w3;
  w5 = (w5 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w14 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + 0x4ed8aa4a + w5) | 0;
  g = (g + t) | 0;
  c = (t + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0;
  s = w7;
  t = w4;
  w6 = (w6 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w15 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + 0x5b9cca4f + w6) | 0;
  f = (f + t) | 0;
  b = (t + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0;
  s = w8;
  t = w5;
  w7 = (w7 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w0 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + 0x682e6ff3 + w7) | 0;
  e = (e + t) | 0;
  a = (t + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0;
  s = w9;
  t = w6;
  w8 = (w8 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w1 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + 0x748f82ee + w8) | 0;
  d = (d + t) | 0;
  h = (t + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0;
  s = w10;
  t = w7;
  w9 = (w9 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w2 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + 0x78a5636f + w9) | 0;
  c = (c + t) | 0;
  g = (t + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a)))) | 0;
  s = w11;
  t = w8;
  w10 = (w10 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w3 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + -0x7b3787ec + w10) | 0;
  b = (b + t) | 0;
  f = (t + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h)))) | 0;
  s = w12;
  t = w9;
  w11 = (w11 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w4 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + -0x7338fdf8 + w11) | 0;
  a = (a + t) | 0;
  e = (t + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g)))) | 0;
  s = w13;
  t = w10;
  w12 = (w12 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w5 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + -0x6f410006 + w12) | 0;
  h = (h + t) | 0;
  d = (t + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f)))) | 0;
  s = w14;
  t = w11;
  w13 = (w13 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w6 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (b ^ (h & (a ^ b))) + -0x5baf9315 + w13) | 0;
  g = (g + t) | 0;
  c = (t + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e)))) | 0;
  s = w15;
  t = w12;
  w14 = (w14 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w7 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (h ^ a))) + -0x41065c09 + w14) | 0;
  f = (f + t) | 0;
  b = (t + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d)))) | 0;
  s = w0;
  t = w13;
  w15 = (w15 + (((s >>> 7) | (s << 25)) ^ ((s >>> 18) | (s << 14)) ^ (s >>> 3)) + w8 + (((t >>> 17) | (t << 15)) ^ ((t >>> 19) | (t << 13)) ^ (t >>> 10))) | 0;
  t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (h ^ (f & (g ^ h))) + -0x398e870e + w15) | 0;
  e = (e + t) | 0;
  a = (t + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c)))) | 0;
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
  /** The 64 bytes `key ^ ipad`, which native hashing of long messages starts from. */
  readonly innerBlock: Uint8Array;
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
  const innerBlock = new Uint8Array(64).fill(0x36);
  for (let i = 0; i < key.length; i++) innerBlock[i] ^= key[i];
  return { inner: padState(key, 0x36), outer: padState(key, 0x5c), innerBlock };
}

/** The inner hash's last block(s): W holds the `rest` tail bytes; adds the 0x80 terminator and the bit length (64 key-pad bytes + end). */
function finishInner(rest: number, end: number): void {
  W[rest >> 2] |= 0x80 << (24 - 8 * (rest & 3));
  if (rest >= 56) {
    compress();
    W.fill(0, 0, 16);
  }
  const bits = (64 + end) * 8;
  W[14] = Math.floor(bits / 0x100000000);
  W[15] = bits | 0;
  compress();
}

/** The outer hash over the inner digest in H, into `out`. */
function outerHash(pads: HmacPads, out: Int32Array): void {
  W.set(H);
  W[8] = 0x80000000 | 0;
  W.fill(0, 9, 15);
  W[15] = (64 + 32) * 8;
  H.set(pads.outer);
  compress();
  out.set(H);
}

/**
 * Above this many bytes native hashing is faster despite its per-call cost. Measured with the
 * unrolled compression (~0.3 µs a block): up to 247 bytes (four inner blocks) JS wins, by
 * ~0.1 µs at 247; at five blocks (311 bytes) native is ~0.1 µs faster. Uncompressed sessions
 * sign 120–180 bytes; long compressed ones go native.
 */
const MAX_FAST_LENGTH = 247;

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
  finishInner(rest, end);
  if (seen > 0x7f) return false;
  outerHash(pads, out);
  return true;
}

/**
 * One-shot native SHA-256 (Node ≥ 20.12), else the streaming one. A single call over the
 * whole inner message costs about half of createHmac's, whose key setup repeats per call.
 */
const sha256Native: (data: Uint8Array) => Buffer =
  typeof nodeCrypto.hash === 'function' ? (data) => nodeCrypto.hash('sha256', data, 'buffer') : (data) => nodeCrypto.createHash('sha256').update(data).digest();

/** `innerBlock` followed by the message, for sha256Native; reused while of usual session sizes. */
let joined = Buffer.allocUnsafeSlow(1024);
const MAX_KEPT_JOINED = 1 << 20;

/**
 * The inner hash of a message too long for the JS compression to beat native code: native
 * SHA-256 over `key ^ ipad` and the message (copied after it), its digest left in H.
 */
function nativeInner(pads: HmacPads, bytes: Uint8Array, end: number): void {
  const size = 64 + end;
  if (joined.length < size && size <= MAX_KEPT_JOINED) joined = Buffer.allocUnsafeSlow(Math.max(size, joined.length * 2));
  const target = joined.length < size ? Buffer.allocUnsafeSlow(size) : joined;
  target.set(pads.innerBlock, 0);
  target.set(end === bytes.length ? bytes : bytes.subarray(0, end), 64);
  const d = sha256Native(target.subarray(0, size));
  for (let i = 0; i < 8; i++) H[i] = (d[i * 4] << 24) | (d[i * 4 + 1] << 16) | (d[i * 4 + 2] << 8) | d[i * 4 + 3];
}

/**
 * HMAC-SHA256 of `bytes[0, end)` into `out`, as hmacSha256Ascii does for text, for any length:
 * up to MAX_FAST_LENGTH all in JS (reading a byte array skips the per-char string access);
 * beyond, the inner hash natively and the one-block outer hash here.
 */
export function hmacSha256Bytes(pads: HmacPads, bytes: Uint8Array, end: number, out: Int32Array): void {
  if (end > MAX_FAST_LENGTH) {
    nativeInner(pads, bytes, end);
    outerHash(pads, out);
    return;
  }
  H.set(pads.inner);
  let p = 0;
  const fullEnd = end - (end & 63);
  while (p < fullEnd) {
    for (let i = 0; i < 16; i++, p += 4) W[i] = (bytes[p] << 24) | (bytes[p + 1] << 16) | (bytes[p + 2] << 8) | bytes[p + 3];
    compress();
  }
  // The tail a word at a time, then its last 0–3 bytes, then zeros up to the block's end.
  const rest = end - p;
  const words = rest >> 2;
  for (let i = 0; i < words; i++, p += 4) W[i] = (bytes[p] << 24) | (bytes[p + 1] << 16) | (bytes[p + 2] << 8) | bytes[p + 3];
  let last = 0;
  for (let j = 0; j < (rest & 3); j++) last |= bytes[p + j] << (24 - 8 * j);
  W[words] = last;
  W.fill(0, words + 1, 16);
  finishInner(rest, end);
  outerHash(pads, out);
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64URL_CODES = Uint8Array.from(B64URL, (c) => c.charCodeAt(0));
/** The 43 base64url char codes of the last digest unpacked (32 bytes: ten 3-byte groups and a 2-byte tail). */
const CODES = new Uint8Array(43);

function unpack(words: Int32Array): void {
  let k = 0;
  // Bits carried from one word into the next 24-bit group, as a byte stream would carry them.
  let acc = 0;
  let accBits = 0;
  for (let i = 0; i < 8; i++) {
    const w = words[i];
    for (let shift = 24; shift >= 0; shift -= 8) {
      acc = (acc << 8) | ((w >>> shift) & 0xff);
      accBits += 8;
      if (accBits === 24) {
        CODES[k++] = B64URL_CODES[(acc >>> 18) & 63];
        CODES[k++] = B64URL_CODES[(acc >>> 12) & 63];
        CODES[k++] = B64URL_CODES[(acc >>> 6) & 63];
        CODES[k++] = B64URL_CODES[acc & 63];
        acc = 0;
        accBits = 0;
      }
    }
  }
  // Two bytes left: 16 bits make 3 digits, the last padded with zero bits.
  CODES[k++] = B64URL_CODES[(acc >>> 10) & 63];
  CODES[k++] = B64URL_CODES[(acc >>> 4) & 63];
  CODES[k] = B64URL_CODES[(acc << 2) & 63];
}

/** Unpadded base64url text of a digest (43 chars), as Django's `b64_encode(...).strip('=')`. */
export function digestBase64url(words: Int32Array): string {
  unpack(words);
  return String.fromCharCode.apply(null, CODES as unknown as number[]);
}

/**
 * Whether `text.slice(start, start + 43)` is the base64url text of the digest, compared in
 * time that does not depend on where they differ (Django's constant_time_compare on the text).
 */
export function digestMatchesBase64url(words: Int32Array, text: string, start: number): boolean {
  unpack(words);
  let diff = 0;
  for (let k = 0; k < 43; k++) diff |= CODES[k] ^ text.charCodeAt(start + k);
  return diff === 0;
}

/** digestMatchesBase64url over the bytes of the text. */
export function digestMatchesBase64urlBytes(words: Int32Array, bytes: Uint8Array, start: number): boolean {
  unpack(words);
  let diff = 0;
  for (let k = 0; k < 43; k++) diff |= CODES[k] ^ bytes[start + k];
  return diff === 0;
}
