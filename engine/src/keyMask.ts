/**
 * Session keys are bearer credentials, so anything shown or logged carries only enough of a key
 * to tell sessions apart.
 */
export function maskSessionKey(key: string): string {
  return `${key.slice(0, 4)}${'•'.repeat(8)}`;
}
