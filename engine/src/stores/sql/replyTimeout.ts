import { StoreError } from '../storeError';

/**
 * How long a PostgreSQL or MySQL statement of ours may go without its reply before the
 * connection is taken for dead. A server that is paused (a stopped container, a laptop's VPN
 * gone quiet) keeps the connection open and never answers, and neither TCP nor the drivers ever
 * give up on it. Our statements are index lookups, pages and batches that end within the lock
 * bound, so only a whole-table count on a slow disk comes anywhere near this.
 */
export const DEFAULT_REPLY_TIMEOUT_MS = 60_000;

/**
 * The reply of `statement`, or, when none comes within `timeoutMs`, a 'connection' StoreError
 * after `drop` has closed the connection (whose replies would be out of step with its requests
 * after that). Whether the statement was applied is then unknown, and the message says so.
 */
export async function replyWithin<T>(statement: Promise<T>, timeoutMs: number, server: string, drop: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      drop();
      reject(
        new StoreError(
          'connection',
          `${server} did not answer within ${timeoutMs / 1000} s, so the connection was dropped and the next action connects again; whether the statement was applied is unknown, so refresh to see what the store holds now. Check that the server is running and not paused or overloaded, and the network to it.`,
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([statement, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
