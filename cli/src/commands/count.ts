import { otherKeyPrefixNote, StoreError, type StoreDescriptor } from '../../../engine/src';
import type { ParsedArgs } from '../args';
import { ExitCode } from '../exitCodes';
import { storeErrorExit } from '../failureExit';
import { toJsonText } from '../jsonOutput';
import { progressLine } from '../progressLine';
import { uncheckedText } from './uncheckedSessions';
import { filterFromArgs } from './list';
import { noteAssumedSettings, withStore } from './storeAccess';
import { writeError } from '../terminalText';

/**
 * `count [--active|--expired] [--user ID] [--has-key K] [--grep TEXT]`: how many sessions each
 * store holds. The store counts by expiry itself; the other filters decode every session in one
 * pass, with a running count of those read on a terminal, as the bulk deletions show (a count
 * the store answers at once reports no progress, and the line stays blank).
 */
export async function countCommand(args: ParsedArgs, stores: StoreDescriptor[], out: (text: string) => void): Promise<number> {
  const counts: Array<{ store: string; count?: number; undecodable?: number; error?: string }> = [];
  const filter = filterFromArgs(args);
  if (filter?.state) {
    stores.forEach((descriptor) => noteAssumedSettings(descriptor));
  }
  let failure: StoreError | undefined;
  for (const descriptor of stores) {
    const line = progressLine(stores.length > 1 ? `${descriptor.id}: sessions checked` : 'sessions checked');
    let undecodable = 0;
    try {
      const count = await withStore(descriptor, async (store) => {
        const n = await store.count(filter, { onProgress: (seen) => line.update(seen), onUndecodable: () => undecodable++ });
        const elsewhere = n === 0 && filter === undefined ? await otherKeyPrefixNote(store) : undefined;
        if (elsewhere) {
          writeError(`django-sessions: note: ${descriptor.id}: ${elsewhere}.\n`);
        }
        return n;
      });
      counts.push({ store: descriptor.id, count, ...(undecodable > 0 ? { undecodable } : {}) });
    } catch (err) {
      // One store down does not hide the others' counts: it is said, and decides the exit code.
      if (stores.length === 1 || !(err instanceof StoreError)) {
        throw err;
      }
      failure ??= err;
      counts.push({ store: descriptor.id, error: err.message });
      writeError(`django-sessions: ${descriptor.id}: ${err.message}\n`);
    } finally {
      line.end();
    }
    if (undecodable > 0) {
      writeError(`django-sessions: warning: ${descriptor.id}: ${uncheckedText(undecodable)}; the count leaves ${undecodable === 1 ? 'it' : 'them'} out.\n`);
    }
  }
  if (args.json) {
    out(toJsonText({ stores: counts }));
  } else {
    for (const c of counts.filter((c) => c.count !== undefined)) {
      out(stores.length === 1 ? String(c.count) : `${c.store}\t${c.count}`);
    }
  }
  return failure === undefined ? ExitCode.ok : storeErrorExit(failure);
}
