import { CodecError, EXPIRY_KEY, maskSessionKey, MAX_SESSION_NESTING, pythonJsonParse, StoreError, TOO_DEEP, valueNesting, withMicros, type SessionRecord, type SessionStore, type StoreDescriptor } from '../../../engine/src';
import type { ParsedArgs } from '../args';
import { CliError, ExitCode } from '../exitCodes';
import { toJsonText } from '../jsonOutput';
import { writeError } from '../terminalText';
import { confirmDestructive, positional, withSessionStore } from './storeAccess';

type Out = (text: string) => void;

/** Runs one change on the session named by the first positional, after the non-local confirmation. */
async function change(args: ParsedArgs, stores: StoreDescriptor[], out: Out, what: string, body: (store: SessionStore, key: string) => Promise<SessionRecord | boolean>): Promise<number> {
  const key = positional(args, 0, 'a session KEY');
  // Asked before connecting: the confirmation is about the host, whichever store holds the key.
  stores.forEach((descriptor) => confirmDestructive(args, descriptor, what));
  return withSessionStore(stores, key, async (store, descriptor) => {
    const result = await body(store, key);
    if (result === false) {
      throw new StoreError('not-found', `No session with that key in ${descriptor.id}; nothing was deleted.`);
    }
    const record = typeof result === 'boolean' ? undefined : result;
    if (args.json) {
      // The key the session has now (the one given, deleted by flush), and after cycle-key the one it had.
      const cycledFrom = record && record.key !== key ? { previousSessionKey: key } : {};
      out(toJsonText({ store: descriptor.id, done: what, sessionKey: record?.key ?? key, ...cycledFrom, expireDate: record?.expireDate }));
    } else {
      // The new key is a credential, and stdout is often a CI log: masked as list masks keys, unless --show-keys.
      const cycled = record && record.key !== key ? (args.flags.has('--show-keys') ? record.key : `${what}: done, new key ${maskSessionKey(record.key)} (--show-keys prints it in full)`) : undefined;
      out(cycled ?? `${what}: done`);
    }
    return ExitCode.ok;
  });
}

/** `set KEY NAME JSON`: set one value; the JSON is read as Python's json.loads would. */
export function setCommand(args: ParsedArgs, stores: StoreDescriptor[], out: Out): Promise<number> {
  const name = positional(args, 1, 'a value NAME');
  const json = positional(args, 2, 'a JSON value');
  let value: ReturnType<typeof pythonJsonParse>;
  try {
    value = pythonJsonParse(json);
  } catch (err) {
    const why = err instanceof CodecError ? err.message : String(err);
    throw new CliError(ExitCode.usage, /recursion depth/.test(why) ? tooDeep() : `The value is not JSON (${why}); quote strings, e.g. '"blue"'.`);
  }
  if (valueNesting(value) + 1 > MAX_SESSION_NESTING) {
    throw new CliError(ExitCode.usage, tooDeep());
  }
  return change(args, stores, out, 'set', (store, key) => store.update(key, (data) => void data.set(name, value)));
}

function tooDeep(): string {
  return `The value's ${TOO_DEEP}; nothing was written.`;
}

/** `delete-key KEY NAME`: remove one value. */
export function deleteKeyCommand(args: ParsedArgs, stores: StoreDescriptor[], out: Out): Promise<number> {
  const name = positional(args, 1, 'a value NAME');
  return change(args, stores, out, 'delete-key', (store, key) =>
    store.update(key, (data) => {
      if (!data.delete(name)) {
        throw new CliError(ExitCode.notFound, `The session has no "${name}"; nothing was changed.`);
      }
    }),
  );
}

/** `clear KEY`: empty the data, keep the session. */
export function clearCommand(args: ParsedArgs, stores: StoreDescriptor[], out: Out): Promise<number> {
  return change(args, stores, out, 'clear', (store, key) => store.clear(key));
}

/** `flush KEY`: delete the session. */
export function flushCommand(args: ParsedArgs, stores: StoreDescriptor[], out: Out): Promise<number> {
  return change(args, stores, out, 'flush', (store, key) => store.delete(key));
}

/** `cycle-key KEY`: the same data under a new key, which it prints, masked unless --show-keys (the old one stops working). */
export function cycleKeyCommand(args: ParsedArgs, stores: StoreDescriptor[], out: Out): Promise<number> {
  return change(args, stores, out, 'cycle-key', (store, key) => store.cycleKey(key));
}

