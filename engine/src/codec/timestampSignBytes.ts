/**
 * TimestampSigner.sign (sha256) over the base64url of a session payload, built as bytes in one
 * reused buffer and turned into a string once. Signing the text form meant a base64 string, two
 * concatenations and a HMAC reading that text char by char (or natively, through a UTF-8 copy,
 * once it was long); here the HMAC reads the bytes just written.
 */
import { b62Encode } from './base62';
import { signerPads } from './saltedHmac';
import { hmacSha256Bytes } from './sha256Hmac';

const B64URL = Uint8Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_', (c) => c.charCodeAt(0));
const COLON = 0x3a;
const DOT = 0x2e;
/** A sha256 signature: 32 bytes in base64url without padding. */
const SIGNATURE_CHARS = 43;

let out = Buffer.allocUnsafeSlow(2048);
/** A buffer grown above this size for one huge session is not kept. */
const MAX_KEPT_BUFFER = 1 << 20;
const digest = new Int32Array(8);
const digestBytes = new Uint8Array(32);

/** Writes `src[0, n)` as unpadded base64url at `out[pos]`; returns the end. */
function b64urlWrite(src: Uint8Array, n: number, pos: number): number {
  const o = out;
  const whole = n - (n % 3);
  let i = 0;
  for (; i < whole; i += 3) {
    const v = (src[i] << 16) | (src[i + 1] << 8) | src[i + 2];
    o[pos] = B64URL[v >>> 18];
    o[pos + 1] = B64URL[(v >>> 12) & 63];
    o[pos + 2] = B64URL[(v >>> 6) & 63];
    o[pos + 3] = B64URL[v & 63];
    pos += 4;
  }
  if (n - whole === 1) {
    const v = src[i];
    o[pos++] = B64URL[v >>> 2];
    o[pos++] = B64URL[(v & 3) << 4];
  } else if (n - whole === 2) {
    const v = (src[i] << 8) | src[i + 1];
    o[pos++] = B64URL[v >>> 10];
    o[pos++] = B64URL[(v >>> 4) & 63];
    o[pos++] = B64URL[(v & 15) << 2];
  }
  return pos;
}

/**
 * `TimestampSigner(secret, salt=salt).sign(value)` at `nowSeconds` with sha256, where value is
 * `b64_encode(payload)`, after a '.' when `compressed`: what Django's `signing.dumps` writes.
 */
export function timestampSignBytes(payload: Uint8Array, compressed: boolean, secret: string, salt: string, nowSeconds: number): string {
  const ts = b62Encode(Math.floor(nowSeconds));
  const size = 1 + Math.ceil((payload.length * 4) / 3) + 2 + ts.length + SIGNATURE_CHARS;
  if (out.length < size || out.length > MAX_KEPT_BUFFER) out = Buffer.allocUnsafeSlow(Math.max(size, 2048));
  let pos = 0;
  if (compressed) out[pos++] = DOT;
  pos = b64urlWrite(payload, payload.length, pos);
  out[pos++] = COLON;
  pos += out.write(ts, pos, 'latin1');
  hmacSha256Bytes(signerPads(salt, secret), out, pos, digest);
  out[pos++] = COLON;
  for (let i = 0; i < 8; i++) {
    const w = digest[i];
    digestBytes[i * 4] = w >>> 24;
    digestBytes[i * 4 + 1] = w >>> 16;
    digestBytes[i * 4 + 2] = w >>> 8;
    digestBytes[i * 4 + 3] = w;
  }
  pos = b64urlWrite(digestBytes, 32, pos);
  return out.toString('latin1', 0, pos);
}
