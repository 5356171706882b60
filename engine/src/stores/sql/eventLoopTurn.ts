/**
 * Resolves on a later turn of the event loop, after pending I/O and signal callbacks have run.
 * SQLite drivers (node:sqlite, sql.js) run statements synchronously, so a loop of awaited batches
 * never gives Node the chance to run a SIGINT handler; awaiting this between batches does, and
 * Ctrl-C can then cancel the loop.
 */
export function nextEventLoopTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
