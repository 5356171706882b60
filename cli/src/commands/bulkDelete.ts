import type { StoreDescriptor } from '../../../engine/src';
import type { ParsedArgs } from '../args';
import { CliError, ExitCode } from '../exitCodes';
import { toJsonText } from '../jsonOutput';
import { confirmDestructive, positional, withStore } from './storeAccess';

/** Ctrl-C stops a long deletion between batches; what was deleted stays deleted and is reported. */
function interruptible(): { signal: AbortSignal; done: () => void } {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  return { signal: controller.signal, done: () => process.removeListener('SIGINT', onSigint) };
}

/** `clear-expired [--dry-run]`: delete what Django's clearsessions deletes, in every resolved store. */
export async function clearExpiredCommand(args: ParsedArgs, stores: StoreDescriptor[], out: (text: string) => void): Promise<number> {
  const dryRun = args.flags.get('--dry-run') === true;
  const results: Array<{ store: string; deleted?: number; expired?: number; cancelled?: boolean }> = [];
  for (const descriptor of stores) {
    if (!dryRun) {
      confirmDestructive(args, descriptor, 'clear-expired');
    }
    const run = interruptible();
    try {
      const result = await withStore(descriptor, async (store) =>
        dryRun ? { store: descriptor.id, expired: await store.count({ state: 'expired' }) } : { store: descriptor.id, deleted: await store.clearExpired({ signal: run.signal }), cancelled: run.signal.aborted || undefined },
      );
      results.push(result);
    } finally {
      run.done();
    }
  }
  if (args.json) {
    out(toJsonText(results.length === 1 ? results[0] : { stores: results }));
  } else {
    for (const r of results) {
      const prefix = stores.length > 1 ? `${r.store}\t` : '';
      out(dryRun ? `${prefix}${r.expired} expired session(s) would be deleted` : `${prefix}${r.deleted} expired session(s) deleted${r.cancelled ? ' (cancelled)' : ''}`);
    }
  }
  return results.some((r) => r.cancelled) ? ExitCode.store : ExitCode.ok;
}

/** `logout-user ID`: delete every session logged in as that user, in every resolved store. */
export async function logoutUserCommand(args: ParsedArgs, stores: StoreDescriptor[], out: (text: string) => void): Promise<number> {
  const userId = positional(args, 0, 'a user ID');
  if (!userId) {
    throw new CliError(ExitCode.usage, 'logout-user needs a user ID, as stored in _auth_user_id.');
  }
  const results: Array<{ store: string; deleted: number }> = [];
  for (const descriptor of stores) {
    confirmDestructive(args, descriptor, 'logout-user');
    const run = interruptible();
    try {
      results.push({ store: descriptor.id, deleted: await withStore(descriptor, (store) => store.deleteByUser(userId, { signal: run.signal })) });
    } finally {
      run.done();
    }
  }
  if (args.json) {
    out(toJsonText(results.length === 1 ? results[0] : { stores: results }));
  } else {
    for (const r of results) {
      out(`${stores.length > 1 ? `${r.store}\t` : ''}${r.deleted} session(s) of user ${userId} deleted`);
    }
  }
  return ExitCode.ok;
}
