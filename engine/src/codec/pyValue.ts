/**
 * The value model: how a Python object read from a session is held in TypeScript.
 *
 * Every type keeps what Python distinguishes, so a value can be written back unchanged:
 *
 * | Python                 | TypeScript                                   |
 * | ---------------------- | -------------------------------------------- |
 * | `None`                 | `null`                                       |
 * | `bool`                 | `boolean`                                    |
 * | `int` (any size)       | `bigint` (so `1` and `1.0` never collapse)   |
 * | `float`                | `number` (including NaN and ±Infinity)       |
 * | `str`                  | `string` (UTF-16; lone surrogates allowed)   |
 * | `list`                 | `PyValue[]`                                  |
 * | `dict`                 | `PyDict` (insertion-ordered, any hashable key) |
 * | `tuple`                | `PyTuple`                                    |
 * | `set` / `frozenset`    | `PySet` (`frozen` tells them apart)          |
 * | `bytes`                | `Uint8Array`                                 |
 * | `datetime.datetime`    | `PyDatetime`                                 |
 * | `datetime.date`        | `PyDate`                                     |
 * | `datetime.time`        | `PyTime`                                     |
 * | `datetime.timedelta`   | `PyTimedelta`                                |
 * | `datetime.timezone`, `pytz.utc` | `PyTimezone`                        |
 * | `decimal.Decimal`      | `PyDecimal` (its exact `str()` text)         |
 * | `uuid.UUID`            | `PyUuid` (32 lowercase hex digits)           |
 *
 * JSON sessions only ever produce the first seven rows; pickled sessions may produce all.
 * The classes are immutable value objects; compare values with `pyEquals`.
 */
import { microsOf, withMicros } from './dateMicros';
import type { PyDict } from './pyDict';

export type PyValue =
  | null
  | boolean
  | bigint
  | number
  | string
  | PyValue[]
  | PyDict
  | PyTuple
  | PySet
  | Uint8Array
  | PyDatetime
  | PyDate
  | PyTime
  | PyTimedelta
  | PyDecimal
  | PyUuid
  | PyTimezone;

/** A Python tuple. */
export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}

/** A Python set, or a frozenset when `frozen`; items keep the order they were read in. */
export class PySet {
  constructor(
    readonly items: readonly PyValue[],
    readonly frozen = false,
  ) {}
}

const US_PER_DAY = 86_400_000_000n;

/** A `datetime.timedelta`, normalised as Python does: 0 ≤ seconds < 86400, 0 ≤ microseconds < 10^6. */
export class PyTimedelta {
  readonly days: number;
  readonly seconds: number;
  readonly microseconds: number;

  constructor(days: number, seconds = 0, microseconds = 0) {
    const total = BigInt(days) * US_PER_DAY + BigInt(seconds) * 1_000_000n + BigInt(microseconds);
    let d = total / US_PER_DAY;
    let rest = total % US_PER_DAY;
    if (rest < 0n) {
      rest += US_PER_DAY;
      d -= 1n;
    }
    this.days = Number(d);
    this.seconds = Number(rest / 1_000_000n);
    this.microseconds = Number(rest % 1_000_000n);
  }

  /** The whole duration in microseconds. */
  totalMicroseconds(): bigint {
    return BigInt(this.days) * US_PER_DAY + BigInt(this.seconds) * 1_000_000n + BigInt(this.microseconds);
  }

  /** Python's `td.days * 86400 + td.seconds`: whole seconds, rounded down. */
  floorSeconds(): number {
    return this.days * 86400 + this.seconds;
  }
}

/**
 * A named time zone as pickled: `zoneinfo.ZoneInfo` (Django 4+'s `localtime()`), by key and
 * whether it came from ZoneInfo's cache; or one localized pytz zone (Django 3.2 with pytz), as
 * `pytz._p`'s arguments, whose offset is fixed.
 */
type NamedZone = { kind: 'zoneinfo'; key: string; fromCache: boolean } | { kind: 'pytz'; zone: string; dstSeconds: number; tzname: string };

/**
 * A tzinfo: `datetime.timezone(offset[, name])`, or `pytz.utc` (which Django 3.2 puts in
 * aware datetimes) when `pytz` is true, or a `NamedZone`, with `offset` its offset at the
 * datetime that holds it (zero for a zone on its own, which has no one offset).
 */
export class PyTimezone {
  constructor(
    readonly offset: PyTimedelta,
    readonly name: string | null = null,
    readonly pytz = false,
    readonly zone?: NamedZone,
  ) {}

