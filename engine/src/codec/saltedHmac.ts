import { createHash, createHmac } from 'node:crypto';
import { digestBase64url, hmacSha256Ascii, hmacSha256Pads, type HmacPads } from './sha256Hmac';

export type HashAlgorithm = 'sha256' | 'sha1';

const derivedKeys = new Map<string, Buffer>();
let last: { keySalt: string; secret: string; algorithm: string; key: Buffer } = { keySalt: '', secret: '', algorithm: '', key: Buffer.alloc(0) };

/** `H(key_salt + secret).digest()`, cached: Django recomputes it per call, we need not. */
function derivedKey(keySalt: string, secret: string, algorithm: HashAlgorithm): Buffer {
  if (last.keySalt === keySalt && last.secret === secret && last.algorithm === algorithm) return last.key;
  const id = `${algorithm}\u0000${keySalt}\u0000${secret}`;
  let key = derivedKeys.get(id);
  if (!key) {
    key = createHash(algorithm).update(keySalt, 'utf8').update(secret, 'utf8').digest();
    if (derivedKeys.size > 256) derivedKeys.clear();
    derivedKeys.set(id, key);
  }
  last = { keySalt, secret, algorithm, key };
  return key;
}

/** Django's `salted_hmac(key_salt, value, secret, algorithm)`: HMAC keyed by the derived key. */
export function saltedHmac(keySalt: string, value: string | Uint8Array, secret: string, algorithm: HashAlgorithm): Buffer {
  const mac = createHmac(algorithm, derivedKey(keySalt, secret, algorithm));
  return (typeof value === 'string' ? mac.update(value, 'utf8') : mac.update(value)).digest();
}

const padsByKey = new WeakMap<Buffer, HmacPads>();
/** The last pads asked for: callers pass the same salt and secret strings call after call, so this is usually an identity check. */
let lastPads = { salt: '', secret: '', pads: hmacSha256Pads(new Uint8Array(0)) };

/** The HMAC-SHA256 pad states of `Signer(secret, salt)`'s key, cached with the derived key. */
export function signerPads(salt: string, secret: string): HmacPads {
  if (lastPads.salt === salt && lastPads.secret === secret) return lastPads.pads;
  const key = derivedKey(`${salt}signer`, secret, 'sha256');
  let pads = padsByKey.get(key);
  if (!pads) {
    pads = hmacSha256Pads(key);
    padsByKey.set(key, pads);
  }
  lastPads = { salt, secret, pads };
  return pads;
}

const digest = new Int32Array(8);

/** `Signer.signature(value)`: base64url (no padding) of `salted_hmac(salt + "signer", value)`. */
export function signerSignature(salt: string, value: string, secret: string, algorithm: HashAlgorithm): string {
  if (algorithm === 'sha256' && hmacSha256Ascii(signerPads(salt, secret), value, value.length, digest)) return digestBase64url(digest);
  return createHmac(algorithm, derivedKey(`${salt}signer`, secret, algorithm)).update(value, 'utf8').digest('base64url');
}
