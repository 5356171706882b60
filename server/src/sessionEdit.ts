import {
  CachedDbSessionStore,
  PyDict,
  PyOrderedDict,
  isJsonShaped,
  MAX_SESSION_NESTING,
  microsInText,
  noCacheBesideTable,
  pythonJsonParse,
  pythonJsonStringify,
  pyRepr,
  StoreError,
  TOO_DEEP,
  valueNesting,
  type ExpirySetting,
  type PyValue,
  type SessionRecord,
  type SessionStore,
  type StoreDescriptor,
  parseNaiveDatetime,
  pyTypeName,
  withMicros,
} from '../../engine/src';
import type { ExpiryChoice, SessionEdit } from './protocol';
import { jsonOf } from './sessionPresenter';

/**
 * Applies one change from the editor to one session. The store re-reads the session and refuses
 * if Django wrote to it in between, or if the change sets an expiry Django would fail on.
 */
export async function applySessionEdit(store: SessionStore, key: string, edit: SessionEdit): Promise<SessionRecord | undefined> {
  switch (edit.kind) {
    case 'flush':
      // The ref stays: asked about again, it reads as a session that no longer exists.
      if (!(await store.delete(key))) {
        throw new StoreError('not-found', 'This session was already gone (Django deleted it, or it expired); nothing was deleted. Refresh the view.');
      }
      return;
    case 'clear':
      await store.clear(key);
      return;
    case 'cycleKey':
      // The old key's ref reads as gone; the new session is returned, to be named.
      return store.cycleKey(key);
    case 'setExpiry': {
      await store.setExpiry(key, expirySetting(edit.expiry, store.descriptor));
      return;
    }
    case 'deleteValue':
      await store.update(key, (data) => {
        unchangedSinceShown(data, edit.key, edit.expected);
        data.delete(edit.key);
      });
      return;
    case 'setValue': {
      const value = parseValue(edit.json);
      await store.update(key, (data) => {
        unchangedSinceShown(data, edit.key, edit.expected);
        refuseInexactValue(edit.key, data.get(edit.key));
        data.set(edit.key, value);
      });
      return;
    }
    case 'invalidateCache':
      await asCachedDb(store).invalidate(key);
      return;
  }
}

/** The store as cached_db, for the requests only that engine has; a StoreError for any other. */
export function asCachedDb(store: SessionStore): CachedDbSessionStore {
  if (!(store instanceof CachedDbSessionStore)) {
    throw new StoreError('unsupported', noCacheBesideTable(store));
  }
  return store;
}

/**
 * The editor's expiry choice as the engine's. A date without a zone is the project's wall-clock
 * time in its TIME_ZONE, as Django's forms read one; where that zone is only assumed (a store URL
 * without settings), the date must name its zone.
 */
function expirySetting(choice: ExpiryChoice, descriptor: StoreDescriptor): ExpirySetting {
  if (choice.kind !== 'at') {
    return choice;
  }
  const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(choice.iso);
  // Seconds may be left out, as in 2030-01-01T18:00.
  const naive = choice.iso.replace(/^(\S+[T ]\d{2}:\d{2})$/, '$1:00');
  const parsed = zoned ? new Date(choice.iso) : descriptor.assumedTimeSettings ? undefined : parseNaiveDatetime(naive, { useTz: false, timeZone: descriptor.timeZone });
  // A Date holds milliseconds: the microseconds typed are kept aside, for the expire_date written.
  const date = parsed && withMicros(parsed, microsInText(choice.iso));
  if (!date || Number.isNaN(date.getTime())) {
    const withoutZone = descriptor.assumedTimeSettings
      ? ` (${descriptor.assumedTimeReason === undefined ? 'no settings say TIME_ZONE for this store URL' : 'the settings do not give TIME_ZONE statically'}, so give the zone)`
      : `, or without one for ${descriptor.timeZone}`;
    throw new StoreError('bad-input', `"${choice.iso}" is not a date and time: use ISO 8601 with Z or an offset, e.g. 2030-01-01T12:00:00Z${withoutZone}.`);
  }
  return { kind: 'at', date };
}

/** Longer shown values are cut, so a conflict message stays one readable line. */
const SHOWN_VALUE = 80;

/**
 * Refuses, as a conflict, a change to a value Django changed or removed after the view showed it
 * as `expected`: the edit was made against what the user saw, and writing it would lose Django's.
 */
function unchangedSinceShown(data: PyDict, key: string, expected: string | undefined): void {
  if (expected === undefined) {
    return;
  }
  const current = data.get(key);
  if (current !== undefined && jsonOf(current) === expected) {
    return;
  }
  if (current === undefined) {
    throw new StoreError('conflict', `Django removed "${key}" after the view showed it; nothing was written.`);
  }
  const now = readable(current);
  const shown = now.length > SHOWN_VALUE ? `${now.slice(0, SHOWN_VALUE)}…` : now;
  throw new StoreError('conflict', `Django changed "${key}" after the view showed it (it is now ${shown}); nothing was written. Edit the value again if your change still applies.`);
}

/** A value as a conflict names it: as JSON, or its Python repr where JSON cannot hold it. */
function readable(value: PyValue): string {
  try {
    return pythonJsonStringify(value);
  } catch {
    return pyRepr(value);
  }
}

/**
 * Refuses to replace, from JSON, a value JSON cannot hold exactly (from a pickled session): the
 * view shows a tuple as a list, an OrderedDict as a dict and a dict's int keys as str, so saving what it shows, even
 * unchanged, would hand Django's code another type than it stored.
 */
function refuseInexactValue(key: string, current: PyValue | undefined): void {
  if (current === undefined || isJsonShaped(current)) {
    return;
  }
  const type = pyTypeName(current);
  const what = (Array.isArray(current) || current instanceof PyDict) && !(current instanceof PyOrderedDict) ? `a ${type} with parts` : `${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type}, which`;
  throw new StoreError(
    'unsupported',
    `"${key}" holds ${what} JSON cannot hold exactly: saved as JSON, a tuple would become a list, an OrderedDict a dict and a key other than str a str; nothing was written. Change it from your code, or remove it with Remove Value.`,
  );
}

/** Whether `json` reads as a value parseValue takes, as Edit Value's input box asks before it is saved. */
export function isValueJson(json: string): boolean {
  try {
    parseValue(json);
    return true;
  } catch {
    return false;
  }
}

/** A value typed by the user, read as Python's json.loads would. */
function parseValue(json: string): PyValue {
  let value: PyValue;
  try {
    value = pythonJsonParse(json);
  } catch (err) {
    throw new StoreError('bad-input', `The value must be JSON (e.g. "text", 42, [1, 2] or {"a": 1}): ${(err as Error).message}`);
  }
  // The session's own dict holds it, one level more.
  if (valueNesting(value) + 1 > MAX_SESSION_NESTING) {
    throw new StoreError('bad-input', `The value's ${TOO_DEEP}; nothing was written.`);
  }
  return value;
}
