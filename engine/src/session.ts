import { CodecError, PyDatetime, PyDict, PyTimedelta, PyTimezone, parsePyIsoformat, type PyValue } from './codec';
import { versionAtLeast } from './project/djangoVersion';
import { generateSessionKey, isValidSessionKey } from './sessionKeys';
import { formatNaiveDatetime, parseNaiveDatetime } from './stores/djangoDatetime';

/** SESSION_COOKIE_AGE's default: two weeks. */
export const DEFAULT_SESSION_COOKIE_AGE = 1_209_600;
/** Where a session keeps its own expiry (`set_expiry`), which Django reads on every request. */
export const EXPIRY_KEY = '_session_expiry';

/** The settings and Django version that decide how a session behaves. */
export interface SessionSettings {
  /** The Django that reads these sessions, e.g. '3.2' or '5.2'; default '3.2' (never writes ISO expiries). */
  djangoVersion?: string;
  /** SESSION_COOKIE_AGE in seconds; default 1209600. */
  cookieAgeSeconds?: number;
  /** SESSION_EXPIRE_AT_BROWSER_CLOSE; default false. */
  expireAtBrowserClose?: boolean;
  /** USE_TZ: aware (`+00:00`) or naive datetimes; default true. */
  useTz?: boolean;
  /**
   * TIME_ZONE (an IANA name), the zone of naive datetimes when USE_TZ is off: Django's
   * `timezone.now()` is then the local wall-clock time there. Default 'UTC', as startproject writes.
   */
  timeZone?: string;
  /** SESSION_SERIALIZER; only pickle can hold a datetime expiry before Django 4.1. Default 'json'. */
  serializer?: 'json' | 'pickle';
  /** The clock; default `new Date()`. */
  now?: () => Date;
}

/** Python's KeyError from a session: the key is not in it. */
export class SessionKeyError extends Error {
  constructor(readonly key: string) {
    super(`KeyError: '${key}'`);
    this.name = 'SessionKeyError';
  }
}

/** An expiry that the configured Django cannot store or use (where Django itself would crash). */
export class SessionExpiryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionExpiryError';
  }
}

/** An expiry for setExpiry: seconds (0 = browser close), null (the default), or an absolute time or offset. */
export type ExpiryValue = number | bigint | null | Date | PyDatetime | PyTimedelta;

/** Python's truth value, for `if not expiry`. */
function pyTruthy(v: PyValue | undefined): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === 0n || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof PyDict) return v.size > 0;
  return true;
}

/**
 * A session's data and state as Django's `SessionBase` keeps them: the dict operations with
 * the same `modified` rules, expiry as the configured Django version reads and writes it,
 * key cycling. Loading and saving belong to the stores.
 */
export class Session {
  readonly data: PyDict;
  accessed = false;
  modified = false;
  private key: string | null;
  private readonly settings: Required<Omit<SessionSettings, 'now'>> & { now: () => Date };

  constructor(data: PyDict = new PyDict(), sessionKey: string | null = null, settings: SessionSettings = {}) {
    this.data = data;
    this.key = isValidSessionKey(sessionKey) ? sessionKey : null;
    this.settings = {
      djangoVersion: settings.djangoVersion ?? '3.2',
      cookieAgeSeconds: settings.cookieAgeSeconds ?? DEFAULT_SESSION_COOKIE_AGE,
      expireAtBrowserClose: settings.expireAtBrowserClose ?? false,
      useTz: settings.useTz ?? true,
      timeZone: checkedTimeZone(settings.timeZone ?? 'UTC'),
      serializer: settings.serializer ?? 'json',
      now: settings.now ?? (() => new Date()),
    };
  }

  /** The key, or null; an invalid key (shorter than 8) is stored as null, as Django does. */
  get sessionKey(): string | null {
    return this.key;
  }

  set sessionKey(key: string | null) {
    this.key = isValidSessionKey(key) ? key : null;
  }

  private touch(): PyDict {
    this.accessed = true;
    return this.data;
  }

  /** `session[key]`; throws SessionKeyError when absent. */
  getItem(key: string): PyValue {
    const d = this.touch();
    if (!d.has(key)) throw new SessionKeyError(key);
    return d.get(key) as PyValue;
  }

