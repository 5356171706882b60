import { CodecError, pythonJsonParse, StoreError, type SessionRecord, type SessionStore, type StoreDescriptor } from '../../../engine/src';
import type { ParsedArgs } from '../args';
import { CliError, ExitCode } from '../exitCodes';
import { toJsonText } from '../jsonOutput';
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
      out(toJsonText({ store: descriptor.id, done: what, sessionKey: record?.key, expireDate: record?.expireDate }));
    } else {
      out(record && record.key !== key ? record.key : `${what}: done`);
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
    throw new CliError(ExitCode.usage, `The value is not JSON (${err instanceof CodecError ? err.message : String(err)}); quote strings, e.g. '"blue"'.`);
  }
  return change(args, stores, out, 'set', (store, key) => store.update(key, (data) => void data.set(name, value)));
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

/** `cycle-key KEY`: the same data under a new key; prints the new key (the old one stops working). */
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
    const seconds = Number(value);
    if (typeof value !== 'string' || !Number.isInteger(seconds)) {
      throw new CliError(ExitCode.usage, '--in takes whole seconds, e.g. --in 3600.');
    }
    setting = { kind: 'seconds', seconds };
  } else if (flag === '--at') {
    const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime()) || typeof value !== 'string' || !/(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
      throw new CliError(ExitCode.usage, '--at takes an ISO 8601 time with a zone, e.g. --at 2030-01-01T12:00:00Z.');
    }
    setting = { kind: 'at', date };
  } else if (flag === '--at-browser-close') {
    setting = { kind: 'browser-close' };
  } else if (flag === '--default') {
    setting = { kind: 'default' };
  } else {
    setting = { kind: 'now' };
  }
  return change(args, stores, out, 'expire', (store, key) => store.setExpiry(key, setting));
}
