import { microsOf } from '../codec/dateMicros';
/**
 * Django stores `expire_date` as naive text in SQLite and MySQL: UTC when `USE_TZ = True`,
 * otherwise the wall-clock time of `TIME_ZONE`. These helpers convert both ways.
 */
export interface DatetimeContext {
  useTz: boolean;
  timeZone: string;
}

/**
 * The zone of the naive datetimes Django keeps in SQLite and MySQL: with `USE_TZ = True` the
 * database connection's zone, which is its `DATABASES[alias]['TIME_ZONE']` when set and UTC
 * otherwise; without `USE_TZ`, the wall clock of `TIME_ZONE` (Django refuses a database
 * TIME_ZONE then). The result's `useTz: false` means "wall clock of `timeZone`".
 */
export function storedDatetimeContext(context: DatetimeContext, databaseTimeZone: string | undefined): DatetimeContext {
  return context.useTz && databaseTimeZone ? { useTz: false, timeZone: databaseTimeZone } : context;
}

/** Whether the runtime knows this IANA zone name (e.g. `Europe/Paris`). */
export function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** Parses `YYYY-MM-DD HH:MM:SS[.ffffff]` as Django wrote it; undefined when it is not that shape. */
export function parseNaiveDatetime(text: string, context: DatetimeContext): Date | undefined {
  const asUtc = wallClockMs(text);
  if (asUtc === undefined) {
    return undefined;
  }
  if (context.useTz) {
    return new Date(asUtc);
  }
  return new Date(asUtc - zoneOffsetMs(context.timeZone, asUtc));
}

/** The wall time as milliseconds since the epoch, as if it were UTC. */
function wallClockMs(text: string): number | undefined {
  const fast = exactWallClockMs(text);
  if (fast !== undefined) {
    return fast;
  }
  const m = NAIVE.exec(text.trim());
  if (!m) {
    return undefined;
  }
  const [, y, mo, d, h, mi, s, frac = ''] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
}

/**
 * The text every listed row carries (`YYYY-MM-DD HH:MM:SS.ffffff` or without the fraction), read
 * digit by digit: pages parse one per row, and the regular expression costs several times more.
 */
function exactWallClockMs(text: string): number | undefined {
  const length = text.length;
  if (
    (length !== 19 && length !== 26) ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    (text.charCodeAt(10) !== 32 && text.charCodeAt(10) !== 84) ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58 ||
    (length === 26 && text.charCodeAt(19) !== 46)
  ) {
    return undefined;
  }
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  const h = digits(text, 11, 2);
  const mi = digits(text, 14, 2);
  const s = digits(text, 17, 2);
  const ms = length === 26 ? digits(text, 20, 3) : 0;
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0 || ms < 0 || (length === 26 && digits(text, 23, 3) < 0)) {
    return undefined;
  }
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

/** The decimal number in `text[start, start + count)`, or -1 when a character is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) {
      return -1;
    }
    value = value * 10 + digit;
  }
  return value;
}

/** Formats a moment as Django's naive text in the context's zone, e.g. for `expire_date < now` in SQL. */
export function formatNaiveDatetime(date: Date, context: DatetimeContext): string {
  // An instant has one offset: the two-step lookup of zoneOffsetMs is for wall times, which may not.
  const wall = context.useTz ? date.getTime() : date.getTime() + offsetAt(context.timeZone, date.getTime());
  const iso = new Date(wall).toISOString();
  const micros = `${iso.slice(20, 23)}${String(microsOf(date)).padStart(3, '0')}`;
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${micros}`;
}

/**
 * The zone's offset from UTC at (approximately) the given wall time. Evaluating the offset twice
 * settles DST transitions the way Python's `zoneinfo` resolves non-ambiguous times.
 */
function zoneOffsetMs(timeZone: string, wallAsUtc: number): number {
  const first = offsetAt(timeZone, wallAsUtc);
  return offsetAt(timeZone, wallAsUtc - first);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function offsetAt(timeZone: string, utcMs: number): number {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, fmt);
  }
  const parts = Object.fromEntries(fmt.formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/**
 * Exactly what Django writes for a datetime in SQLite and MySQL (`str(naive)`): a space, and
 * `.ffffff` only when there are microseconds. Lexicographic SQL comparisons depend on this.
 */
export function formatDjangoDatetime(date: Date, context: DatetimeContext): string {
  const text = formatNaiveDatetime(date, context);
  return text.endsWith('.000000') ? text.slice(0, -7) : text;
}
