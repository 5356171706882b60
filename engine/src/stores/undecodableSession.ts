import { versionAtLeast } from '../project/djangoVersion';

/** The characters standard base64 decodes; `base64.b64decode` without validate=True drops the others. */
const STANDARD_BASE64 = /[A-Za-z0-9+/]/g;

/**
 * Whether Django 3.1/3.2 raise on signed session data whose signature verified but which did not
 * load (another serializer's bytes, after a SESSION_SERIALIZER switch): their `decode()` then
 * hands it to `_legacy_decode`, whose first line, outside its try, is `base64.b64decode(...)`.
 * That drops the `-_.:` of the signed text and raises binascii.Error unless the characters left
 * number a multiple of four; otherwise what it decodes to is read as an empty session.
 */
export function legacyDecodeRaises(sessionData: string): boolean {
  return (sessionData.match(STANDARD_BASE64)?.length ?? 0) % 4 !== 0 || /[^\x00-\x7f]/.test(sessionData);
}

/**
 * What the project's Django does with stored session data that its signature verified but that
 * does not load: Django 4.0+ starts an empty session; 3.1/3.2 do too, or raise binascii.Error
 * (see legacyDecodeRaises), a server error on every request with its cookie. An unknown version
 * may be either.
 */
export function verifiedUndecodableOutcome(sessionData: string, djangoVersion: string | undefined): string {
  const empty = 'Django would start an empty session for it';
  if (!legacyDecodeRaises(sessionData) || (djangoVersion !== undefined && versionAtLeast(djangoVersion, 4, 0))) {
    return empty;
  }
  const raises = 'raises binascii.Error on it (it tries the pre-3.1 format on data that verified but does not load), a server error on every request with its cookie; delete it';
  return djangoVersion === undefined ? `Django 4.0+ would start an empty session for it, but Django 3.1/3.2 ${raises.replace('raises', 'raise')}` : `Django ${djangoVersion} ${raises}`;
}

/**
 * What the project's Django makes of stored data we cannot decode, for the CLI and the view alike: its decode() swallows corrupt data and starts an
 * empty session (3.1/3.2 may raise on data whose signature held), but a pickle we refuse to run may load in Django, and data that is no dict
 * loads and then fails the request.
 */
export function undecodableOutcome({ code, afterValidSignature }: { code: string; afterValidSignature?: true }, raw: string, djangoVersion: string | undefined): string {
  if (code === 'unsupported-pickle-global') {
    return 'it is refused here, since reading it would run code, but Django unpickles it and may well load it';
  }
  if (code === 'foreign-format') {
    return 'Django, whose cache is configured for that format, reads it as usual';
  }
  if (code === 'unreadable-file') {
    return 'a Django running as its owner loads it, and one running as this user starts an empty session instead';
  }
  if (code === 'not-a-dict') {
    return "Django loads it as it is, and a request that uses the session then fails (a server error), so delete it";
  }
  return afterValidSignature ? verifiedUndecodableOutcome(raw, djangoVersion) : 'Django would start an empty session for it';
}
