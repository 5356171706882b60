import { openStore, type StoreDescriptor } from '../../../engine/src';
import type { ParsedArgs } from '../args';
import { ExitCode } from '../exitCodes';
import { toJsonText } from '../jsonOutput';

/** `count [--active|--expired]`: how many sessions each store holds. */
export async function countCommand(args: ParsedArgs, stores: StoreDescriptor[], out: (text: string) => void): Promise<number> {
  const counts: Array<{ store: string; count: number }> = [];
  const state = args.flags.has('--active') ? 'active' : args.flags.has('--expired') ? 'expired' : undefined;
  for (const descriptor of stores) {
    const store = await openStore(descriptor);
    try {
      counts.push({ store: descriptor.id, count: await store.count(state ? { state } : undefined) });
    } finally {
      await store.close();
    }
  }
  if (args.json) {
    out(toJsonText(counts.length === 1 ? counts[0] : { stores: counts }));
  } else {
    for (const c of counts) {
      out(stores.length === 1 ? String(c.count) : `${c.store}\t${c.count}`);
    }
  }
  return ExitCode.ok;
}
