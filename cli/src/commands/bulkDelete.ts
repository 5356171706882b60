import { constants } from 'node:os';
import { refuseClearWithAssumedTime, STOPPING_SIGNALS, type SessionStore, type StoreDescriptor } from '../../../engine/src';
import type { ParsedArgs } from '../args';
import { CliError, ExitCode } from '../exitCodes';
import { toJsonText } from '../jsonOutput';
import { progressLine, type ProgressLine } from '../progressLine';
import { sessionCount } from '../sessionCount';
import { uncheckedText } from './uncheckedSessions';
import type { ResolvedStore } from '../resolveStores';
import { confirmDestructive, noteAssumedSettings, openReachable, positional, withStore } from './storeAccess';
import { noteWhyNoneMatched } from './userMatchNotes';
import { logoutPreview } from './logoutPreview';

/**
 * What a bulk deletion reports per store: `cancelled` when Ctrl-C (or SIGTERM, SIGHUP) stopped
 * it part way, `error` when a failure did, `skipped` (with `deleted: 0`) when either came before
 * it started, so the store was left alone. What was deleted before is counted either way.
 */
interface Deleted {
  store: string;
  deleted: number;
  cancelled?: boolean;
  skipped?: boolean;
  /** The one-line error that stopped the deletion part way. */
  error?: string;
  /** logout-user: sessions whose data does not decode, so whether they are the user's is unknown. */
  undecodable?: number;
}

/**
 * What a deletion in one store is handed: the signal that stops it, the line that shows its
 * progress, and where it tells its running total of deletions, so a failure part way still
 * reports them.
 */
interface StoreRun {
  signal: AbortSignal;
  progress: ProgressLine;
  deletedSoFar: (n: number) => void;
}

/** The deletions of every store, and what stopped them part way, if anything did. */
interface Deletions {
  results: Deleted[];
  stoppedBy?: NodeJS.Signals;
  /** The failure that stopped a store's deletion, thrown again once the counts are out. */
  failure?: unknown;
}

/**
 * `confirm` names the command for `--yes` on remote hosts; `progress` labels the count shown on a
 * terminal; `refuse` throws for a store the command must not change, checked for every store
 * before any is touched.
 */
interface PerStoreOptions {
  confirm: string;
  progress: string;
  refuse?: (descriptor: StoreDescriptor) => void;
}

/**
 * Runs a deletion on each store in turn, with Ctrl-C, SIGTERM or SIGHUP stopping a long deletion
 * between batches (what was deleted stays deleted and is reported); a failure part way stops it
 * too, what it deleted before being reported. After either no further store is touched, but
 * each is still reported as skipped, so none goes missing from the output. Every store is
 * checked for `--yes`, and opened and read, before any is touched, so neither a refusal nor an
 * unreachable store comes after a deletion it would hide.
 */
async function perStore(stores: ResolvedStore[], args: ParsedArgs, { confirm, progress, refuse }: PerStoreOptions, body: (store: SessionStore, descriptor: StoreDescriptor, run: StoreRun) => Promise<Deleted>): Promise<Deletions> {
  stores.forEach((descriptor) => confirmDestructive(args, descriptor, confirm));
  if (refuse) {
    stores.forEach(refuse);
  }
  const opened = await openReachable(stores);
  const controller = new AbortController();
  const deletions: Deletions = { results: [] };
  const handlers = STOPPING_SIGNALS.map((signal) => ({
    signal,
    stop: () => {
      deletions.stoppedBy ??= signal;
      controller.abort();
    },
  }));
  // Once: a second signal ends the process as it would without this handler.
  handlers.forEach(({ signal, stop }) => process.once(signal, stop));
  try {
    for (const [i, descriptor] of stores.entries()) {
      if (controller.signal.aborted || deletions.failure !== undefined) {
        deletions.results.push({ store: descriptor.id, deleted: 0, skipped: true });
        continue;
      }
      const line = progressLine(stores.length > 1 ? `${descriptor.id}: ${progress}` : progress);
      let deleted = 0;
      try {
        deletions.results.push(await body(opened[i]!, descriptor, { signal: controller.signal, progress: line, deletedSoFar: (n) => (deleted = n) }));
      } catch (err) {
        deletions.failure = err;
        deletions.results.push({ store: descriptor.id, deleted, error: (err instanceof Error ? err.message : String(err)).split('\n')[0] });
      } finally {
        line.end();
      }
    }
  } finally {
    handlers.forEach(({ signal, stop }) => process.removeListener(signal, stop));
    await Promise.all(opened.map((store) => store.close()));
  }
  return deletions;
}

/** Ctrl-C as users know it; any other signal by its name. */
function signalName(signal: NodeJS.Signals | undefined): string {
  return signal === undefined || signal === 'SIGINT' ? 'Ctrl-C' : signal;
}

/** A deletion's count, marked when it was cancelled, stopped by an error, or skipped. */
function deletedText(r: Deleted, what: (n: number) => string, { stoppedBy, failure }: Deletions): string {
  if (r.error !== undefined) {
    return `${what(r.deleted)} deleted before the error`;
  }
  const skippedAfter = failure !== undefined ? 'the error' : signalName(stoppedBy);
  const mark = r.skipped ? ` (skipped after ${skippedAfter})` : r.cancelled ? (stoppedBy && stoppedBy !== 'SIGINT' ? ` (cancelled by ${stoppedBy})` : ' (cancelled)') : '';
  return `${what(r.deleted)} deleted${mark}`;
}

