/**
 * The pauses before each new try of a metadump that memcached refused because another client's
 * LRU crawl is running (a second window listing, `list --watch`): such a crawl is usually done
 * within a second or two, so a listing waits about 2 s in all before it reports the refusal.
 */
export const CRAWLER_BUSY_PAUSES_MS: readonly number[] = [100, 200, 300, 600, 800];

/** Waits `ms` milliseconds. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
