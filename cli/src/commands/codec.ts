import {
  CodecError,
  DEFAULT_SESSION_SALT,
  decodeSessionData,
  encodeSessionData,
  PyDict,
  pythonJsonParse,
  SIGNED_COOKIES_SALT,
  type DecodedSession,
  type HashAlgorithm,
} from '../../../engine/src';
import type { ParsedArgs } from '../args';
import { CliError, ExitCode } from '../exitCodes';
import { toJsonText } from '../jsonOutput';
import { pyDataJson } from '../pyJson';
import { DEFAULT_KEY_VARIABLE } from '../secretKeys';
import { codecSettings, type CodecSettings } from './codecSettings';
import { positional } from './storeAccess';

type Out = (text: string) => void;
type Err = (text: string) => void;

/** Django's default SESSION_COOKIE_AGE, the max age signed_cookies enforces. */
const DEFAULT_COOKIE_AGE = 1209600;

/** `decode DATA`: a db/file/cache `session_data` string, decoded and (with a key) verified. */
export async function decodeCommand(args: ParsedArgs, env: NodeJS.ProcessEnv, out: Out, err: Err): Promise<number> {
  const settings = await codecSettings(args, env, false);
  return decodeAndPrint(args, out, err, settings, { salt: stringFlag(args, '--salt') ?? settings.salt ?? DEFAULT_SESSION_SALT });
}

/** `decode-cookie VALUE`: a signed_cookies session cookie, verified with its salt and max age (the project's SESSION_COOKIE_AGE with --project). */
export async function decodeCookieCommand(args: ParsedArgs, env: NodeJS.ProcessEnv, out: Out, err: Err): Promise<number> {
  const settings = await codecSettings(args, env, true);
  return decodeAndPrint(args, out, err, settings, {
    salt: stringFlag(args, '--salt') ?? settings.salt ?? SIGNED_COOKIES_SALT,
    maxAgeSeconds: intFlag(args, '--max-age') ?? settings.cookieAgeSeconds ?? DEFAULT_COOKIE_AGE,
  });
}

/** `encode JSON`: the `session_data` Django would store for this dict. */
export async function encodeCommand(args: ParsedArgs, env: NodeJS.ProcessEnv, out: Out): Promise<number> {
  const settings = await codecSettings(args, env, false);
  // Django 3.1/3.2 with DEFAULT_HASHING_ALGORITHM = 'sha1' store sessions in the pre-3.1 format.
  const legacy = args.flags.get('--legacy') === true || (settings.hashingAlgorithm === 'sha1' && !args.flags.has('--algorithm'));
  return encodeAndPrint(args, out, settings, stringFlag(args, '--salt') ?? settings.salt ?? DEFAULT_SESSION_SALT, legacy);
}

/** `sign-cookie JSON`: the cookie value the signed_cookies engine would set for this dict. */
export async function signCookieCommand(args: ParsedArgs, env: NodeJS.ProcessEnv, out: Out): Promise<number> {
  const settings = await codecSettings(args, env, true);
  return encodeAndPrint(args, out, settings, stringFlag(args, '--salt') ?? settings.salt ?? SIGNED_COOKIES_SALT, false);
}

function decodeAndPrint(args: ParsedArgs, out: Out, err: Err, settings: CodecSettings, options: { salt: string; maxAgeSeconds?: number }): number {
  const data = positional(args, 0, 'the encoded data');
  const secretKeys = settings.secretKeys;
  const djangoVersion = versionFlag(args) ?? settings.djangoVersion;
  const hashingAlgorithm = algorithmFlag(args) ?? settings.hashingAlgorithm;
  let decoded: DecodedSession;
  try {
    decoded = decodeSessionData(data.trim(), { ...options, secretKeys, serializer: serializerFlag(args) ?? settings.serializer ?? 'json', djangoVersion, hashingAlgorithm });
  } catch (e) {
    if (e instanceof CodecError) {
      throw new CliError(ExitCode.decode, `cannot decode (${e.code}): ${e.message}`);
    }
    throw e;
  }
  if (args.json) {
    out(
      toJsonText({
        data: pyDataJson(decoded.data),
        signature: decoded.signature,
        keyIndex: decoded.keyIndex,
        algorithm: decoded.algorithm,
        format: decoded.format,
        compressed: decoded.compressed,
        signedAt: decoded.signedAt,
        rejection: decoded.rejection,
        djangoVersion,
      }),
    );
  } else {
    out(pyDataJson(decoded.data).text);
    err(signatureNote(decoded));
  }
  if (decoded.signature === 'invalid') {
    if (args.json) {
      err(`django-sessions: ${decoded.rejection ? `Django would refuse this data: ${decoded.rejection.message}.` : 'the signature does not match SECRET_KEY or its fallbacks, or the salt is wrong (--salt).'}`);
    }
    return ExitCode.decode;
  }
  return ExitCode.ok;
}

