/**
 * `scheme://user:password@host/…` as `scheme://host/…`, for a location shown to people. The
 * credentials end at the last `@` before the query, as redis-py reads them, since a password may
 * hold `@` (or `/`).
 */
export function withoutUserinfo(location: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(location);
  if (!scheme) {
    return location;
  }
  const query = location.search(/[?#]/);
  const at = location.lastIndexOf('@', query === -1 ? location.length : query);
  return at < scheme[0].length ? location : scheme[0] + location.slice(at + 1);
}

/**
 * Text that may hold `user:password@` (a store URL, perhaps mistyped), with the password left out,
 * for messages and logs. The credentials run from the start of the authority (after `//`, else
 * after the scheme's colon) to the last `@`, since a password may itself hold `/` or `@`.
 */
export function withoutPassword(text: string): string {
  const at = text.lastIndexOf('@');
  if (at < 0) {
    return text;
  }
  const slashes = text.indexOf('//');
  const start = slashes >= 0 && slashes < at ? slashes + 2 : text.indexOf(':') + 1;
  const colon = text.indexOf(':', start);
  return colon >= 0 && colon < at ? `${text.slice(0, colon)}:…${text.slice(at)}` : text;
}
