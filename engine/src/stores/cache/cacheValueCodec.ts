import { gunzipSync, gzipSync, inflateSync, deflateSync } from 'node:zlib';
import { CodecError, PyDict, pickleDumps, pickleLoads, pythonJsonParse } from '../../codec';
import type { DecodeOutcome } from '../sessionStore';
import { oversizedData } from '../storedDataLimit';
import type { CacheCompressor, CacheSettings } from './cacheSettings';

/** pymemcache serde flags (`pymemcache/serde.py`), which python-memcached shares. */
export const MEMCACHED_FLAGS = { bytes: 0, pickle: 1, int: 2, long: 4, compressed: 8, text: 16 } as const;

/** Inflation cap: nothing signs cache values, so this is the only guard against a zip bomb. */
const INFLATE_LIMIT = 16 * 1024 * 1024;
/** django-redis compresses only values longer than this (`min_length` of its compressors). */
const COMPRESS_MIN_LENGTH = 15;

/** A value as the cache holds it, with memcached's flags when the server keeps them. */
export interface CacheValue {
  bytes: Uint8Array;
  flags?: number;
  /** Set, with no bytes, for a value above MAX_STORED_DATA_BYTES: its size, left unread. */
  unreadBytes?: number;
}

function fail(code: string, message: string): DecodeOutcome {
  return { ok: false, code, message };
}

function describeMemcachedFlags(value: CacheValue): DecodeOutcome | undefined {
  switch (value.flags) {
    case undefined:
    case MEMCACHED_FLAGS.pickle:
      return undefined;
    case MEMCACHED_FLAGS.int:
    case MEMCACHED_FLAGS.long:
      return fail('not-a-dict', 'The cache holds an integer here (memcached flags 2/4), not a session dict');
    case MEMCACHED_FLAGS.text:
      return fail('not-a-dict', 'The cache holds a str here (memcached flags 16), not a session dict');
    case MEMCACHED_FLAGS.bytes:
      return fail('not-a-dict', 'The cache holds raw bytes here (memcached flags 0), not a pickled session dict');
    default:
      return fail('bad-format', `Unknown memcached flags ${value.flags}: written by a client other than pymemcache (pylibmc?), so it is not read as a session`);
  }
}

/** Undoes django-redis's optional compression, which its `decode` also detects by trying. */
function decompress(bytes: Uint8Array): { bytes: Uint8Array; compressor?: CacheCompressor } {
  const looksZlib = bytes.length > 2 && bytes[0] === 0x78 && ((bytes[0] << 8) | bytes[1]) % 31 === 0;
  const looksGzip = bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (!looksZlib && !looksGzip) {
    return { bytes };
  }
  try {
    const inflated = looksGzip ? gunzipSync(bytes, { maxOutputLength: INFLATE_LIMIT }) : inflateSync(bytes, { maxOutputLength: INFLATE_LIMIT });
    return { bytes: inflated, compressor: looksGzip ? 'gzip' : 'zlib' };
  } catch {
    // django-redis falls back to the raw bytes when decompression fails; so do we.
    return { bytes };
  }
}

/** How a stored value was written, as far as its bytes tell: the pickle protocol and compression. */
export interface CacheValueFormat {
  /** The protocol byte after the pickle's PROTO opcode (0x80); undefined when the value is not such a pickle. */
  pickleProtocol?: number;
  /** Undefined for an uncompressed value. */
  compressor?: CacheCompressor;
  /** Whether the value says anything about compression: django-redis leaves short pickles uncompressed whatever its COMPRESSOR. */
  tellsCompression: boolean;
}

/** The format a stored value was written in, so an edit can write the same one its readers already read. */
export function cacheValueFormatOf(value: CacheValue): CacheValueFormat {
  const { bytes, compressor } = value.flags === undefined ? decompress(value.bytes) : { bytes: value.bytes, compressor: undefined };
  const pickleProtocol = bytes.length > 1 && bytes[0] === 0x80 ? bytes[1] : undefined;
  return { pickleProtocol, compressor, tellsCompression: compressor !== undefined || bytes.length > COMPRESS_MIN_LENGTH };
}

