import { assumedCookieAgeNote, assumedTimeSettingsNote, isLocalStore, KEY_MASK_CHAR, openStore, StoreError, type SessionStore, type StoreDescriptor } from '../../../engine/src';
import type { ParsedArgs } from '../args';
import { CliError, ExitCode } from '../exitCodes';
import type { ResolvedStore } from '../resolveStores';
import { writeError } from '../terminalText';

/**
 * Before a change: destructive commands on a store that is not on this machine, or that
 * DATABASE_ROUTERS may make the wrong one, need `--yes`, per the design's safety rules; and see
 * noteAssumedSettings, since a save writes the expiry too.
 */
export function confirmDestructive(args: ParsedArgs, descriptor: StoreDescriptor, what: string): void {
  if (args.flags.get('--yes') !== true) {
    if (!isLocalStore(descriptor)) {
      throw new CliError(ExitCode.usage, `${what} changes ${descriptor.id} on a non-local host; add --yes to confirm.`);
    }
    if (descriptor.routersCaveat) {
      throw new CliError(ExitCode.usage, `${what} may change the wrong table: ${descriptor.id}: ${descriptor.routersCaveat}. Add --yes to change it anyway.`);
    }
  }
  noteAssumedSettings(descriptor, true);
}

/**
 * Tells on stderr which time settings and cookie age a store named by a URL alone assumes for its
 * expiry dates, before anything that depends on them (a change, or telling expired from active
 * sessions): with the wrong ones, clear-expired or a written expiry is off by hours, or days. The
 * cookie age only matters to a read for file sessions, whose expiry Django reckons from it.
 */
export function noteAssumedSettings(descriptor: StoreDescriptor, changing = false): void {
  const age = changing || descriptor.engine === 'file' ? assumedCookieAgeNote(descriptor) : undefined;
  // Where settings were read and left the time settings unresolved, --project is what was used already.
  const settingsRead = descriptor.assumedTimeReason !== undefined;
  for (const note of [assumedTimeSettingsNote(descriptor), age]) {
    if (note) {
      writeError(`django-sessions: note: ${descriptor.id}: ${note}${settingsRead ? '' : ', or pass --project DIR'}.\n`);
    }
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

/**
 * Opens a resolved store. One the settings could not fully describe (no database, cache or
 * session directory because DATABASES, CACHES or SESSION_FILE_PATH did not resolve statically)
 * is refused with the settings problem that caused it and the way around it, rather than with
 * whatever the adapter makes of the gap. A store DATABASE_ROUTERS may make the wrong one is
 * opened with a warning on stderr.
 */
function openResolvedStore(descriptor: ResolvedStore): Promise<SessionStore> {
  if (descriptor.routersCaveat) {
    writeError(`django-sessions: warning: ${descriptor.id}: ${descriptor.routersCaveat}.\n`);
  }
  const needsDatabase = descriptor.engine === 'db' || descriptor.engine === 'cached_db';
  const needsCache = descriptor.engine === 'cache' || (descriptor.engine === 'cached_db' && descriptor.tableOnlyRefusal === undefined);
  const lacking =
    needsDatabase && !descriptor.database ? 'DATABASES' : needsCache && !descriptor.cache ? 'CACHES' : descriptor.engine === 'file' && !descriptor.fileDir ? 'SESSION_FILE_PATH' : undefined;
  if (lacking && descriptor.settingsProblems?.length) {
    const env = descriptor.envNote ? ` Note: ${descriptor.envNote}.` : '';
    throw new CliError(ExitCode.store, `${descriptor.id}: no usable ${lacking} in the settings (${problemsAbout(lacking, descriptor.settingsProblems).join('; ')}); pass --store URL.${env}`);
  }
  return openStore(descriptor, { urlHint: '--store URL' });
}

/**
 * The problems that may explain why a setting is missing: those about it ("file:line: NAME…:
 * reason") and those about no one setting (a module not found), not those about other settings.
 */
function problemsAbout(setting: string, problems: string[]): string[] {
  return problems.filter((line) => {
    const named = /^.*?:\d+: ([A-Z][A-Z0-9_]*)[[:]/.exec(line)?.[1];
    return named === undefined || named === setting;
  });
}

/** A well-formed key no session has, whose lookup is the cheapest read every store answers. */
const PROBE_KEY = '0'.repeat(32);

/**
 * Opens every store and reads from each (a lookup of a key no session has), so a store that cannot
 * be reached, or lacks its table or directory, fails the command before anything is changed in
 * another. On a failure the stores opened so far are closed again.
 */
export async function openReachable(stores: readonly ResolvedStore[]): Promise<SessionStore[]> {
  const opened: SessionStore[] = [];
  try {
    for (const descriptor of stores) {
      const store = await openResolvedStore(descriptor);
      opened.push(store);
      await store.get(PROBE_KEY);
    }
    return opened;
  } catch (err) {
    await Promise.all(opened.map((store) => store.close()));
    throw err;
  }
}

/** Runs `body` with the first store, closing it afterwards. */
export async function withStore<T>(descriptor: ResolvedStore, body: (store: SessionStore) => Promise<T>): Promise<T> {
  const store = await openResolvedStore(descriptor);
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

/**
 * Runs `body` on the store that holds `sessionKey`: the first of the resolved stores that has
 * it. A key in none of them is "not found" (exit 1), which says where the full keys are: `list`
 * prints them masked, so a key copied from its output names no session.
 */
export async function withSessionStore<T>(stores: ResolvedStore[], sessionKey: string, body: (store: SessionStore, descriptor: StoreDescriptor) => Promise<T>): Promise<T> {
  try {
    for (const descriptor of stores) {
      const store = await openResolvedStore(descriptor);
      try {
        if (stores.length === 1 || (await store.get(sessionKey))) {
          return await body(store, descriptor);
        }
      } finally {
        await store.close();
      }
    }
    throw sessionNotFound(stores.map((s) => s.id));
  } catch (err) {
    throw withFullKeysHint(err, sessionKey);
  }
}

/** "Not found" for the session key a command was given. */
export function sessionNotFound(storeIds: string[]): StoreError {
  return new StoreError('not-found', `No session with that key in ${storeIds.join(', ')}.`);
}

// Only a key too short to be one, or that names no session, gets the hint; one deleted while it was being changed was right.
function withFullKeysHint(err: unknown, sessionKey: string): unknown {
  const wrongKey = err instanceof StoreError && (err.code === 'invalid-key' || (err.code === 'not-found' && err.message.startsWith('No session')));
  if (!wrongKey) {
    return err;
  }
  const masked = sessionKey.includes(KEY_MASK_CHAR) ? ' That key is masked, as list prints it;' : '';
  return new StoreError(err.code, `${err.message}${masked} django-sessions list --show-keys prints the full keys.`);
}
