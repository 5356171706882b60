import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How long after a row change its cache entry is deleted once more. A Django request that missed
 * the cache and read the row just before our change writes what it read to the cache right after
 * (`cache.set` follows the row read within one `load`), so a couple of seconds cover it.
 */
export const LATE_INVALIDATION_MS = 2000;

/**
 * Deletes cache entries once more a little after a change, against the stale refill: a Django
 * request that read the old row before our write and puts it in the cache after our delete,
 * where Django would serve it until its TTL. The delete is blind (no row is read in the
 * background, where it could overlap the store's own queries on its one connection): at worst
 * Django refills the entry from the row once more.
 */
export class LateInvalidation {
  private readonly pending = new Set<Promise<void>>();
  /** How many scheduled deletes each key is waiting for. */
  private readonly waiting = new Map<string, number>();

  constructor(
    private readonly delayMs: number,
    private readonly invalidate: (sessionKey: string) => Promise<unknown>,
  ) {}

  /** Deletes the entries of `sessionKeys` after the delay, without making the caller wait. */
  schedule(sessionKeys: readonly string[]): void {
    if (sessionKeys.length === 0) {
      return;
    }
    sessionKeys.forEach((key) => this.waiting.set(key, (this.waiting.get(key) ?? 0) + 1));
    const run = sleep(this.delayMs)
      .then(async () => {
        for (const key of sessionKeys) {
          await this.invalidate(key);
        }
      })
      // Nobody is left to tell: the change itself succeeded, and a refill that survives this
      // expires at its TTL, as Django's own cached_db leaves an entry whose cache write failed.
      .catch(() => undefined)
      .finally(() => {
        this.pending.delete(run);
        for (const key of sessionKeys) {
          const left = (this.waiting.get(key) ?? 1) - 1;
          if (left > 0) {
            this.waiting.set(key, left);
          } else {
            this.waiting.delete(key);
          }
        }
      });
    this.pending.add(run);
  }

  /** Whether a delete of this key's entry is still to come: an entry there now may be the stale refill it is for. */
  isPending(sessionKey: string): boolean {
    return this.waiting.has(sessionKey);
  }

  /** Resolves once every delete scheduled so far has run; `close` waits for this so a CLI does not exit before it. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.all([...this.pending]);
    }
  }
}
