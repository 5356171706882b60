import { CodecError, decodeSessionData } from '../codec';
import type { DecodeOutcome } from './sessionStore';
import type { StoreDescriptor } from './storeDescriptor';

/** Decodes stored `session_data` with the store's keys and salt; a failure is data, not an exception. */
export function decodeRecord(raw: string, descriptor: StoreDescriptor): DecodeOutcome {
  try {
    const session = decodeSessionData(raw, {
      secretKeys: descriptor.secretKeys.values,
      salt: descriptor.salt,
      serializer: descriptor.serializer === 'pickle' ? 'pickle' : 'json',
    });
    return { ok: true, session };
  } catch (err) {
    if (err instanceof CodecError) {
      return { ok: false, code: err.code, message: err.message };
    }
    throw err;
  }
}
