const formats = new Map<string, Intl.DateTimeFormat>();

/** The zone's formatter, or undefined when the runtime's time zone data does not know the key. */
function formatFor(key: string): Intl.DateTimeFormat | undefined {
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone: key, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short' });
    } catch {
      return undefined;
    }
    formats.set(key, format);
  }
  return format;
}

/** Whether offsets in the zone can be computed here (the runtime's tz data has it). */
export function isKnownZone(key: string): boolean {
  return formatFor(key) !== undefined;
}

/** Milliseconds since the epoch of a wall clock read as UTC (years below 100 kept as such). */
function wallMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  d.setUTCFullYear(year);
  return d.getTime();
}

/** The zone's UTC offset in seconds at an instant. */
function offsetAt(format: Intl.DateTimeFormat, instantMs: number): number {
  const parts = Object.fromEntries(format.formatToParts(new Date(instantMs)).map((p) => [p.type, p.value]));
  const year = parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year);
  return Math.round((wallMs(year, Number(parts.month), Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) - instantMs) / 1000);
}

/**
 * `ZoneInfo(key).utcoffset(dt)` in seconds for a wall time, as PEP 495 has it: where the wall
 * time happens twice (or never, in a gap), fold 0 takes the offset before the transition and
 * fold 1 the one after. Undefined for a key the runtime does not know.
 */
export function zoneOffsetSeconds(key: string, wall: { year: number; month: number; day: number; hour: number; minute: number; second: number }, fold: number): number | undefined {
  const format = formatFor(key);
  if (!format) {
    return undefined;
  }
  const local = wallMs(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second);
  // Offsets a day either side bracket any one transition near the wall time.
  const before = offsetAt(format, local - 86_400_000);
  const after = offsetAt(format, local + 86_400_000);
  const fits = (offset: number) => offsetAt(format, local - offset * 1000) === offset;
  if (before === after) {
    return fits(before) ? before : offsetAt(format, local - before * 1000);
  }
  const valid = [before, after].filter(fits);
  return valid.length === 1 ? valid[0] : fold ? after : before;
}
