import { StoreError } from '../storeError';

/**
 * Runs a statement that `signal` may stop while it waits on a lock: on abort, `cancel` asks the
 * server (from a connection of its own) to stop it, and an error `wasCancelled` recognises becomes
 * a 'cancelled' StoreError. The cancel is awaited before this returns: one still on its way would
 * stop the next statement instead.
 */
export async function cancellableStatement<T>(statement: () => Promise<T>, signal: AbortSignal | undefined, cancel: () => Promise<void>, wasCancelled: (err: unknown) => boolean): Promise<T> {
  let cancelling: Promise<void> | undefined;
  const onAbort = () => {
    cancelling = cancel();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await statement();
  } catch (err) {
    if (signal?.aborted && wasCancelled(err)) {
      throw new StoreError('cancelled', 'The statement running was cancelled; it changed nothing.');
    }
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await cancelling;
  }
}
