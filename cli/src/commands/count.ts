import type { SessionFilter, SessionStore, StoreDescriptor } from '../../../engine/src';
import type { ParsedArgs } from '../args';
import { ExitCode } from '../exitCodes';
import { toJsonText } from '../jsonOutput';
import { filterFromArgs } from './list';
import { openResolvedStore } from './storeAccess';

/** Sessions read per page when a filter must decode them to count. */
const COUNT_PAGE = 10_000;

/** `count [--active|--expired] [--user ID] [--has-key K] [--grep TEXT]`: how many sessions each store holds. */
export async function countCommand(args: ParsedArgs, stores: StoreDescriptor[], out: (text: string) => void): Promise<number> {
  const counts: Array<{ store: string; count: number }> = [];
  const filter = filterFromArgs(args);
  for (const descriptor of stores) {
    const store = await openResolvedStore(descriptor);
    try {
      counts.push({ store: descriptor.id, count: await countMatching(store, filter) });
    } finally {
      await store.close();
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

/**
 * The store counts by expiry itself; the other filters look into the decoded data, so those
 * sessions are counted a page at a time through the same listing `list` uses.
 */
async function countMatching(store: SessionStore, filter: SessionFilter | undefined): Promise<number> {
  if (!filter || (filter.userId === undefined && filter.hasKey === undefined && filter.text === undefined)) {
    return store.count(filter?.state ? { state: filter.state } : undefined);
  }
  let total = 0;
  let cursor: string | undefined;
  do {
    const page = await store.list({ limit: COUNT_PAGE, cursor, filter });
    total += page.sessions.length;
    cursor = page.nextCursor;
  } while (cursor);
  return total;
}
