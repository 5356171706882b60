import type { SessionStore, StoreDescriptor } from '../../../engine/src';
import type { ParsedArgs } from '../args';
import { CliError, ExitCode } from '../exitCodes';
import { toJsonText } from '../jsonOutput';
import { confirmDestructive, positional, withStore } from './storeAccess';

/** What a bulk deletion reports per store; `cancelled` when Ctrl-C stopped it part way. */
interface Deleted {
  store: string;
  deleted: number;
  cancelled?: boolean;
}

/**
 * Runs `body` on each store in turn, with Ctrl-C stopping a long deletion between batches (what
 * was deleted stays deleted and is reported); stores after the cancelled one are left alone.
 * `confirm` names the command for `--yes` on remote hosts.
 */
async function perStore<T>(stores: StoreDescriptor[], args: ParsedArgs, confirm: string | undefined, body: (store: SessionStore, descriptor: StoreDescriptor, signal: AbortSignal) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (const descriptor of stores) {
    if (confirm) {
      confirmDestructive(args, descriptor, confirm);
    }
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      results.push(await withStore(descriptor, (store) => body(store, descriptor, controller.signal)));
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
    if (controller.signal.aborted) {
      break;
    }
  }
  return results;
}

/** A deletion's count, marked when it was cancelled. */
function deletedText(r: Deleted, what: string): string {
  return `${r.deleted} ${what} deleted${r.cancelled ? ' (cancelled)' : ''}`;
}

/** A cancelled deletion did not finish, which is a store-level failure (exit 3), though its count is reported. */
function deletionExit(results: Array<{ cancelled?: boolean }>): number {
  return results.some((r) => r.cancelled) ? ExitCode.store : ExitCode.ok;
}

function printJson(args: ParsedArgs, out: (text: string) => void, results: object[]): boolean {
  if (args.json) {
    out(toJsonText(results.length === 1 ? results[0] : { stores: results }));
  }
  return args.json;
}

/** `clear-expired [--dry-run]`: delete what Django's clearsessions deletes, in every resolved store. */
export async function clearExpiredCommand(args: ParsedArgs, stores: StoreDescriptor[], out: (text: string) => void): Promise<number> {
  const dryRun = args.flags.get('--dry-run') === true;
  if (dryRun) {
    const counts = await perStore(stores, args, undefined, async (store, descriptor) => ({ store: descriptor.id, expired: await store.count({ state: 'expired' }) }));
    if (!printJson(args, out, counts)) {
      for (const r of counts) {
        out(`${stores.length > 1 ? `${r.store}\t` : ''}${r.expired} expired session(s) would be deleted`);
      }
    }
    return ExitCode.ok;
  }
  const results = await perStore<Deleted>(stores, args, 'clear-expired', async (store, descriptor, signal) => ({
    store: descriptor.id,
    deleted: await store.clearExpired({ signal }),
    cancelled: signal.aborted || undefined,
  }));
  if (!printJson(args, out, results)) {
    for (const r of results) {
      out(`${stores.length > 1 ? `${r.store}\t` : ''}${deletedText(r, 'expired session(s)')}`);
    }
  }
  return deletionExit(results);
}

/** `logout-user ID`: delete every session logged in as that user, in every resolved store. */
export async function logoutUserCommand(args: ParsedArgs, stores: StoreDescriptor[], out: (text: string) => void): Promise<number> {
  const userId = positional(args, 0, 'a user ID');
  if (!userId) {
    throw new CliError(ExitCode.usage, 'logout-user needs a user ID, as stored in _auth_user_id.');
  }
  const results = await perStore<Deleted>(stores, args, 'logout-user', async (store, descriptor, signal) => ({
    store: descriptor.id,
    deleted: await store.deleteByUser(userId, { signal }),
    cancelled: signal.aborted || undefined,
  }));
  if (!printJson(args, out, results)) {
    for (const r of results) {
      out(`${stores.length > 1 ? `${r.store}\t` : ''}${deletedText(r, `session(s) of user ${userId}`)}`);
    }
  }
  return deletionExit(results);
}
