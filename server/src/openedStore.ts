import type { SessionStore } from '../../engine/src';

/**
 * How long a close is waited for. Closing a connection whose peer vanished silently (a VPN
 * drop, a laptop's sleep) can take as long as TCP takes to give up; past this the store is left
 * to finish closing on its own.
 */
const CLOSE_BUDGET_MS = 5000;

/**
 * One opened store connection and the operations running on it. Re-discovery and new passwords
 * retire it, and it closes only once the last of them has settled: a bulk delete never has its
 * store closed under it.
 */
export class OpenedStore {
  private running = 0;
  private retired = false;
  private closed: Promise<void> | undefined;

  constructor(readonly opening: Promise<SessionStore>) {}

  /** Runs one operation on the store, which stays open until it settles. */
  async use<T>(run: (store: SessionStore) => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await run(await this.opening);
    } finally {
      this.running--;
      void this.closeWhenIdle();
    }
  }

  /**
   * No new operation will come; closes now if none runs, else after the last one. Settles when
   * closed (or the close outlasted CLOSE_BUDGET_MS), or at once while an operation runs.
   */
  retire(): Promise<void> {
    this.retired = true;
    return this.closeWhenIdle();
  }

  private closeWhenIdle(): Promise<void> {
    if (this.retired && this.running === 0) {
      this.closed ??= this.opening.then(
        (store) => withinBudget(store.close()),
        () => undefined,
      );
    }
    return this.closed ?? Promise.resolve();
  }
}

function withinBudget(closing: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLOSE_BUDGET_MS);
    timer.unref();
  });
  return Promise.race([closing.catch(() => undefined), budget]).finally(() => clearTimeout(timer));
}
