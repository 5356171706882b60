import { pyRepr, undecodableOutcome, unloadedKeyHint, type SessionRecord, type StoreDescriptor } from '../../../engine/src';
import type { ParsedArgs } from '../args';
import { CliError, ExitCode } from '../exitCodes';
import { toJsonText } from '../jsonOutput';
import { pyDataJson, pyValueText } from '../pyJson';
import { expiryMarker, sessionJson } from './list';
import { noteAssumedSettings, positional, sessionNotFound, withSessionStore } from './storeAccess';
import { writeError } from '../terminalText';

/** `show KEY`: one decoded session. */
export async function showCommand(args: ParsedArgs, stores: StoreDescriptor[], out: (text: string) => void): Promise<number> {
  const key = positional(args, 0, 'a session KEY');
  return withSessionStore(stores, key, async (store, descriptor) => {
    const record = await store.get(key);
    if (!record) {
      throw sessionNotFound([descriptor.id]);
    }
    noteAssumedSettings(descriptor);
    const now = Date.now();
    if (args.json) {
      out(toJsonText({ store: descriptor.id, ...sessionJson(record, now) }));
    } else {
      const d = record.decoded;
      out(`expires   ${record.expireDate?.toISOString() ?? 'unknown'}${expiryMarker(record, now)}`);
      out(`signature ${d.ok ? d.session.signature : 'undecodable'}`);
      out(d.ok ? pyRepr(d.session.data) : `undecodable: ${d.message}`);
      if (record.served?.ok) {
        out(`cache     drift: ${record.cacheNote ?? ''} Django serves:`);
        out(pyRepr(record.served.session.data));
      }
    }
    return untrusted(record, descriptor);
  });
}

/**
 * As `decode`: data that does not verify, or cannot be decoded at all, is a decode error
 * (exit 4), shown but not trusted, with the reason on stderr; ok otherwise.
 */
function untrusted(record: SessionRecord, descriptor: StoreDescriptor): number {
  const decoded = record.decoded;
  if (!decoded.ok) {
    writeError(`django-sessions: the session data cannot be decoded (${decoded.message}); ${undecodableOutcome(decoded, record.raw, descriptor.djangoVersion)}.\n`);
    return ExitCode.decode;
  }
  if (decoded.session.signature !== 'invalid') {
    return ExitCode.ok;
  }
  const rejection = decoded.session.rejection;
  const check =
    unloadedKeyHint(descriptor) ??
    (descriptor.secretKeys.variable ? `check $${descriptor.secretKeys.variable}` : "check the settings' SECRET_KEY and SECRET_KEY_FALLBACKS, or name a variable holding the key with --secret-key-env");
  writeError(
    `django-sessions: ${rejection ? `Django would refuse this session: ${rejection.message}.` : `the signature does not match SECRET_KEY or its fallbacks, so Django would discard this session; ${check}.`}\n`,
  );
  return ExitCode.decode;
}

/** `get KEY NAME`: one value of a session, as JSON the way Python writes it. */
export async function getCommand(args: ParsedArgs, stores: StoreDescriptor[], out: (text: string) => void): Promise<number> {
  const key = positional(args, 0, 'a session KEY');
  const name = positional(args, 1, 'a value NAME');
  return withSessionStore(stores, key, async (store, descriptor) => {
    const record = await store.get(key);
    if (!record) {
      throw sessionNotFound([descriptor.id]);
    }
    if (!record.decoded.ok) {
      throw new CliError(ExitCode.decode, `The session cannot be decoded: ${record.decoded.message}.`);
    }
    const data = record.decoded.session.data;
    if (!data.has(name)) {
      throw new CliError(ExitCode.notFound, `The session has no "${name}"; "show" lists its keys.`);
    }
    if (record.served) {
      writeError(`django-sessions: note: this is the row's value; the session's cache entry differs from its row, and Django serves the cache entry ("show" prints both).\n`);
    }
    const value = data.get(name)!;
    out(args.json ? toJsonText({ store: descriptor.id, sessionKey: key, name, value: pyDataJson(value) }) : pyValueText(value));
    return untrusted(record, descriptor);
  });
}
