import type { ScanBatch } from '../cacheBackend';

/**
 * Batches of several walks in the order they arrive. Each walk asks for its next batch only once
 * its last one was taken, so a slow consumer holds at most one batch per walk; a consumer that
 * stops early stops the walks, and a walk's error ends the whole.
 */
export class MergedWalks {
  private readonly ready: ScanBatch[] = [];
  private readonly taken: (() => void)[] = [];
  private running = 0;
  private failure: { error: unknown } | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;

  /** Starts `walk`; its batches join the others'. */
  run(walk: AsyncIterable<ScanBatch>): void {
    this.running++;
    void (async () => {
      try {
        for await (const batch of walk) {
          if (this.stopped) {
            return;
          }
          await new Promise<void>((resolve) => {
            this.ready.push(batch);
            this.taken.push(resolve);
            this.signal();
          });
          if (this.stopped) {
            return;
          }
        }
      } catch (error) {
        this.failure ??= { error };
      } finally {
        this.running--;
        this.signal();
      }
    })();
  }

  /** Every walk's batches, until all have ended; the first error of any ends it. */
  async *batches(): AsyncIterable<ScanBatch> {
    try {
      for (;;) {
        if (this.failure) {
          throw this.failure.error;
        }
        const batch = this.ready.shift();
        if (batch) {
          yield batch;
          this.taken.shift()?.();
          continue;
        }
        if (this.running === 0) {
          return;
        }
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      this.stopped = true;
      for (const walkOn of this.taken.splice(0)) {
        walkOn();
      }
    }
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
