/** Microseconds past each Date's millisecond, where a value carried them; held aside, as a Date has none. */
const MICROS = new WeakMap<Date, number>();

/**
 * `date`, marked with the microseconds (0–999) past its millisecond: Django's datetimes have
 * them, and an `expire_date` written from one must keep them, or clearsessions may delete the
 * session up to a millisecond before Django's own expiry check would. Returns `date` itself.
 */
export function withMicros(date: Date, micros: number): Date {
  if (micros > 0) {
    MICROS.set(date, micros);
  }
  return date;
}

/** The microseconds past the millisecond `withMicros` gave `date`; 0 for any other Date. */
export function microsOf(date: Date): number {
  return MICROS.get(date) ?? 0;
}

/** The 4th to 6th digits of the fraction of seconds in an ISO time (`05.123456` → 456), as microseconds. */
export function microsInText(text: string): number {
  const digits = /:\d{2}\.\d{3}(\d{1,3})/.exec(text)?.[1];
  return digits ? Number(digits.padEnd(3, '0')) : 0;
}
