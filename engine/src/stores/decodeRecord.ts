import { CodecError, decodeSessionData, type DecodeOptions, type SessionDeserializer } from '../codec';
import type { DecodeOutcome } from './sessionStore';
import type { StoreDescriptor } from './storeDescriptor';

/**
 * The codec options for a store's keys, salt, serializer and the signatures its Django accepts;
 * build once per store to decode many rows.
 */
export function decodeOptionsOf(descriptor: StoreDescriptor): DecodeOptions {
  return {
    secretKeys: descriptor.secretKeys.values,
    salt: descriptor.salt,
    serializer: deserializerOf(descriptor.serializer),
    ...signatureRulesOf(descriptor),
  };
}

/** How the codec reads a store's data: as its serializer writes it, or as it looks where the settings do not tell. */
export function deserializerOf(serializer: StoreDescriptor['serializer']): SessionDeserializer {
  return serializer === 'pickle' ? 'pickle' : serializer === 'unknown' ? 'detect' : 'json';
}

/** The project's Django version and DEFAULT_HASHING_ALGORITHM, as the codec's signature rules take them. */
export function signatureRulesOf(descriptor: Pick<StoreDescriptor, 'djangoVersion' | 'hashingAlgorithm'>): Pick<DecodeOptions, 'djangoVersion' | 'hashingAlgorithm'> {
  return {
    ...(descriptor.djangoVersion ? { djangoVersion: descriptor.djangoVersion } : {}),
    ...(descriptor.hashingAlgorithm ? { hashingAlgorithm: descriptor.hashingAlgorithm } : {}),
  };
}

/** Decodes stored `session_data` with the store's keys and salt; a failure is data, not an exception. */
export function decodeRecord(raw: string, descriptor: StoreDescriptor): DecodeOutcome {
  return decodeWith(raw, decodeOptionsOf(descriptor));
}

/** `decodeRecord` with options from `decodeOptionsOf`. */
export function decodeWith(raw: string, options: DecodeOptions): DecodeOutcome {
  try {
    return { ok: true, session: decodeSessionData(raw, options) };
  } catch (err) {
    if (err instanceof CodecError) {
      return { ok: false, code: err.code, message: err.message, ...(err.afterValidSignature ? { afterValidSignature: true as const } : {}) };
    }
    throw err;
  }
}
