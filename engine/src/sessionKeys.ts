import { randomBytes } from 'node:crypto';

/** Django's `VALID_KEY_CHARS`: `string.ascii_lowercase + string.digits`. */
const VALID_KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const KEY_LENGTH = 32;
/** The largest multiple of 36 below 256: bytes at or above it are rejected to keep choices uniform. */
const UNBIASED_LIMIT = 252;

/** A new session key as Django makes one: 32 characters of `[a-z0-9]` from a CSPRNG. */
export function generateSessionKey(): string {
  let key = '';
  while (key.length < KEY_LENGTH) {
    for (const b of randomBytes(KEY_LENGTH * 2)) {
      if (b >= UNBIASED_LIMIT) continue;
      key += VALID_KEY_CHARS[b % 36];
      if (key.length === KEY_LENGTH) break;
    }
  }
  return key;
}

/** `SessionBase._validate_session_key`: any characters, at least 8 of them. */
export function isValidSessionKey(key: string | null | undefined): key is string {
  return typeof key === 'string' && key.length >= 8;
}

/**
 * What the file backend also requires before building a path from a key: only `[a-z0-9]`
 * (Django raises InvalidSessionKey otherwise; this guards against directory traversal).
 */
export function isValidFileSessionKey(key: string | null | undefined): key is string {
  return isValidSessionKey(key) && /^[a-z0-9]+$/.test(key);
}
