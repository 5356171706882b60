import { createHash } from 'node:crypto';

/**
 * A stable, order-giving stand-in for a cache key. Cursors carry it instead of the key (keys are
 * credentials), and sorting a scan batch by it makes a resumed page independent of the order the
 * server returns the batch in, which Redis changes while it rehashes.
 */
export function keyFingerprint(key: string): string {
  return createHash('sha1').update(key).digest('hex');
}

/** Whether `value` has the shape `keyFingerprint` returns. */
export function isKeyFingerprint(value: string): boolean {
  return /^[0-9a-f]{40}$/.test(value);
}
