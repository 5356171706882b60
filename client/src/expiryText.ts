/**
 * "expires in 3 days", "expired 2 hours ago": relative text for a session's expiry;
 * `outlivesCookie` for a session its store keeps past that date, `atBrowserClose` for one whose
 * cookie ends with the browser, which also ends at that date for a browser still open then, as
 * Django loads it no more (see SessionSummary).
 */
export function describeExpiry(expireDate: string | undefined, expired: boolean, now = Date.now(), outlivesCookie = false, atBrowserClose = false): string {
  if (!expireDate) {
    return atBrowserClose ? 'ends when the browser closes' : 'expiry unknown';
  }
  const span = humanSpan(Math.abs(Date.parse(expireDate) - now));
  if (outlivesCookie) {
    return `cookie expired ${span} ago, session kept`;
  }
  if (atBrowserClose && !expired) {
    return `ends when the browser closes, or in ${span}`;
  }
  return expired ? `expired ${span} ago` : `expires in ${span}`;
}

/** "3 days", "2 hours", "less than a minute": a span of `ms` milliseconds, rounded to its largest unit. */
export function humanSpan(ms: number): string {
  // The third number is half the unit below, from where that unit's count rounds up to one of this
  // unit: 23 h 40 min is "1 day", not "24 hours" below sessions an hour later that read "1 day".
  const units: Array<[string, number, number]> = [
    ['day', 86_400_000, 1_800_000],
    ['hour', 3_600_000, 30_000],
    ['minute', 60_000, 0],
  ];
  for (const [name, size, roundsUp] of units) {
    if (ms + roundsUp >= size) {
      // Rounded, not floored: an expiry just set 2 hours or 14 days ahead is a moment less by the time it shows.
      const n = Math.round(ms / size);
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return 'less than a minute';
}

const DATE_MEANING = 'set_expiry() with a date: the session ends at this date';

/**
 * What the `_session_expiry` value Django's set_expiry() stores means for the session, or
 * undefined for a value of another type: seconds are counted from the session's last save. A date
 * is a datetime (pickled) or, from Django 4.1, its ISO text, which older versions take for seconds.
 */
export function storedExpiryMeaning(type: string, preview: string): string | undefined {
  if (type !== 'int' || !/^\d+$/.test(preview)) {
    return type === 'datetime' ? DATE_MEANING : type === 'str' ? `${DATE_MEANING}, as Django 4.1+ stores it; Django 3.2 and 4.0 read it as text and fail with TypeError saving the session` : undefined;
  }
  const seconds = Number(preview);
  return seconds === 0 ? 'set_expiry(0): the session ends when the browser closes' : `set_expiry(${preview}): the session ends ${humanSpan(seconds * 1000)} after it was last saved`;
}
