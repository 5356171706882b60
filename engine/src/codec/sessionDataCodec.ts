import { asciiBytes } from './asciiBytes';
import { b64StdDecode, b64urlDecode, b64urlDecodeAscii, b64urlEncode } from './base64url';
import { CodecError } from './codecError';
import { pickleDumps } from './pickleWriter';
import { pickleLoads } from './pickleReader';
import { PyDict } from './pyDict';
import { pythonJsonParseLatin1 } from './pythonJsonParse';
import { pythonJsonBytes } from './pythonJsonStringify';
import type { PyValue } from './pyValue';
import { saltedHmac, type HashAlgorithm } from './saltedHmac';
import { signatureRejection, type SignatureRejection } from './signatureRules';
import { timestampSign, timestampUnsign } from './timestampSigner';
import { timestampSignBytes } from './timestampSignBytes';
import { pyZlibCompress, pyZlibDecompress } from './zlibCodec';

/** The salt of every built-in session store class (`django.contrib.sessions.` + qualname). */
export const DEFAULT_SESSION_SALT = 'django.contrib.sessions.SessionStore';
/** The fixed salt of the `signed_cookies` engine's cookie value. */
export const SIGNED_COOKIES_SALT = 'django.contrib.sessions.backends.signed_cookies';

/** Inflation cap for data whose signature did not verify: nothing else stops a zip bomb. */
const UNVERIFIED_INFLATE_LIMIT = 16 * 1024 * 1024;
/** Inflation cap for verified data, below V8's maximum string length. */
const VERIFIED_INFLATE_LIMIT = 256 * 1024 * 1024;

/** A sha1 signature: 20 bytes in base64url without padding. */
const SHA1_SIGNATURE_LENGTH = 27;

/** zlib adds 6 bytes of framing and a deflate block is at least 2, so shorter data never gets under len - 1. */
const MIN_COMPRESSIBLE = 10;

export type SessionSerializer = 'json' | 'pickle';
/** How to read data: a serializer, or `detect` it from the data itself where the settings do not tell (see deserialize). */
export type SessionDeserializer = SessionSerializer | 'detect';

export interface DecodeOptions {
  /** [SECRET_KEY, ...SECRET_KEY_FALLBACKS]; empty means the signature is not verified. */
  secretKeys: readonly string[];
  /** Signing salt; default 'django.contrib.sessions.SessionStore'. */
  salt?: string;
  /** Default 'json'. */
  serializer?: SessionDeserializer;
  /** When true a bad signature throws CodecError('bad-signature') instead of returning signature 'invalid'. */
  requireValidSignature?: boolean;
  /**
   * The Django that reads the data, e.g. '3.2' or '5.2'. With it, what that version would
   * refuse although a key matches (legacy format or sha1 from 4.0, a fallback key before 4.1)
   * is signature 'invalid' with a `rejection`. Without it every form and key is accepted.
   */
  djangoVersion?: string;
  /** `DEFAULT_HASHING_ALGORITHM` of Django 3.1/3.2: with 'sha1' they refuse sha256 signatures. */
  hashingAlgorithm?: HashAlgorithm;
  /** signed_cookies only: throw CodecError('expired') when the signature is good and its timestamp older. */
  maxAgeSeconds?: number;
  /** The clock for maxAgeSeconds; default Date.now(). */
  nowSeconds?: number;
}

export interface DecodedSession {
  data: PyDict;
  /** `unsigned` for data no signature covers: the cache engine keeps the session's dict itself. */
  signature: 'valid' | 'invalid' | 'unverified' | 'unsigned';
  /** Which secret verified it: 0 = SECRET_KEY, 1.. = fallbacks (also when `rejection` says Django refuses it). */
  keyIndex?: number;
  /** The matching signature's algorithm; with a `rejection`, the algorithm of the signature the data carries. */
  algorithm?: HashAlgorithm;
  /** Set (with signature 'invalid') when the configured `djangoVersion` or `hashingAlgorithm` refuses this data. */
  rejection?: SignatureRejection;
  format: 'signed' | 'legacy';
  compressed: boolean;
  /** The TimestampSigner time (signed format only). */
  signedAt?: Date;
}

export interface EncodeOptions {
  /** [SECRET_KEY, ...fallbacks]; Django signs with the first, and so do we. */
  secretKeys: readonly string[];
  /** Default 'django.contrib.sessions.SessionStore'. */
  salt?: string;
  /** Default 'json'. */
  serializer?: SessionSerializer;
  /** Default 'sha256'; 'sha1' is what Django 3.1/3.2 write with DEFAULT_HASHING_ALGORITHM='sha1' (signed_cookies). */
  algorithm?: HashAlgorithm;
  /** 'legacy' writes the pre-3.1 format, as 3.1/3.2 sessions do with DEFAULT_HASHING_ALGORITHM='sha1'. Default 'signed'. */
  format?: 'signed' | 'legacy';
  /** Sessions always pass compress=True; Django then keeps zlib only when it is shorter. Default true. */
  compress?: boolean;
  /** The TimestampSigner clock; default Date.now(). */
  nowSeconds?: number;
  /** Pickle protocol for serializer 'pickle'; default 5 (HIGHEST_PROTOCOL on Python ≥ 3.8). */
  pickleProtocol?: number;
}

