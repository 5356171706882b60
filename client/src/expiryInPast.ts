/** The widest offset of any time zone: a date without one has passed everywhere once it is this far behind UTC's now. */
const WIDEST_OFFSET_MS = 14 * 3_600_000;

/**
 * Whether an expiry date typed for Set Expiry has already passed, so that setting it expires the
 * session at once. A date without Z or an offset is in the project's TIME_ZONE, which the editor
 * does not know: it counts as passed only once it has in every zone.
 */
export function expiryInPast(iso: string, now = Date.now()): boolean {
  const text = iso.trim().replace(' ', 'T');
  if (/(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    return Date.parse(text) <= now;
  }
  return Date.parse(`${text}Z`) + WIDEST_OFFSET_MS <= now;
}
