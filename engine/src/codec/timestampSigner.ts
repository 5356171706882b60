import { b62DecodeRange, b62Encode } from './base62';
import { CodecError } from './codecError';
import { signerPads, signerSignature, type HashAlgorithm } from './saltedHmac';
import { digestMatchesBase64url, digestMatchesBase64urlBytes, hmacSha256Ascii, hmacSha256Bytes } from './sha256Hmac';

/** How an `unsign` attempt went; `value` is the signed text without timestamp and signature. */
export interface UnsignResult {
  value: string;
  timestamp: number;
  signature: 'valid' | 'invalid' | 'unverified';
  keyIndex?: number;
  algorithm?: HashAlgorithm;
}

const SEP = ':';
const SIGNATURE_LENGTH = { sha256: 43, sha1: 27 } as const;
const digest = new Int32Array(8);

/** `TimestampSigner(key, salt=salt, algorithm=algorithm).sign(value)` at `nowSeconds`. */
export function timestampSign(value: string, secret: string, salt: string, algorithm: HashAlgorithm, nowSeconds: number): string {
  const withTs = `${value}${SEP}${b62Encode(Math.floor(nowSeconds))}`;
  return `${withTs}${SEP}${signerSignature(salt, withTs, secret, algorithm)}`;
}

/** Django's constant_time_compare, over the base64 text: the time does not depend on where they differ. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Splits and verifies `value:ts:sig` against each secret in order, trying sha256 and then the
 * sha1 that Django 3.1/3.2 also accept. An empty `secrets` list leaves it unverified. `ascii`,
 * when given, holds the bytes of `signed` (see asciiBytes), for the faster byte-wise check.
 */
export function timestampUnsign(signed: string, secrets: readonly string[], salt: string, ascii?: Uint8Array): UnsignResult {
  const sigAt = signed.lastIndexOf(SEP);
  if (sigAt < 0) throw new CodecError('bad-format', 'No ":" found in value');
  const tsAt = sigAt > 0 ? signed.lastIndexOf(SEP, sigAt - 1) : -1;
  if (tsAt < 0) throw new CodecError('bad-format', 'No timestamp found before the signature');
  const value = signed.slice(0, tsAt);
  const timestamp = b62DecodeRange(signed, tsAt + 1, sigAt);
  if (secrets.length === 0) return { value, timestamp, signature: 'unverified' };
  const sigLength = signed.length - sigAt - 1;
  let nativeFrom = 0;
  if (sigLength === SIGNATURE_LENGTH.sha256) {
    // The common case without Node's HMAC: over the text's bytes (or short text's char codes), compared as text.
    for (; nativeFrom < secrets.length; nativeFrom++) {
      const pads = signerPads(salt, secrets[nativeFrom]);
      if (ascii) hmacSha256Bytes(pads, ascii, sigAt, digest);
      else if (!hmacSha256Ascii(pads, signed, sigAt, digest)) break;
      if (ascii ? digestMatchesBase64urlBytes(digest, ascii, sigAt + 1) : digestMatchesBase64url(digest, signed, sigAt + 1)) {
        return { value, timestamp, signature: 'valid', keyIndex: nativeFrom, algorithm: 'sha256' };
      }
    }
  }
  const withTs = signed.slice(0, sigAt);
  const sig = signed.slice(sigAt + 1);
  for (const algorithm of ['sha256', 'sha1'] as const) {
    if (sig.length !== SIGNATURE_LENGTH[algorithm]) continue;
    for (let i = algorithm === 'sha256' ? nativeFrom : 0; i < secrets.length; i++) {
      if (sameText(sig, signerSignature(salt, withTs, secrets[i], algorithm))) {
        return { value, timestamp, signature: 'valid', keyIndex: i, algorithm };
      }
    }
  }
  return { value, timestamp, signature: 'invalid' };
}