/** A Buffer view of the bytes; most already are one, and asking a typed array for its `.buffer` can make V8 copy it off-heap. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Which serializer wrote the bytes, where the settings do not tell: JSON text starts with `{` (or
 * whitespace), which no pickle does (protocol 2+ starts with PROTO, 0 and 1 with `(` or `}`).
 */
function detectedSerializer(bytes: Uint8Array): SessionSerializer {
  const first = bytes[0];
  return first === 0x7b || first === 0x20 || first === 0x09 || first === 0x0a || first === 0x0d ? 'json' : 'pickle';
}

function deserialize(bytes: Uint8Array, deserializer: SessionDeserializer): PyDict {
  const serializer = deserializer === 'detect' ? detectedSerializer(bytes) : deserializer;
  // Pickled bytes values are views of the input, which may be a reused buffer: give it a copy.
  const value: PyValue =
    serializer === 'pickle' ? pickleLoads(bytes.slice()) : pythonJsonParseLatin1(bytes, asBuffer(bytes).toString('latin1'));
  if (!(value instanceof PyDict)) throw new CodecError('not-a-dict', 'Session data is not a dict');
  return value;
}

function serialize(data: PyDict, opts: EncodeOptions): Uint8Array {
  if (opts.serializer === 'pickle') return pickleDumps(data, opts.pickleProtocol ?? 5);
  return pythonJsonBytes(data);
}

/** `SessionStore.__name__` from a `django.contrib.sessions.<qualname>` salt, for the legacy hash. */
function legacyKeySalt(salt: string): string {
  const qualname = salt.startsWith('django.contrib.sessions.') ? salt.slice('django.contrib.sessions.'.length) : salt;
  return `django.contrib.sessions${qualname.slice(qualname.lastIndexOf('.') + 1)}`;
}

function decodeLegacy(encoded: string, opts: DecodeOptions): DecodedSession {
  const raw = b64StdDecode(encoded);
  const colon = raw.indexOf(0x3a);
  if (colon < 0) throw new CodecError('bad-format', 'Not Django session data: no signature separator');
  const hash = Buffer.from(raw.subarray(0, colon)).toString('latin1');
  const serialized = raw.subarray(colon + 1);
  let signature: DecodedSession['signature'] = 'unverified';
  let keyIndex: number | undefined;
  if (opts.secretKeys.length > 0) {
    signature = 'invalid';
    const keySalt = legacyKeySalt(opts.salt ?? DEFAULT_SESSION_SALT);
    for (let i = 0; i < opts.secretKeys.length; i++) {
      if (saltedHmac(keySalt, serialized, opts.secretKeys[i], 'sha1').toString('hex') === hash) {
        signature = 'valid';
        keyIndex = i;
        break;
      }
    }
  }
  // A wrong key stays a bad signature: the version's rules only explain data a key verifies (or none was given).
  const rejection = hasRules(opts) && signature !== 'invalid' ? signatureRejection(opts, { format: 'legacy', algorithm: 'sha1', keyIndex }) : undefined;
  if (signature === 'invalid' && opts.requireValidSignature) {
    throw new CodecError('bad-signature', 'Session data corrupted: the legacy hash does not match any secret key');
  }
  if (rejection) {
    if (opts.requireValidSignature) throw new CodecError('bad-signature', `Session data refused: ${rejection.message}`);
    signature = 'invalid';
  }
  const data = deserialize(serialized, opts.serializer ?? 'json');
  return { data, signature, keyIndex, algorithm: signature === 'valid' || rejection ? 'sha1' : undefined, format: 'legacy', compressed: false, rejection };
}

/** Whether a version or hashing setting asks for Django's per-version rules. */
function hasRules(opts: DecodeOptions): boolean {
  return opts.djangoVersion !== undefined || opts.hashingAlgorithm !== undefined;
}

/** The sha1 or sha256 that a `value:ts:signature` string's signature length shows. */
function signatureAlgorithm(encoded: string): HashAlgorithm {
  return encoded.length - encoded.lastIndexOf(':') - 1 === SHA1_SIGNATURE_LENGTH ? 'sha1' : 'sha256';
}

/**
 * Decodes a `session_data` value (or a signed_cookies cookie value) as Django would, in the
 * signed 3.1+ format or the legacy pre-3.1 one. An unverifiable or wrong signature still
 * yields the data, marked, so it can be shown; only CodecError is ever thrown.
 */
