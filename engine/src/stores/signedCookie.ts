import { CodecError, decodeSessionData, encodeSessionData, SIGNED_COOKIES_SALT, type PyDict } from '../codec';
import { deserializerOf, signatureRulesOf } from './decodeRecord';
import type { DecodeOutcome } from './sessionStore';
import type { StoreDescriptor } from './storeDescriptor';

/** Why data is not written where the serializer is not known. */
export const UNKNOWN_SERIALIZER = "SESSION_SERIALIZER cannot be read statically, so the data would be written in a format Django may not read; name the settings that tell it, or change such sessions from Django";

/** What the signed_cookies engine needs: the keys, the serializer, `SESSION_COOKIE_AGE` and the signatures its Django accepts. */
export type SignedCookieContext = Pick<StoreDescriptor, 'secretKeys' | 'serializer' | 'cookieAgeSeconds' | 'djangoVersion' | 'hashingAlgorithm'>;

/**
 * Reads a `sessionid` cookie of the signed_cookies engine as Django's `load()` does: its own
 * salt, a signature that must verify, and a signing time no older than `SESSION_COOKIE_AGE`
 * (Django ignores `_session_expiry` here). Where Django silently starts an empty session, this
 * says why: `bad-signature`, `expired`, or a format error.
 */
export function decodeSignedCookie(value: string, context: SignedCookieContext, nowSeconds = Date.now() / 1000): DecodeOutcome {
  try {
    const session = decodeSessionData(value, {
      secretKeys: context.secretKeys.values,
      salt: SIGNED_COOKIES_SALT,
      serializer: deserializerOf(context.serializer),
      requireValidSignature: context.secretKeys.values.length > 0,
      maxAgeSeconds: context.cookieAgeSeconds,
      nowSeconds,
      ...signatureRulesOf(context),
    });
    return { ok: true, session };
  } catch (err) {
    if (err instanceof CodecError) {
      return { ok: false, code: err.code, message: err.message };
    }
    throw err;
  }
}

/** The cookie value Django's signed_cookies `save()` would set for this data, signed now with SECRET_KEY. */
export function signSessionCookie(data: PyDict, context: SignedCookieContext, nowSeconds = Date.now() / 1000): string {
  if (context.serializer === 'unknown') {
    throw new CodecError('bad-format', UNKNOWN_SERIALIZER);
  }
  return encodeSessionData(data, {
    secretKeys: context.secretKeys.values,
    salt: SIGNED_COOKIES_SALT,
    serializer: context.serializer === 'pickle' ? 'pickle' : 'json',
    nowSeconds,
    // 3.1/3.2's Signer signs with DEFAULT_HASHING_ALGORITHM.
    ...(context.hashingAlgorithm ? { algorithm: context.hashingAlgorithm } : {}),
  });
}