  /** `session.get(key, default)`. */
  get(key: string, defaultValue: PyValue = null): PyValue {
    const v = this.touch().get(key);
    return v === undefined ? defaultValue : v;
  }

  /** `session[key] = value`. */
  set(key: string, value: PyValue): void {
    this.touch().set(key, value);
    this.modified = true;
  }

  /** `del session[key]`; throws SessionKeyError (and leaves `modified` alone) when absent. */
  delete(key: string): void {
    if (!this.touch().delete(key)) throw new SessionKeyError(key);
    this.modified = true;
  }

  /** `key in session`. */
  has(key: string): boolean {
    return this.touch().has(key);
  }

  /** `session.pop(key[, default])`: `modified` only if the key existed; SessionKeyError without a default. */
  pop(key: string, ...defaultValue: [PyValue?]): PyValue {
    const d = this.touch();
    if (d.has(key)) {
      const v = d.get(key) as PyValue;
      d.delete(key);
      this.modified = true;
      return v;
    }
    if (defaultValue.length === 0) throw new SessionKeyError(key);
    return defaultValue[0] ?? null;
  }

  /** `session.setdefault(key, value)`: `modified` only when it inserts. */
  setdefault(key: string, value: PyValue): PyValue {
    const d = this.touch();
    if (d.has(key)) return d.get(key) as PyValue;
    this.set(key, value);
    return value;
  }

  /** `session.update(other)`: always marks the session modified, even for an empty update. */
  update(other: PyDict | Iterable<readonly [string, PyValue]>): void {
    const d = this.touch();
    for (const [k, v] of other) d.set(k, v);
    this.modified = true;
  }

  keys(): PyValue[] {
    return [...this.touch().keys()];
  }

  values(): PyValue[] {
    return [...this.touch().values()];
  }

  items(): Array<[PyValue, PyValue]> {
    return [...this.touch().entries()];
  }

  /** `session.clear()`: empties the data and marks it modified. */
  clear(): void {
    this.data.clear();
    this.accessed = true;
    this.modified = true;
  }

  /** `session.is_empty()`: no key and no data. */
  isEmpty(): boolean {
    return !this.key && this.data.size === 0;
  }

  /** `session.flush()` without the store delete: empties the data and drops the key. Returns the dropped key. */
  flush(): string | null {
    const old = this.key;
    this.clear();
    this.key = null;
    return old;
  }

  /**
   * `session.cycle_key()`: the same data under a fresh key, retried while `exists(key)`.
   * Returns the old key, which the store should delete.
   */
  cycleKey(exists: (key: string) => boolean = () => false): string | null {
    const old = this.key;
    let next = generateSessionKey();
    while (exists(next)) next = generateSessionKey();
    this.key = next;
    this.modified = true;
    return old;
  }

  setTestCookie(): void {
    this.set('testcookie', 'worked');
  }

  testCookieWorked(): boolean {
    return this.get('testcookie') === 'worked';
  }

  deleteTestCookie(): void {
    this.delete('testcookie');
  }

  /** `timezone.now()`: aware UTC with USE_TZ, else the naive wall-clock time of TIME_ZONE. */
  private nowDatetime(): PyDatetime {
    return this.asDjangoDatetime(PyDatetime.fromDate(this.settings.now()));
  }

  /**
   * A datetime in the form Django compares expiries in, so that it never mixes naive and aware
   * (which raises TypeError): aware UTC with USE_TZ, else naive TIME_ZONE wall-clock time. A
   * naive value given with USE_TZ is read in TIME_ZONE, as Django's `make_aware` does.
   */
  private asDjangoDatetime(value: PyDatetime): PyDatetime {
    const { useTz, timeZone } = this.settings;
    if (value.tzinfo === null) {
      return useTz ? fromEpochMicroseconds(wallToInstant(value.epochMicroseconds(), timeZone), PyTimezone.utc) : value;
    }
    const instant = value.epochMicroseconds();
    return useTz ? fromEpochMicroseconds(instant, PyTimezone.utc) : fromEpochMicroseconds(instantToWall(instant, timeZone), null);
  }

