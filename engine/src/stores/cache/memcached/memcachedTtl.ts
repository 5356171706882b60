/** memcached reads an expiration above 30 days as an absolute Unix time (protocol.txt). */
export const MEMCACHED_RELATIVE_TTL_LIMIT = 60 * 60 * 24 * 30;

/**
 * The expiration to send for a timeout in seconds, as Django's memcached backends compute it
 * (`get_backend_timeout`): above 30 days it becomes `now + timeout` as Unix time.
 */
export function memcachedExpiration(timeoutSeconds: number, nowMs = Date.now()): number {
  if (timeoutSeconds > MEMCACHED_RELATIVE_TTL_LIMIT) {
    return Math.floor(nowMs / 1000) + timeoutSeconds;
  }
  return timeoutSeconds;
}
