import { StoreChangeWatch, type StoreDescriptor } from '../../../engine/src';
import { ExitCode } from '../exitCodes';
import { writeError } from '../terminalText';

/** How often `list --watch` lists again a store that no watch covers (a database or cache server). */
const POLL_MS = 5000;
/** How often it lists again otherwise: what has expired since shows, and the process stays alive. */
const REFRESH_MS = 60_000;

/**
 * `list --watch`: prints the listing, then again whenever it changes, each time after a line
 * with the time, until interrupted (exit 0). Stores kept in local files are watched; the others
 * are listed again every POLL_MS. A listing that fails is reported on stderr, and watching goes on.
 */
export function watchListing(stores: readonly StoreDescriptor[], render: () => Promise<string[]>, out: (text: string) => void, json: boolean): Promise<number> {
  let shown: string | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const show = async (): Promise<void> => {
    try {
      const lines = await render();
      const text = lines.join('\n');
      // A listing that ends after Ctrl-C is not printed.
      if (text !== shown && !stopped) {
        if (shown !== undefined && !json) {
          out(`-- ${new Date().toISOString()}`);
        }
        shown = text;
        lines.forEach(out);
      }
    } catch (err) {
      writeError(`django-sessions: list --watch: ${(err as Error).message}\n`);
    }
  };
  // Changes during a listing are gathered into one more listing after it.
  const relist = (): void => {
    if (stopped) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    running = show().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        relist();
      }
    });
  };
  return new Promise((resolve) => {
    const watches = stores.map((descriptor) => StoreChangeWatch.start(descriptor, relist));
    const timer = setInterval(relist, watches.every((w) => w !== undefined) ? REFRESH_MS : POLL_MS);
    const stop = (): void => {
      stopped = true;
      watches.forEach((w) => w?.close());
      clearInterval(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void (running ?? Promise.resolve()).then(() => resolve(ExitCode.ok));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    relist();
  });
}
