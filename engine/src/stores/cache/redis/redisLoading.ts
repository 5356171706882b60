import { StoreError } from '../../storeError';

/** Redis's reply to most commands while it loads its data after a start. */
const LOADING = /^LOADING\b/;

/**
 * Whether a command met a server still loading its data. ioredis's ready check would wait that
 * out, but it is off (see redisOptionsFor), so the command fails and the user is told to wait.
 */
export function isRedisLoading(err: unknown): boolean {
  return err instanceof Error && LOADING.test(err.message);
}

/** A server still loading its data, as one line saying so and when to try again. */
export function redisLoadingError(where: string, err: unknown): StoreError {
  const reason = (err instanceof Error ? err.message : String(err)).replace(/\.$/, '');
  return new StoreError('connection', `Redis at ${where} is still loading its data after a start (${reason}); try again once it has loaded.`);
}
