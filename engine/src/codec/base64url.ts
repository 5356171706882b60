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