export function decodeSessionData(encoded: string, opts: DecodeOptions): DecodedSession {
  try {
    return decodeUnguarded(encoded, opts);
  } catch (err) {
    if (err instanceof CodecError) throw err;
    throw new CodecError('bad-format', `Undecodable session data: ${(err as Error).message}`);
  }
}

function decodeUnguarded(encoded: string, opts: DecodeOptions): DecodedSession {
  if (typeof encoded !== 'string') throw new CodecError('bad-format', 'Session data must be a string');
  // Searched from the end, where the signature's separator is, rather than across the payload.
  if (encoded.lastIndexOf(':') < 0) return decodeLegacy(encoded, opts);
  const salt = opts.salt ?? DEFAULT_SESSION_SALT;
  const ascii = asciiBytes(encoded);
  const unsigned = timestampUnsign(encoded, opts.secretKeys, salt, ascii);
  if (unsigned.signature === 'invalid' && opts.requireValidSignature) {
    throw new CodecError('bad-signature', 'Session data corrupted: the signature does not match any secret key (wrong SECRET_KEY or salt?)');
  }
  let signature = unsigned.signature;
  let algorithm = unsigned.algorithm;
  let rejection: SignatureRejection | undefined;
  if (hasRules(opts) && signature !== 'invalid') {
    algorithm ??= signatureAlgorithm(encoded);
    rejection = signatureRejection(opts, { format: 'signed', algorithm, keyIndex: unsigned.keyIndex });
    if (rejection) {
      if (opts.requireValidSignature) throw new CodecError('bad-signature', `Session data refused: ${rejection.message}`);
      signature = 'invalid';
    } else if (signature !== 'valid') {
      algorithm = undefined;
    }
  }
  // Django checks the signature before the age: a wrong key is a bad signature, never "expired".
  if (opts.maxAgeSeconds !== undefined && signature !== 'invalid') {
    const now = opts.nowSeconds ?? Date.now() / 1000;
    const age = now - unsigned.timestamp;
    if (age > opts.maxAgeSeconds) {
      throw new CodecError('expired', `Signature age ${Math.floor(age)} > ${opts.maxAgeSeconds} seconds`);
    }
  }
  const payload = unsigned.value;
  const compressed = payload.charCodeAt(0) === 0x2e;
  let data: PyDict;
  try {
    let bytes: Uint8Array = ascii ? b64urlDecodeAscii(ascii, compressed ? 1 : 0, payload.length) : b64urlDecode(compressed ? payload.slice(1) : payload);
    if (compressed) {
      bytes = pyZlibDecompress(bytes, unsigned.signature === 'valid' ? VERIFIED_INFLATE_LIMIT : UNVERIFIED_INFLATE_LIMIT);
    }
    data = deserialize(bytes, opts.serializer ?? 'json');
  } catch (err) {
    // Django's signing.loads fails here only after the signature held (see CodecError.afterValidSignature).
    if (err instanceof CodecError && signature === 'valid') throw new CodecError(err.code, err.message, true);
    throw err;
  }
  return {
    data,
    signature,
    keyIndex: unsigned.keyIndex,
    algorithm,
    format: 'signed',
    compressed,
    signedAt: new Date(unsigned.timestamp * 1000),
    rejection,
  };
}

/**
 * `SessionStore().encode(data)`: byte-identical to Django for the same clock and key
 * (JSON exactly as Python writes it, zlib only when shorter, as classic zlib writes it).
 */
export function encodeSessionData(data: PyDict, opts: EncodeOptions): string {
  const secret = opts.secretKeys[0];
  if (secret === undefined) throw new CodecError('missing-secret', 'Encoding needs a SECRET_KEY');
  const salt = opts.salt ?? DEFAULT_SESSION_SALT;
  const serialized = serialize(data, opts);
  if (opts.format === 'legacy') {
    const hash = saltedHmac(legacyKeySalt(salt), serialized, secret, 'sha1').toString('hex');
    return Buffer.concat([Buffer.from(`${hash}:`, 'latin1'), serialized]).toString('base64');
  }
  const zipped = opts.compress !== false && serialized.length >= MIN_COMPRESSIBLE ? pyZlibCompress(serialized, serialized.length - 1) : undefined;
  const now = opts.nowSeconds ?? Date.now() / 1000;
  const algorithm = opts.algorithm ?? 'sha256';
  if (algorithm === 'sha256') return timestampSignBytes(zipped ?? serialized, zipped !== undefined, secret, salt, now);
  const payload = zipped ? `.${b64urlEncode(zipped)}` : b64urlEncode(serialized);
  return timestampSign(payload, secret, salt, algorithm, now);
}
