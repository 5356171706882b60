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