/**
 * A deletion that was cancelled or never started did not finish: a store-level failure (exit 3),
 * though counts are reported; stopped by SIGTERM or SIGHUP, the exit code is the one a shell
 * gives a process that signal ends (128 + its number), so a CI job or supervisor sees why.
 */
function deletionExit({ results, stoppedBy }: Deletions): number {
  if (!results.some((r) => r.cancelled || r.skipped)) {
    return ExitCode.ok;
  }
  return stoppedBy && stoppedBy !== 'SIGINT' ? 128 + constants.signals[stoppedBy] : ExitCode.store;
}

/** After the counts are out, the failure that stopped a deletion, to be reported as any other is (one line, exit 3). */
function rethrowFailure({ failure }: Deletions): void {
  if (failure !== undefined) {
    throw failure;
  }
}

function printJson(args: ParsedArgs, out: (text: string) => void, results: object[]): boolean {
  if (args.json) {
    out(toJsonText({ stores: results }));
  }
  return args.json;
}

/** `clear-expired [--dry-run]`: delete what Django's clearsessions deletes, in every resolved store. */
export async function clearExpiredCommand(args: ParsedArgs, stores: StoreDescriptor[], out: (text: string) => void): Promise<number> {
  const dryRun = args.flags.get('--dry-run') === true;
  if (dryRun) {
    // Read-only, so Ctrl-C ends the process as it does for any other read.
    const counts: Array<{ store: string; expired: number }> = [];
    stores.forEach((descriptor) => noteAssumedSettings(descriptor));
    // What the run itself would refuse, the preview refuses too, rather than count a guess.
    stores.forEach(refuseClearWithAssumedTime);
    for (const descriptor of stores) {
      counts.push(await withStore(descriptor, async (store) => ({ store: descriptor.id, expired: await store.count({ state: 'expired' }) })));
    }
    if (!printJson(args, out, counts)) {
      for (const r of counts) {
        out(`${stores.length > 1 ? `${r.store}\t` : ''}${sessionCount(r.expired, 'expired')} would be deleted`);
      }
    }
    return ExitCode.ok;
  }
  const deletions = await perStore(stores, args, { confirm: 'clear-expired', progress: 'expired sessions deleted', refuse: refuseClearWithAssumedTime }, async (store, descriptor, { signal, progress, deletedSoFar }) => {
    // Ctrl-C after the last deletion was written cancels nothing.
    let finished = false;
    const onProgress = (n: number) => {
      deletedSoFar(n);
      progress.update(n);
    };
    const deleted = await store.clearExpired({ signal, onProgress, onFinished: () => (finished = true) });
    return { store: descriptor.id, deleted, cancelled: (signal.aborted && !finished) || undefined };
  });
  if (!printJson(args, out, deletions.results)) {
    for (const r of deletions.results) {
      out(`${stores.length > 1 ? `${r.store}\t` : ''}${deletedText(r, (n) => sessionCount(n, 'expired'), deletions)}`);
    }
  }
  rethrowFailure(deletions);
  return deletionExit(deletions);
}

/** `logout-user ID [--dry-run]`: delete (or only list) every session logged in as that user, in every resolved store. */
export async function logoutUserCommand(args: ParsedArgs, stores: StoreDescriptor[], out: (text: string) => void): Promise<number> {
  const userId = positional(args, 0, 'a user ID');
  if (!userId) {
    throw new CliError(ExitCode.usage, 'logout-user needs a user ID, as stored in _auth_user_id.');
  }
  if (args.flags.get('--dry-run') === true) {
    return logoutPreview(args, stores, userId, out);
  }
  // deleteByUser reports how many sessions it has looked at: each must be decoded to find the user.
  const deletions = await perStore(stores, args, { confirm: 'logout-user', progress: 'sessions checked' }, async (store, descriptor, { signal, progress, deletedSoFar }) => {
    // Ctrl-C after the last session was checked cancels nothing.
    let finished = false;
    let undecodable = 0;
    let checked = 0;
    let loggedIn = 0;
    let deletedCount = 0;
    const deleted = await store.deleteByUser(userId, {
      signal,
      onProgress: (n) => progress.update((checked = n)),
      onDeleted: async () => deletedSoFar(++deletedCount),
      onFinished: () => (finished = true),
      onUndecodable: () => undecodable++,
      onLoggedIn: () => loggedIn++,
    });
    noteWhyNoneMatched(descriptor, userId, { matched: deleted, checked, loggedIn, undecodable });
    return { store: descriptor.id, deleted, cancelled: (signal.aborted && !finished) || undefined, undecodable: undecodable || undefined };
  });
  if (!printJson(args, out, deletions.results)) {
    for (const r of deletions.results) {
      const unchecked = r.undecodable ? `; ${uncheckedText(r.undecodable)}, so the user may still be logged in there` : '';
      out(`${stores.length > 1 ? `${r.store}\t` : ''}${deletedText(r, (n) => `${sessionCount(n)} of user ${userId}`, deletions)}${unchecked}`);
    }
  }
  rethrowFailure(deletions);
  // Sessions left unchecked may keep the user logged in: not a success, though the rest is done.
  const exit = deletionExit(deletions);
  return exit === ExitCode.ok && deletions.results.some((r) => r.undecodable) ? ExitCode.decode : exit;
}
