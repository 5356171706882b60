import { CodecError, encodeSessionData, type PyDict } from '../codec';
import type { EncodedSession } from './baseSessionStore';
import { decodeRecord } from './decodeRecord';
import { UNKNOWN_SERIALIZER } from './signedCookie';
import { missingSecretKey, type StoreDescriptor } from './storeDescriptor';
import { StoreError } from './storeError';

/**
 * `session_data` as Django writes it for the db and file engines: signed with the store's
 * SECRET_KEY and salt, in the pre-3.1 format where 3.1/3.2's DEFAULT_HASHING_ALGORITHM is sha1
 * (their `SessionBase.encode` then calls `_legacy_encode`).
 */
export function encodeSignedSession(data: PyDict, descriptor: StoreDescriptor, now: Date): EncodedSession<string> {
  if (descriptor.serializer === 'custom') {
    throw new StoreError('unsupported', 'This project uses a custom SESSION_SERIALIZER, which only Django can write; change such sessions from Django.');
  }
  if (descriptor.serializer === 'unknown') {
    throw new StoreError('unsupported', `${UNKNOWN_SERIALIZER}.`);
  }
  if (descriptor.secretKeys.values.length === 0) {
    throw new StoreError('missing-secret', `Writing a session needs the SECRET_KEY: ${missingSecretKey(descriptor.secretKeys, 'not found in settings')}.`);
  }
  let raw: string;
  try {
    raw = encodeSessionData(data, {
      secretKeys: descriptor.secretKeys.values,
      salt: descriptor.salt,
      serializer: descriptor.serializer,
      nowSeconds: now.getTime() / 1000,
      ...(descriptor.hashingAlgorithm === 'sha1' ? { format: 'legacy' as const } : {}),
    });
  } catch (err) {
    if (err instanceof CodecError) {
      throw new StoreError('undecodable', `The new session data cannot be encoded: ${err.message}.`);
    }
    throw err;
  }
  return { value: raw, raw, decoded: decodeRecord(raw, descriptor) };
}
