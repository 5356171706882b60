import { createHash } from 'node:crypto';

/**
 * A stable stand-in for a cache key: memcached's listing is ordered and resumed by it, and list
 * cursors carry a short form of it (see cacheCursor), never the key: keys are credentials.
 */
export function keyFingerprint(key: string): string {
  return keyDigest(key).toString('hex');
}

/** The bytes `keyFingerprint` spells in hex. */
export function keyDigest(key: string): Buffer {
  return createHash('sha1').update(key).digest();
}

/** Whether `value` has the shape `keyFingerprint` returns. */
export function isKeyFingerprint(value: string): boolean {
  return /^[0-9a-f]{40}$/.test(value);
}
