/**
 * Django stores `expire_date` as naive text in SQLite and MySQL: UTC when `USE_TZ = True`,
 * otherwise the wall-clock time of `TIME_ZONE`. These helpers convert both ways.
 */
export interface DatetimeContext {
  useTz: boolean;
  timeZone: string;
}

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** Parses `YYYY-MM-DD HH:MM:SS[.ffffff]` as Django wrote it; undefined when it is not that shape. */
export function parseNaiveDatetime(text: string, context: DatetimeContext): Date | undefined {
  const m = NAIVE.exec(text.trim());
  if (!m) {
    return undefined;
  }
  const [, y, mo, d, h, mi, s, frac = ''] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (context.useTz) {
    return new Date(asUtc);
  }
  return new Date(asUtc - zoneOffsetMs(context.timeZone, asUtc));
}

/** Formats a moment as Django's naive text in the context's zone, e.g. for `expire_date < now` in SQL. */
export function formatNaiveDatetime(date: Date, context: DatetimeContext): string {
  const wall = context.useTz ? date.getTime() : date.getTime() + zoneOffsetMs(context.timeZone, date.getTime());
  const iso = new Date(wall).toISOString();
  const micros = `${iso.slice(20, 23)}000`;
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
