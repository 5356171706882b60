import { CachedDbSessionStore, isExpired, loggedInUserId, maskSessionKey, noCacheBesideTable, otherKeyPrefixNote, outlivesCookie, pyRepr, StoreError, storeLocation, type SessionFilter, type SessionPage, type SessionRecord, type SessionStore, type StoreDescriptor } from '../../../engine/src';
import type { ParsedArgs } from '../args';
import { CliError, ExitCode } from '../exitCodes';
import { storeErrorExit } from '../failureExit';
import { toJsonText } from '../jsonOutput';
import { pyDataJson } from '../pyJson';
import { NO_PROGRESS, progressLine } from '../progressLine';
import { noteAssumedSettings, withStore } from './storeAccess';
import { watchListing } from './watchListing';
import { writeError } from '../terminalText';

/** The filter the list flags describe: `--active|--expired`, `--user ID`, `--has-key K`, `--grep TEXT`. */
export function filterFromArgs(args: ParsedArgs): SessionFilter | undefined {
  if (args.flags.has('--active') && args.flags.has('--expired')) {
    throw new CliError(ExitCode.usage, 'Use --active or --expired, not both.');
  }
  const text = (flag: string): string | undefined => {
    const v = args.flags.get(flag);
    if (v === true) {
      throw new CliError(ExitCode.usage, `${flag} needs a value.`);
    }
    return v;
  };
  const filter: SessionFilter = {
    state: args.flags.has('--active') ? 'active' : args.flags.has('--expired') ? 'expired' : undefined,
    userId: text('--user'),
    hasKey: text('--has-key'),
    text: text('--grep'),
  };
  return Object.values(filter).some((v) => v !== undefined) ? filter : undefined;
}

/**
 * A page of up to `limit` sessions. A filter that decodes the sessions reads a bounded number of
 * them per listing (10,000), which may match none: the listing goes on from its cursor until the
 * page is full or the store is read through, so `list --user 30` on a large store shows that user's
 * sessions at once instead of an empty page and a cursor.
 */
async function filledPage(store: SessionStore, limit: number, cursor: string | undefined, filter: SessionFilter | undefined): Promise<SessionPage> {
  let page = await store.list({ limit, cursor, filter });
  const short = (p: SessionPage): p is SessionPage & { scanned: number; nextCursor: string } => p.scanned !== undefined && p.nextCursor !== undefined && p.sessions.length < limit;
  const line = short(page) ? progressLine('sessions checked') : NO_PROGRESS;
  try {
    while (short(page)) {
      line.update(page.scanned);
      const next = await store.list({ limit: limit - page.sessions.length, cursor: page.nextCursor, filter });
      // A cache's SCAN may return a key again on a later page: each session is listed once.
      const listed = new Set(page.sessions.map((r) => r.key));
      page = { sessions: [...page.sessions, ...next.sessions.filter((r) => !listed.has(r.key))], nextCursor: next.nextCursor, scanned: page.scanned + (next.scanned ?? 0) };
    }
  } finally {
    line.end();
  }
  return page;
}

/**
 * filledPage, and where a cache store's first unfiltered page finds no session, a note on stderr
 * of the sessions the server holds under another key prefix or version (once, not on each --watch).
 */
async function firstPage(store: SessionStore, descriptor: StoreDescriptor, limit: number, cursor: string | undefined, filter: SessionFilter | undefined, watch: boolean): Promise<SessionPage> {
  const page = await filledPage(store, limit, cursor, filter);
  const elsewhere = page.sessions.length === 0 && cursor === undefined && filter === undefined && !watch ? await otherKeyPrefixNote(store) : undefined;
  if (elsewhere) {
    writeError(`django-sessions: note: ${descriptor.id}: ${elsewhere}.\n`);
  }
  return page;
}

/**
 * `list [--limit N] [--cursor C] [--show-keys] [--watch] [filters | --cache-drift]`: one page of decoded
 * sessions per store, newest expiry first (a file store the session saved last first, a cache in the order it walks its keys); with several stores each page has a heading. A cursor
 * belongs to one store, so `--cursor` needs exactly one. `--watch` prints it again as it changes (see watchListing).
 */
export async function listCommand(args: ParsedArgs, stores: StoreDescriptor[], out: (text: string) => void): Promise<number> {
  const limit = Number(args.flags.get('--limit') ?? 100);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10000) {
    throw new CliError(ExitCode.usage, '--limit takes a whole number from 1 to 10000.');
  }
  const cursor = args.flags.get('--cursor');
  const at = typeof cursor === 'string' ? cursor : undefined;
  if (at !== undefined && stores.length > 1) {
    throw new CliError(ExitCode.usage, `--cursor continues the listing of one store, and ${stores.length} are selected; name that store alone with --store.`);
  }
  const drift = args.flags.get('--cache-drift') === true;
  const filter = filterFromArgs(args);
  if (drift && filter) {
    throw new CliError(ExitCode.usage, '--cache-drift lists every cache entry that differs from the table; it takes no filters.');
  }
  // Every listing tells expired sessions from active ones.
  stores.forEach((descriptor) => noteAssumedSettings(descriptor));
  const watch = args.flags.get('--watch') === true;
  if (watch && at !== undefined) {
    throw new CliError(ExitCode.usage, '--watch follows the first page as it changes; it takes no --cursor.');
  }
  const showKeys = args.flags.get('--show-keys') === true;
  let failure: StoreError | undefined;
  const render = async (): Promise<string[]> => {
    const pages: StorePage[] = [];
    failure = undefined;
    for (const descriptor of stores) {
      try {
        pages.push({ descriptor, page: await withStore(descriptor, (store) => (drift ? cacheDriftPage(store, limit, at) : firstPage(store, descriptor, limit, at, filter, watch))) });
      } catch (err) {
        // One store down does not hide the others' sessions, as with count: it is said, and decides the exit code.
        if (stores.length === 1 || !(err instanceof StoreError)) {
          throw err;
        }
        failure ??= err;
        pages.push({ descriptor, error: err.message });
        writeError(`django-sessions: ${descriptor.id}: ${err.message}\n`);
      }
    }
    return args.json ? [listingJson(pages)] : listingLines(pages, showKeys, filter !== undefined);
  };
  if (watch) {
    return watchListing(stores, render, out, args.json);
  }
  (await render()).forEach(out);
  return failure === undefined ? ExitCode.ok : storeErrorExit(failure);
}

