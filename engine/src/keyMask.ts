/** What stands in for the hidden characters of a masked session key. */
export const KEY_MASK_CHAR = '•';

/**
 * Session keys are bearer credentials, so anything shown or logged carries only enough of a key
 * to tell sessions apart.
 */
export function maskSessionKey(key: string): string {
  return `${key.slice(0, 4)}${KEY_MASK_CHAR.repeat(8)}`;
}