/** `expire KEY (--in SECONDS | --at ISO | --at-browser-close | --default | --now)`. */
export function expireCommand(args: ParsedArgs, stores: StoreDescriptor[], out: Out): Promise<number> {
  const chosen = ['--in', '--at', '--at-browser-close', '--default', '--now'].filter((f) => args.flags.has(f));
  if (chosen.length !== 1) {
    throw new CliError(ExitCode.usage, 'expire needs exactly one of --in SECONDS, --at ISO, --at-browser-close, --default, --now.');
  }
  const flag = chosen[0]!;
  const value = args.flags.get(flag);
  let setting: Parameters<SessionStore['setExpiry']>[1];
  if (flag === '--in') {
    setting = { kind: 'seconds', seconds: inactivitySeconds(String(value)) };
  } else if (flag === '--at') {
    setting = { kind: 'at', date: isoInstant(String(value)) };
  } else if (flag === '--at-browser-close') {
    setting = { kind: 'browser-close' };
  } else if (flag === '--default') {
    setting = { kind: 'default' };
  } else {
    setting = { kind: 'now' };
  }
  return change(args, stores, out, 'expire', async (store, key) => {
    const record = await store.setExpiry(key, setting);
    const stored = record.decoded.ok ? record.decoded.session.data.get(EXPIRY_KEY) : undefined;
    if (setting.kind === 'at' && typeof stored === 'bigint') {
      writeError(
        `django-sessions: note: ${store.descriptor.id}: before Django 4.1, a JSONSerializer session cannot keep a date (set_expiry(datetime) fails to save there), so the expiry was written as seconds from now, ${stored}, which Django reads as inactivity: each save of the session moves its expiry on by as much; Django 4.1+ keeps the date itself.\n`,
      );
    }
    return record;
  });
}

/** `--in`: whole seconds of inactivity, as `set_expiry(n)` takes them; 0 and negatives have their own flags. */
function inactivitySeconds(text: string): number {
  if (!/^-?\d+$/.test(text)) {
    throw new CliError(ExitCode.usage, `--in takes whole seconds, e.g. --in 3600, not "${text}".`);
  }
  const seconds = Number(text);
  if (seconds <= 0) {
    throw new CliError(ExitCode.usage, seconds === 0 ? '--in 0 is set_expiry(0), which Django reads as "at browser close"; say --at-browser-close.' : 'A session cannot expire a negative time from now; to expire it, say --now.');
  }
  return seconds;
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** `--at`: an ISO 8601 date and time with its zone, a real one (no 30 February), to the microsecond. */
function isoInstant(text: string): Date {
  if (/^\d{5,}-/.test(text)) {
    throw new CliError(ExitCode.usage, "--at is beyond year 9999, where Django's datetimes end.");
  }
  const m = ISO_INSTANT.exec(text);
  if (!m) {
    throw new CliError(ExitCode.usage, `--at takes an ISO 8601 time with a zone, e.g. --at 2030-01-01T12:00:00Z, not "${text}".`);
  }
  const [year, month, day, hour, minute, second = '0'] = m.slice(1, 7).map((part) => part ?? '0');
  const fields = [Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)] as const;
  const utc = new Date(Date.UTC(...fields));
  utc.setUTCFullYear(fields[0]);
  const real = [utc.getUTCFullYear(), utc.getUTCMonth(), utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes(), utc.getUTCSeconds()].every((v, i) => v === fields[i]);
  if (!real) {
    throw new CliError(ExitCode.usage, `--at names no such time: "${text}".`);
  }
  const zone = m[8]!.toUpperCase();
  const [offsetHours, offsetMins] = zone === 'Z' ? [0, 0] : [Number(zone.slice(1, 3)), zone.length > 3 ? Number(zone.slice(-2)) : 0];
  if (offsetHours > 23 || offsetMins > 59) {
    throw new CliError(ExitCode.usage, `--at has no such offset: ${zone} (offsets are less than 24 hours).`);
  }
  const offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMins);
  const fraction = (m[7] ?? '').padEnd(6, '0');
  // The microseconds past the millisecond go with the Date, so expire_date keeps all six digits.
  return withMicros(new Date(utc.getTime() - offsetMinutes * 60_000 + Math.floor(Number(fraction) / 1000)), Number(fraction) % 1000);
}