  /** A moment as microseconds on the clock Django subtracts on: the instant with USE_TZ, else TIME_ZONE wall time. */
  private djangoClock(date: Date): bigint {
    const instant = BigInt(date.getTime()) * 1000n;
    return this.settings.useTz ? instant : instantToWall(instant, this.settings.timeZone);
  }

  /**
   * `session.set_expiry(value)`: seconds as an int, 0 for browser close, null to fall back to
   * the defaults, or an absolute time. A datetime (or now + timedelta) is stored as an ISO
   * string for Django ≥ 4.1, as a datetime object before that (which only PickleSerializer can
   * save; with JSON this throws SessionExpiryError where Django's save would raise TypeError).
   * Absolute times are stored aware in UTC with USE_TZ and naive in TIME_ZONE without, whatever
   * form they come in, since Django cannot subtract a naive from an aware datetime.
   */
  setExpiry(value: ExpiryValue): void {
    if (value === null) {
      if (this.touch().delete(EXPIRY_KEY)) this.modified = true;
      return;
    }
    if (typeof value === 'number' || typeof value === 'bigint') {
      const n = typeof value === 'bigint' ? value : Number.isInteger(value) ? BigInt(value) : value;
      this.set(EXPIRY_KEY, n);
      return;
    }
    let when: PyDatetime;
    if (value instanceof PyTimedelta) {
      // Naive plus timedelta is wall-clock arithmetic in Django too: epochMicroseconds reads naive as UTC.
      const now = this.nowDatetime();
      when = fromEpochMicroseconds(now.epochMicroseconds() + value.totalMicroseconds(), now.tzinfo);
    } else if (value instanceof Date) {
      when = this.asDjangoDatetime(PyDatetime.fromDate(value));
    } else {
      when = this.asDjangoDatetime(value);
    }
    if (versionAtLeast(this.settings.djangoVersion, 4, 1)) {
      this.set(EXPIRY_KEY, when.isoformat());
      return;
    }
    if (this.settings.serializer !== 'pickle') {
      throw new SessionExpiryError(
        `Django ${this.settings.djangoVersion} stores an absolute expiry as a datetime, which JSONSerializer cannot save; set the expiry in seconds instead`,
      );
    }
    this.set(EXPIRY_KEY, when);
  }

  private expiryArg(opts: { expiry?: PyValue }): PyValue | undefined {
    return 'expiry' in opts ? opts.expiry : this.get(EXPIRY_KEY, null);
  }

  private absoluteExpiry(expiry: PyValue): PyDatetime | undefined {
    if (expiry instanceof PyDatetime) return expiry;
    if (typeof expiry === 'string') {
      if (!versionAtLeast(this.settings.djangoVersion, 4, 1)) {
        throw new SessionExpiryError(
          `Django ${this.settings.djangoVersion} cannot use the ISO string _session_expiry ${JSON.stringify(expiry)} (it raises TypeError); it needs Django ≥ 4.1`,
        );
      }
      try {
        return parsePyIsoformat(expiry);
      } catch (err) {
        throw new SessionExpiryError(err instanceof CodecError ? err.message : String(err));
      }
    }
    return undefined;
  }

  private relativeSeconds(expiry: PyValue): number {
    if (typeof expiry === 'bigint' || typeof expiry === 'number') return Number(expiry);
    if (typeof expiry === 'boolean') return expiry ? 1 : 0;
    throw new SessionExpiryError(`_session_expiry has an unusable type for Django: ${typeof expiry}`);
  }

  /** `session.get_expiry_age()`: seconds until expiry, from `modification` (default now). */
  getExpiryAge(opts: { modification?: Date; expiry?: PyValue } = {}): number {
    const expiry = this.expiryArg(opts);
    if (!pyTruthy(expiry)) return this.settings.cookieAgeSeconds;
    const absolute = this.absoluteExpiry(expiry as PyValue);
    if (!absolute) return this.relativeSeconds(expiry as PyValue);
    if ((absolute.tzinfo !== null) !== this.settings.useTz) {
      throw new SessionExpiryError(
        `_session_expiry ${absolute.isoformat()} is ${absolute.tzinfo ? 'aware' : 'naive'} but USE_TZ is ${this.settings.useTz ? 'True' : 'False'}: Django raises TypeError (can't subtract offset-naive and offset-aware datetimes)`,
      );
    }
    const delta = absolute.epochMicroseconds() - this.djangoClock(opts.modification ?? this.settings.now());
    const secs = delta / 1_000_000n;
    return Number(delta < 0n && delta % 1_000_000n !== 0n ? secs - 1n : secs);
  }

