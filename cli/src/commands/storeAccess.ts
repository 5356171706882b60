import { isLocalStore, openStore, StoreError, type SessionStore, type StoreDescriptor } from '../../../engine/src';
import type { ParsedArgs } from '../args';
import { CliError, ExitCode } from '../exitCodes';

/** Destructive commands on a store that is not on this machine need `--yes`, per the design's safety rules. */
export function confirmDestructive(args: ParsedArgs, descriptor: StoreDescriptor, what: string): void {
  if (!isLocalStore(descriptor) && args.flags.get('--yes') !== true) {
    throw new CliError(ExitCode.usage, `${what} changes ${descriptor.id} on a non-local host; add --yes to confirm.`);
  }
}

/** The positional argument at `index`, or a usage error naming it. */
export function positional(args: ParsedArgs, index: number, name: string): string {
  const value = args.positionals[index];
  if (value === undefined) {
    throw new CliError(ExitCode.usage, `${args.command} needs ${name}. Run django-sessions --help for the syntax.`);
  }
  return value;
}

/** Runs `body` with the first store, closing it afterwards. */
export async function withStore<T>(descriptor: StoreDescriptor, body: (store: SessionStore) => Promise<T>): Promise<T> {
  const store = await openStore(descriptor);
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

/**
 * Runs `body` on the store that holds `sessionKey`: the first of the resolved stores that has
 * it. A key in none of them is "not found" (exit 1).
 */
export async function withSessionStore<T>(stores: StoreDescriptor[], sessionKey: string, body: (store: SessionStore, descriptor: StoreDescriptor) => Promise<T>): Promise<T> {
  for (const descriptor of stores) {
    const store = await openStore(descriptor);
    try {
      if (stores.length === 1 || (await store.get(sessionKey))) {
        return await body(store, descriptor);
      }
    } finally {
      await store.close();
    }
  }
  throw new StoreError('not-found', `No session with that key in ${stores.map((s) => s.id).join(', ')}; list the sessions to find the key.`);
}
