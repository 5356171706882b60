import type { StoreDescriptor } from '../../../engine/src';
import type { ParsedArgs } from '../args';
import { ExitCode } from '../exitCodes';
import { toJsonText } from '../jsonOutput';
import { progressLine } from '../progressLine';
import { filterFromArgs } from './list';
import { noteAssumedTimeSettings, withStore } from './storeAccess';

/**
 * `count [--active|--expired] [--user ID] [--has-key K] [--grep TEXT]`: how many sessions each
 * store holds. The store counts by expiry itself; the other filters decode every session in one
 * pass, with a running count of those read on a terminal, as the bulk deletions show (a count
 * the store answers at once reports no progress, and the line stays blank).
 */
export async function countCommand(args: ParsedArgs, stores: StoreDescriptor[], out: (text: string) => void): Promise<number> {
  const counts: Array<{ store: string; count: number }> = [];
  const filter = filterFromArgs(args);
  if (filter?.state) {
    stores.forEach(noteAssumedTimeSettings);
  }
  for (const descriptor of stores) {
    const line = progressLine(stores.length > 1 ? `${descriptor.id}: sessions checked` : 'sessions checked');
    try {
      counts.push({ store: descriptor.id, count: await withStore(descriptor, (store) => store.count(filter, { onProgress: (n) => line.update(n) })) });
    } finally {
      line.end();
    }
  }
  if (args.json) {
    out(toJsonText({ stores: counts }));
  } else {
    for (const c of counts) {
      out(stores.length === 1 ? String(c.count) : `${c.store}\t${c.count}`);
    }
  }
  return ExitCode.ok;
}