  /** `session.get_expiry_date()`: when the session expires. */
  getExpiryDate(opts: { modification?: Date; expiry?: PyValue } = {}): Date {
    const expiry = this.expiryArg(opts);
    // From 4.1 any text is read with fromisoformat, which refuses an empty one, where get_expiry_age takes it for the default.
    const text = typeof expiry === 'string' && versionAtLeast(this.settings.djangoVersion, 4, 1);
    const absolute = pyTruthy(expiry) || text ? this.absoluteExpiry(expiry as PyValue) : undefined;
    if (absolute) return absolute.tzinfo ? absolute.toDate() : this.naiveInstant(absolute.epochMicroseconds());
    const seconds = pyTruthy(expiry) ? this.relativeSeconds(expiry as PyValue) : this.settings.cookieAgeSeconds;
    const modification = opts.modification ?? this.settings.now();
    if (this.settings.useTz) return new Date(modification.getTime() + seconds * 1000);
    // Naive modification + timedelta: wall-clock time, so a DST change in between moves the instant.
    return this.naiveInstant(this.djangoClock(modification) + BigInt(Math.round(seconds * 1e6)));
  }

  /** The instant of a naive datetime (microseconds of wall time), which Django reads in TIME_ZONE. */
  private naiveInstant(wallMicros: bigint): Date {
    const us = wallToInstant(wallMicros, this.settings.timeZone);
    return new Date(Number((us - (((us % 1000n) + 1000n) % 1000n)) / 1000n));
  }

  /** `session.get_expire_at_browser_close()`. */
  getExpireAtBrowserClose(): boolean {
    const expiry = this.get(EXPIRY_KEY, null);
    if (expiry === null) return this.settings.expireAtBrowserClose;
    return expiry === 0n || expiry === 0 || expiry === false;
  }
}

function fromEpochMicroseconds(us: bigint, tz: PyTimezone | null): PyDatetime {
  const ms = us / 1000n - (us % 1000n < 0n ? 1n : 0n);
  const base = PyDatetime.fromDate(new Date(Number(ms)), tz);
  const micro = Number(((us % 1_000_000n) + 1_000_000n) % 1_000_000n);
  return new PyDatetime(base.year, base.month, base.day, base.hour, base.minute, base.second, micro, tz);
}

/** The name, after checking that Intl knows the zone (a typo would otherwise surface at the first naive expiry). */
function checkedTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new RangeError(`TIME_ZONE ${JSON.stringify(timeZone)} is not an IANA time zone name`);
  }
  return timeZone;
}

/** The zone's offset at an instant in whole milliseconds, via the naive-text helpers the stores use. */
function offsetAtInstantMs(instantMs: number, timeZone: string): number {
  const wallText = formatNaiveDatetime(new Date(instantMs), { useTz: false, timeZone });
  return (parseNaiveDatetime(wallText, { useTz: true, timeZone }) as Date).getTime() - instantMs;
}

/** An instant (µs since the epoch) as TIME_ZONE wall-clock microseconds. */
function instantToWall(instantMicros: bigint, timeZone: string): bigint {
  const ms = floorDiv(instantMicros, 1000n);
  return instantMicros + BigInt(offsetAtInstantMs(Number(ms), timeZone)) * 1000n;
}

/** TIME_ZONE wall-clock microseconds as the instant they name (DST gaps resolved as the stores do). */
function wallToInstant(wallMicros: bigint, timeZone: string): bigint {
  const wallMs = Number(floorDiv(wallMicros, 1000n));
  const wallText = formatNaiveDatetime(new Date(wallMs), { useTz: true, timeZone });
  const instantMs = (parseNaiveDatetime(wallText, { useTz: false, timeZone }) as Date).getTime();
  return wallMicros - BigInt(wallMs - instantMs) * 1000n;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}
