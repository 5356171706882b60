import { isExpired, maskSessionKey, type SessionRecord, type StoreDescriptor } from '../../../engine/src';
import type { ParsedArgs } from '../args';
import { ExitCode } from '../exitCodes';
import { toJsonText } from '../jsonOutput';
import { progressLine } from '../progressLine';
import { sessionCount } from '../sessionCount';
import { expiryMarker } from './list';
import { noteAssumedSettings, withStore } from './storeAccess';
import { uncheckedText } from './uncheckedSessions';
import { noteWhyNoneMatched } from './userMatchNotes';

/** One session logout-user would delete: only what tells it apart, so a user with many sessions costs little to preview. */
interface Found {
  sessionKey: string;
  expireDate?: Date;
  expired: boolean;
  /** Text output's expiry marker, as list prints it. */
  marker: string;
}

/** What the preview found in one store; `count` as count --user says it. */
interface StorePreview {
  store: string;
  count: number;
  undecodable?: number;
  sessions: Found[];
}

/**
 * `logout-user ID --dry-run`: the sessions logout-user would delete now, in every resolved store,
 * with nothing deleted. Keys are masked in text (the JSON carries them whole, as list's does);
 * sessions that do not decode are counted, as the run would leave them. Read-only, so Ctrl-C
 * ends it as any other read, and it exits 0 as clear-expired --dry-run does.
 */
export async function logoutPreview(args: ParsedArgs, stores: StoreDescriptor[], userId: string, out: (text: string) => void): Promise<number> {
  // Text output tells expired sessions from active ones, as list does.
  stores.forEach((descriptor) => noteAssumedSettings(descriptor));
  const previews: StorePreview[] = [];
  for (const descriptor of stores) {
    const line = progressLine(stores.length > 1 ? `${descriptor.id}: sessions checked` : 'sessions checked');
    const search = { matched: 0, checked: 0, loggedIn: 0, undecodable: 0 };
    const sessions: Found[] = [];
    const now = Date.now();
    try {
      search.matched = await withStore(descriptor, (store) =>
        store.findByUser(userId, {
          onProgress: (n) => line.update((search.checked = n)),
          onUndecodable: () => search.undecodable++,
          onLoggedIn: () => search.loggedIn++,
          onFound: (record) => sessions.push(found(record, now)),
        }),
      );
    } finally {
      line.end();
    }
    noteWhyNoneMatched(descriptor, userId, search);
    previews.push({ store: descriptor.id, count: search.matched, undecodable: search.undecodable || undefined, sessions });
  }
  if (args.json) {
    out(toJsonText({ stores: previews.map((p) => ({ ...p, sessions: p.sessions.map(({ marker: _, ...session }) => session) })) }));
    return ExitCode.ok;
  }
  for (const p of previews) {
    const prefix = stores.length > 1 ? `${p.store}\t` : '';
    const unchecked = p.undecodable ? `; ${uncheckedText(p.undecodable)}, so the user may still be logged in there afterwards` : '';
    out(`${prefix}${sessionCount(p.count)} of user ${userId} would be deleted${expiredNote(p)}${unchecked}`);
    for (const s of p.sessions) {
      out(`${prefix}  ${maskSessionKey(s.sessionKey)}  ${s.expireDate ? `${s.expireDate.toISOString()}${s.marker}` : 'no expiry'}`);
    }
  }
  return ExitCode.ok;
}

/** How many of the sessions have expired: they log no one in, so the count alone reads as more logins than there are. */
function expiredNote(p: StorePreview): string {
  const expired = p.sessions.filter((s) => s.expired).length;
  if (expired === 0) {
    return '';
  }
  if (p.count === 1) {
    return ' (expired)';
  }
  return expired === p.count ? ' (all of them expired)' : ` (${expired} of them expired)`;
}

function found(record: SessionRecord, now: number): Found {
  return { sessionKey: record.key, expireDate: record.expireDate, expired: isExpired(record, now), marker: expiryMarker(record, now) };
}