function encodeAndPrint(args: ParsedArgs, out: Out, settings: CodecSettings, salt: string, legacy: boolean): number {
  const text = positional(args, 0, 'the session dict as JSON');
  const algorithm = algorithmFlag(args) ?? settings.hashingAlgorithm ?? 'sha256';
  const djangoVersion = versionFlag(args) ?? settings.djangoVersion;
  if (djangoVersion !== undefined && majorOf(djangoVersion) >= 4 && (legacy || algorithm === 'sha1')) {
    throw new CliError(ExitCode.usage, `Django ${djangoVersion} cannot read ${legacy ? 'the pre-3.1 format (--legacy)' : 'sha1 signatures (--algorithm sha1)'}; both ended in 4.0.`);
  }
  const secretKeys = settings.secretKeys;
  if (secretKeys.length === 0) {
    throw new CliError(ExitCode.usage, `signing needs SECRET_KEY: ${settings.missing ?? `set ${keyVar(args)} (or name another variable with --secret-key-env)`}.`);
  }
  let data: unknown;
  try {
    data = pythonJsonParse(text);
  } catch (e) {
    throw new CliError(ExitCode.usage, `the session must be JSON: ${(e as Error).message}`);
  }
  if (!(data instanceof PyDict)) {
    throw new CliError(ExitCode.usage, 'the session must be a JSON object, e.g. {"cart": [1, 2]}.');
  }
  const encoded = encodeSessionData(data, { secretKeys, salt, serializer: serializerFlag(args) ?? settings.serializer ?? 'json', format: legacy ? 'legacy' : 'signed', algorithm });
  out(args.json ? toJsonText({ encoded }) : encoded);
  return ExitCode.ok;
}

function signatureNote(decoded: DecodedSession): string {
  switch (decoded.signature) {
    case 'valid':
      return `signature valid (${decoded.keyIndex ? `SECRET_KEY_FALLBACKS[${decoded.keyIndex - 1}]` : 'SECRET_KEY'}, ${decoded.algorithm ?? 'sha256'}${decoded.format === 'legacy' ? ', pre-3.1 format' : ''})`;
    case 'invalid':
      return decoded.rejection
        ? `signature INVALID for Django: ${decoded.rejection.message}`
        : 'signature INVALID: not signed with this SECRET_KEY or salt';
    case 'unverified':
      return 'signature not verified (no SECRET_KEY given)';
    case 'unsigned':
      return 'not signed';
  }
}

function keyVar(args: ParsedArgs): string {
  return stringFlag(args, '--secret-key-env') ?? DEFAULT_KEY_VARIABLE;
}

/** `--algorithm sha1|sha256`: what signs (encode, sign-cookie), and DEFAULT_HASHING_ALGORITHM of 3.1/3.2 when decoding. */
function algorithmFlag(args: ParsedArgs): HashAlgorithm | undefined {
  const value = stringFlag(args, '--algorithm');
  if (value !== undefined && value !== 'sha1' && value !== 'sha256') {
    throw new CliError(ExitCode.usage, '--algorithm takes sha256 or sha1 (sha1 only for Django 3.1/3.2 with DEFAULT_HASHING_ALGORITHM = \'sha1\').');
  }
  return value;
}

/** `--django-version X.Y`: judge (or write) the data as that Django would. */
function versionFlag(args: ParsedArgs): string | undefined {
  const value = stringFlag(args, '--django-version');
  const [major = 0, minor = 0] = value?.split('.').map(Number) ?? [];
  if (value !== undefined && (!/^\d+\.\d+(\.\d+)?$/.test(value) || major < 3 || (major === 3 && minor < 1))) {
    throw new CliError(ExitCode.usage, `--django-version takes a version such as 3.2 or 5.2 (3.1 or later), not ${JSON.stringify(value)}.`);
  }
  return value;
}

function majorOf(version: string): number {
  return Number.parseInt(version, 10);
}

function serializerFlag(args: ParsedArgs): 'json' | 'pickle' | undefined {
  const value = stringFlag(args, '--serializer');
  if (value !== undefined && value !== 'json' && value !== 'pickle') {
    throw new CliError(ExitCode.usage, '--serializer takes json or pickle.');
  }
  return value;
}

function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  return typeof value === 'string' ? value : undefined;
}

function intFlag(args: ParsedArgs, name: string): number | undefined {
  const value = stringFlag(args, name);
  if (value === undefined) {
    return undefined;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new CliError(ExitCode.usage, `${name} takes a whole number of seconds.`);
  }
  return n;
}