/**
 * Reads a cache session value as Django's cache layer would: a pickled dict, after django-redis's
 * optional zlib/gzip compression, or, with `jsonValues`, the JSON object django-redis's
 * JSONSerializer writes (read, never written: its DjangoJSONEncoder turns dates into text). Raw integers and other formats
 * (msgpack, lzma/lz4/zstd compression) are reported as undecodable with the reason: 'foreign-format'
 * for those Django, configured for them, reads. Never throws.
 */
export function decodeCacheValue(value: CacheValue, jsonValues = false): DecodeOutcome {
  if (value.unreadBytes !== undefined) {
    return oversizedData(value.unreadBytes);
  }
  const flagProblem = describeMemcachedFlags(value);
  if (flagProblem) {
    return flagProblem;
  }
  let bytes = value.bytes;
  if (value.flags === undefined && bytes.length < 24 && /^-?\d+$/.test(Buffer.from(bytes).toString('latin1'))) {
    return fail('not-a-dict', 'The cache holds a raw integer here (Redis caches store ints unpickled), not a session dict');
  }
  let compressor: CacheCompressor | undefined;
  if (value.flags === undefined) {
    ({ bytes, compressor } = decompress(bytes));
  }
  if (jsonValues && bytes[0] === OPEN_BRACE) {
    return jsonSession(bytes, compressor);
  }
  if (bytes.length === 0 || bytes[0] !== 0x80) {
    if (bytes[0] === 0xfd || bytes[0] === 0x28 || bytes[0] === 0x04) {
      const how = bytes[0] === 0xfd ? 'lzma-compressed' : 'lz4- or zstd-compressed';
      return fail('foreign-format', `The value is ${how}, which is not read here (zlib and gzip are): set the cache's COMPRESSOR to one of those to read and change its sessions here`);
    }
    return fail('bad-pickle', 'Not a pickle (a JSON or msgpack SERIALIZER, or a value another program wrote)');
  }
  try {
    const data = pickleLoads(bytes);
    if (!(data instanceof PyDict)) {
      return fail('not-a-dict', 'The pickled value is not a dict, so it is not a session');
    }
    return { ok: true, session: { data, signature: 'unsigned', format: 'signed', compressed: compressor !== undefined } };
  } catch (err) {
    if (err instanceof CodecError) {
      return fail(err.code, err.message);
    }
    throw err;
  }
}

const OPEN_BRACE = 0x7b;

/** A session as django-redis's JSONSerializer stores it: the dict as a JSON object. */
function jsonSession(bytes: Uint8Array, compressor: CacheCompressor | undefined): DecodeOutcome {
  try {
    const data = pythonJsonParse(Buffer.from(bytes).toString('utf8'));
    if (!(data instanceof PyDict)) {
      return fail('not-a-dict', 'The JSON value is not an object, so it is not a session');
    }
    return { ok: true, session: { data, signature: 'unsigned', format: 'signed', compressed: compressor !== undefined } };
  } catch (err) {
    return fail('bad-json', `Not a pickle, nor the JSON django-redis's JSONSerializer writes: ${(err as Error).message}`);
  }
}

/**
 * Pickles a session dict in the given protocol, as the configured cache client writes it
 * (pymemcache's flag, compressed when django-redis would), so Django's unpickler reads it.
 */
export function encodeCacheValue(data: PyDict, settings: Pick<CacheSettings, 'client' | 'compressor' | 'pickleProtocol'>): CacheValue {
  const pickled = pickleDumps(data, settings.pickleProtocol);
  if (settings.client === 'pymemcache') {
    return { bytes: pickled, flags: MEMCACHED_FLAGS.pickle };
  }
  if (settings.compressor && pickled.length > COMPRESS_MIN_LENGTH) {
    return { bytes: settings.compressor === 'gzip' ? gzipSync(pickled) : deflateSync(pickled, { level: 6 }) };
  }
  return { bytes: pickled };
}

/** A cache value as `SessionRecord.raw`: one latin-1 character per byte, so it compares exactly and round-trips. */
export function rawOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** The bytes a `rawOf` string stands for. */
export function bytesOfRaw(raw: string): Buffer {
  return Buffer.from(raw, 'latin1');
}