/** One store's page, or why it could not be listed. */
type StorePage = { descriptor: StoreDescriptor; page: SessionPage; error?: undefined } | { descriptor: StoreDescriptor; page?: undefined; error: string };

function listingJson(pages: StorePage[]): string {
  const now = Date.now();
  const docs = pages.map(({ descriptor, page, error }) =>
    page ? { store: descriptor.id, sessions: page.sessions.map((r) => sessionJson(r, now)), scanned: page.scanned, nextCursor: page.nextCursor ?? null } : { store: descriptor.id, error },
  );
  return toJsonText({ stores: docs });
}

function listingLines(pages: StorePage[], showKeys: boolean, filtered: boolean): string[] {
  const now = Date.now();
  const lines: string[] = [];
  for (const { descriptor, page } of pages) {
    // Said on stderr.
    if (!page) {
      continue;
    }
    if (pages.length > 1) {
      lines.push(`== ${descriptor.id} ${storeLocation(descriptor)}`);
    }
    for (const record of page.sessions) {
      lines.push(sessionLine(record, showKeys, now));
    }
    if (page.sessions.length === 0 && !page.nextCursor) {
      lines.push(filtered ? `-- no session matches${page.scanned !== undefined ? ` (${page.scanned} scanned)` : ''}` : '-- no sessions');
    }
    if (page.nextCursor) {
      const scanned = page.scanned !== undefined && filtered ? ` (${page.scanned} scanned)` : '';
      lines.push(`-- more${scanned}: ${pages.length > 1 ? '--store <this store> ' : ''}--cursor ${page.nextCursor}`);
    }
  }
  return lines;
}

/** `list --cache-drift`: a page of the cache entries a cached_db store's table disagrees with. */
function cacheDriftPage(store: SessionStore, limit: number, cursor: string | undefined): Promise<SessionPage> {
  if (!(store instanceof CachedDbSessionStore)) {
    throw new CliError(ExitCode.usage, `--cache-drift: ${noCacheBesideTable(store)}`);
  }
  return store.listCacheDrift({ limit, cursor });
}

/** What follows a session's expiry date in text output: whether it expired, or outlived its cookie. */
export function expiryMarker(record: SessionRecord, now: number): string {
  if (isExpired(record, now)) {
    return ' (expired)';
  }
  return outlivesCookie(record, now) ? ' (cookie expired, session kept)' : '';
}

/** The JSON shape of one session, shared by `list` and `show`. */
export function sessionJson(record: SessionRecord, now: number): Record<string, unknown> {
  const decoded = record.decoded;
  return {
    sessionKey: record.key,
    expireDate: record.expireDate,
    expired: isExpired(record, now),
    userId: decoded.ok ? loggedInUserId(decoded.session.data) : undefined,
    signature: decoded.ok ? decoded.session.signature : 'undecodable',
    data: decoded.ok ? pyDataJson(decoded.session.data) : undefined,
    error: decoded.ok ? undefined : { code: decoded.code, message: decoded.message },
    cacheState: record.cacheState,
    cacheNote: record.cacheNote,
    served: record.served?.ok ? pyDataJson(record.served.session.data) : undefined,
  };
}

/** The most of a session's data one listing line shows: a cart of thousands of items is one line. */
const MAX_LINE_DATA = 400;

/** The data's repr, cut to MAX_LINE_DATA characters (never inside a character) with how much `show` prints. */
function shortened(repr: string): string {
  const chars = [...repr];
  return chars.length <= MAX_LINE_DATA ? repr : `${chars.slice(0, MAX_LINE_DATA).join('')}… (${chars.length} characters; show KEY prints them all)`;
}

function sessionLine(record: SessionRecord, showKeys: boolean, now: number): string {
  const key = showKeys ? record.key : maskSessionKey(record.key);
  const expiry = record.expireDate ? `${record.expireDate.toISOString()}${expiryMarker(record, now)}` : 'no expiry';
  const decoded = record.decoded;
  const body = decoded.ok ? `${decoded.session.signature.padEnd(10)} ${shortened(pyRepr(decoded.session.data))}` : `undecodable: ${decoded.message}`;
  const cache = record.cacheState === 'drift' || record.cacheState === 'orphan' || record.cacheState === 'undecodable' ? `  [cache ${record.cacheState}: ${record.cacheNote ?? ''}]` : '';
  return `${key}  ${expiry}  ${body}${cache}`;
}