  /** `datetime.timezone.utc`. */
  static readonly utc = new PyTimezone(new PyTimedelta(0));
  /** `pytz.utc`, as pickled by Django 3.2. */
  static readonly pytzUtc = new PyTimezone(new PyTimedelta(0), null, true);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatOffset(offset: PyTimedelta, sep = ':'): string {
  let us = offset.totalMicroseconds();
  const sign = us < 0n ? '-' : '+';
  if (us < 0n) us = -us;
  const secs = Number(us / 1_000_000n);
  const micro = Number(us % 1_000_000n);
  let text = `${sign}${pad(Math.floor(secs / 3600), 2)}${sep}${pad(Math.floor(secs / 60) % 60, 2)}`;
  if (secs % 60 !== 0 || micro !== 0) text += `${sep}${pad(secs % 60, 2)}`;
  if (micro !== 0) text += `.${pad(micro, 6)}`;
  return text;
}

function isoTime(h: number, m: number, s: number, us: number, tz: PyTimezone | null): string {
  let text = `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}`;
  if (us !== 0) text += `.${pad(us, 6)}`;
  if (tz) text += formatOffset(tz.offset);
  return text;
}

/** Days since 1970-01-01 in the proleptic Gregorian calendar (Date.UTC maps years < 100 to 19xx). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** A `datetime.date`. */
export class PyDate {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
  ) {}

  /** Python's `date.isoformat()`. */
  isoformat(): string {
    return `${pad(this.year, 4)}-${pad(this.month, 2)}-${pad(this.day, 2)}`;
  }
}

/** A `datetime.time`. */
export class PyTime {
  constructor(
    readonly hour: number,
    readonly minute: number,
    readonly second: number,
    readonly microsecond = 0,
    readonly tzinfo: PyTimezone | null = null,
    readonly fold: 0 | 1 = 0,
  ) {}

  /** Python's `time.isoformat()`. */
  isoformat(): string {
    return isoTime(this.hour, this.minute, this.second, this.microsecond, this.tzinfo);
  }
}

/** A `datetime.datetime`; naive when `tzinfo` is null. */
export class PyDatetime {
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
    readonly hour = 0,
    readonly minute = 0,
    readonly second = 0,
    readonly microsecond = 0,
    readonly tzinfo: PyTimezone | null = null,
    readonly fold: 0 | 1 = 0,
  ) {}

  /** An aware UTC datetime (`tzinfo=datetime.timezone.utc`) for a JS Date, microseconds from its milliseconds and any `withMicros` gave it. */
  static fromDate(date: Date, tzinfo: PyTimezone | null = PyTimezone.utc): PyDatetime {
    return new PyDatetime(
      date.getUTCFullYear(),
      date.getUTCMonth() + 1,
      date.getUTCDate(),
      date.getUTCHours(),
      date.getUTCMinutes(),
      date.getUTCSeconds(),
      date.getUTCMilliseconds() * 1000 + microsOf(date),
      tzinfo,
    );
  }

  /** Python's `datetime.isoformat()`: `T` separator, `.ffffff` only when non-zero, `+HH:MM` when aware. */
  isoformat(): string {
    const date = new PyDate(this.year, this.month, this.day).isoformat();
    return `${date}T${isoTime(this.hour, this.minute, this.second, this.microsecond, this.tzinfo)}`;
  }

  /**
   * Microseconds since the Unix epoch. A naive datetime is read as UTC, which is what
   * Django means by it when `USE_TZ=True` and the usual server setting otherwise.
   */
  epochMicroseconds(): bigint {
    const days = BigInt(daysFromCivil(this.year, this.month, this.day));
    const local =
      days * US_PER_DAY +
      BigInt(this.hour * 3600 + this.minute * 60 + this.second) * 1_000_000n +
      BigInt(this.microsecond);
    return this.tzinfo ? local - this.tzinfo.offset.totalMicroseconds() : local;
  }

  /** The instant as a JS Date, the microseconds past its millisecond kept aside (see withMicros). */
  toDate(): Date {
    const us = this.epochMicroseconds();
    const micros = ((us % 1000n) + 1000n) % 1000n;
    return withMicros(new Date(Number((us - micros) / 1000n)), Number(micros));
  }
}

/** A `decimal.Decimal`, held as the text `str()` gives (e.g. `1.50`, `NaN`, `-Infinity`). */
export class PyDecimal {
  constructor(readonly text: string) {}
}

/** A `uuid.UUID`, held as 32 lowercase hex digits. */
export class PyUuid {
  readonly hex: string;

  constructor(hex: string) {
    this.hex = hex.replace(/-/g, '').toLowerCase();
  }

  /** The canonical `8-4-4-4-12` form, as `str(uuid)` gives. */
  toString(): string {
    const h = this.hex;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}
