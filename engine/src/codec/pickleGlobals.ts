import { CodecError } from './codecError';
import { isKnownZone, zoneOffsetSeconds } from './zoneOffset';
import { PyDict } from './pyDict';
import { PyOrderedDict } from './pyOrderedDict';
import {
  PyDate,
  PyDatetime,
  PyDecimal,
  PySet,
  PyTime,
  PyTimedelta,
  PyTimezone,
  PyTuple,
  PyUuid,
  type PyValue,
} from './pyValue';

/** A class or function a pickle refers to; only allow-listed ones are ever created. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}

  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/** Python 3's unpickler maps Python 2 module names (`fix_imports=True`). */
const PY2_MODULES: Record<string, string> = { __builtin__: 'builtins', copy_reg: 'copyreg' };

const ALLOWED = new Set([
  'datetime.datetime',
  'datetime.date',
  'datetime.time',
  'datetime.timedelta',
  'datetime.timezone',
  'pytz._UTC',
  'pytz._p',
  'zoneinfo.ZoneInfo',
  'builtins.getattr',
  'collections.OrderedDict',
  'decimal.Decimal',
  'uuid.UUID',
  'builtins.set',
  'builtins.frozenset',
  'builtins.bytes',
  'builtins.object',
  '_codecs.encode',
  'copyreg._reconstructor',
]);

/** Resolves a GLOBAL / STACK_GLOBAL reference, refusing anything off the allow-list. */
export function resolveGlobal(module: string, name: string): PyGlobal {
  const g = new PyGlobal(PY2_MODULES[module] ?? module, name);
  if (!ALLOWED.has(g.qualified)) {
    throw new CodecError(
      'unsupported-pickle-global',
      `The pickle refers to ${g.qualified}, which is not an allowed type; it was not loaded (pickles are never executed)`,
    );
  }
  return g;
}

function bad(message: string): never {
  throw new CodecError('bad-pickle', message);
}

function int(v: unknown, what: string): number {
  if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return bad(`${what} must be an int`);
}

function tzArg(v: unknown): PyTimezone | null {
  if (v === undefined || v === null) return null;
  if (v instanceof PyTimezone) return v;
  return bad('tzinfo argument must be a datetime.timezone, pytz or zoneinfo zone');
}

/** A time's tzinfo: a named zone has no offset without a date (Python's time.utcoffset() is then None), so it is refused. */
function timeTzArg(v: unknown): PyTimezone | null {
  const tz = tzArg(v);
  if (tz?.zone) bad('a time with a pytz or zoneinfo zone is not supported');
  return tz;
}

/** The datetime with a ZoneInfo's offset at its wall time, which the zone alone does not have. */
function withZoneOffset(dt: PyDatetime): PyDatetime {
  const zone = dt.tzinfo?.zone;
  if (zone?.kind !== 'zoneinfo') return dt;
  const seconds = zoneOffsetSeconds(zone.key, dt, dt.fold) ?? bad(`time zone ${zone.key} is not known here`);
  const tz = new PyTimezone(new PyTimedelta(0, seconds), null, false, zone);
  return new PyDatetime(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, dt.microsecond, tz, dt.fold);
}

/** `ZoneInfo._unpickle`, reached as `getattr(ZoneInfo, '_unpickle')` in a pickle. */
const ZONEINFO_UNPICKLE = new PyGlobal('zoneinfo', 'ZoneInfo._unpickle');

function bytesArg(v: unknown): Uint8Array | undefined {
  return v instanceof Uint8Array ? v : undefined;
}

function datetimeFromState(b: Uint8Array, tz: PyTimezone | null): PyDatetime {
  if (b.length !== 10) bad('datetime state must be 10 bytes');
  const fold = b[2] & 0x80 ? 1 : 0;
  return new PyDatetime(
    b[0] * 256 + b[1],
    b[2] & 0x7f,
    b[3],
    b[4],
    b[5],
    b[6],
    (b[7] << 16) | (b[8] << 8) | b[9],
    tz,
    fold,
  );
}

function timeFromState(b: Uint8Array, tz: PyTimezone | null): PyTime {
  if (b.length !== 6) bad('time state must be 6 bytes');
  const fold = b[0] & 0x80 ? 1 : 0;
  return new PyTime(b[0] & 0x7f, b[1], b[2], (b[3] << 16) | (b[4] << 8) | b[5], tz, fold);
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Python's date constructor checks, which a crafted pickle state could otherwise slip past. */
function checkDate(y: number, m: number, d: number): void {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) bad(`invalid date ${y}-${m}-${d}`);
}

function checkTime(h: number, mi: number, s: number, us: number): void {
  if (h > 23 || mi > 59 || s > 59 || us > 999_999 || h < 0 || mi < 0 || s < 0 || us < 0) bad('invalid time of day');
}

/** The value of `callable(*args)` for an allow-listed callable (REDUCE), computed without running Python. */
export function applyGlobal(g: PyGlobal, args: readonly unknown[]): unknown {
  switch (g.qualified) {
    case 'datetime.datetime': {
      const state = bytesArg(args[0]);
      const dt = state
        ? datetimeFromState(state, tzArg(args[1]))
        : new PyDatetime(
            int(args[0], 'year'),
            int(args[1], 'month'),
            int(args[2], 'day'),
            args.length > 3 ? int(args[3], 'hour') : 0,
            args.length > 4 ? int(args[4], 'minute') : 0,
            args.length > 5 ? int(args[5], 'second') : 0,
            args.length > 6 ? int(args[6], 'microsecond') : 0,
            tzArg(args[7]),
          );
      checkDate(dt.year, dt.month, dt.day);
      checkTime(dt.hour, dt.minute, dt.second, dt.microsecond);
      return withZoneOffset(dt);
    }
    case 'datetime.date': {
      const state = bytesArg(args[0]);
      const d = state
        ? state.length === 4
          ? new PyDate(state[0] * 256 + state[1], state[2], state[3])
          : bad('date state must be 4 bytes')
        : new PyDate(int(args[0], 'year'), int(args[1], 'month'), int(args[2], 'day'));
      checkDate(d.year, d.month, d.day);
      return d;
    }
    case 'datetime.time': {
      const state = bytesArg(args[0]);
      const t = state
        ? timeFromState(state, timeTzArg(args[1]))
        : new PyTime(
            args.length > 0 ? int(args[0], 'hour') : 0,
            args.length > 1 ? int(args[1], 'minute') : 0,
            args.length > 2 ? int(args[2], 'second') : 0,
            args.length > 3 ? int(args[3], 'microsecond') : 0,
            timeTzArg(args[4]),
          );
      checkTime(t.hour, t.minute, t.second, t.microsecond);
      return t;
    }
    case 'datetime.timedelta': {
      const [d = 0n, s = 0n, us = 0n] = args;
      const td = new PyTimedelta(int(d, 'days'), int(s, 'seconds'), int(us, 'microseconds'));
      if (Math.abs(td.days) > 999_999_999) bad('timedelta out of range');
      return td;
    }
    case 'datetime.timezone': {
      const offset = args[0];
      if (!(offset instanceof PyTimedelta)) bad('timezone offset must be a timedelta');
      const name = args[1];
      if (name !== undefined && typeof name !== 'string') bad('timezone name must be a str');
      if (offset.totalMicroseconds() === 0n && name === undefined) return PyTimezone.utc;
      return new PyTimezone(offset, name ?? null);
    }
    case 'pytz._UTC':
      return PyTimezone.pytzUtc;
    case 'collections.OrderedDict':
      // Pickled as OrderedDict() and then SETITEMS, as its __reduce__ gives from protocol 2.
      if (args.length !== 0) bad('OrderedDict is supported as pickled from protocol 2: no arguments');
      return new PyOrderedDict();
    case 'pytz._p': {
      // A localized DstTzInfo: (zone, utcoffset, dst, tzname), its offset fixed. A static zone (one argument) has no offset here.
      const [zone, utcoffset, dst, tzname] = args;
      if (args.length !== 4 || typeof zone !== 'string' || typeof tzname !== 'string') bad('pytz._p is supported for localized zones (zone, utcoffset, dst, tzname)');
      const seconds = int(utcoffset, 'utcoffset');
      if (Math.abs(seconds) >= 86400) bad('pytz utcoffset out of range');
      return new PyTimezone(new PyTimedelta(0, seconds), null, false, { kind: 'pytz', zone, dstSeconds: int(dst, 'dst'), tzname });
    }
    case 'builtins.getattr': {
      const [cls, name] = args;
      if (!(cls instanceof PyGlobal) || cls.qualified !== 'zoneinfo.ZoneInfo' || name !== '_unpickle') bad('getattr is only supported for zoneinfo.ZoneInfo._unpickle');
      return ZONEINFO_UNPICKLE;
    }
    case ZONEINFO_UNPICKLE.qualified: {
      const [key, fromCache] = args;
      if (typeof key !== 'string' || args.length !== 2) bad('ZoneInfo._unpickle takes (key, from_cache)');
      if (!isKnownZone(key)) bad(`time zone ${key} is not known here`);
      return new PyTimezone(new PyTimedelta(0), null, false, { kind: 'zoneinfo', key, fromCache: int(fromCache, 'from_cache') !== 0 });
    }
    case 'decimal.Decimal': {
      const text = args[0];
      if (typeof text !== 'string') bad('Decimal argument must be a str');
      return new PyDecimal(text);
    }
    case 'builtins.set':
    case 'builtins.frozenset': {
      const items = args[0] === undefined ? [] : args[0];
      if (!Array.isArray(items)) bad(`${g.name} argument must be a list`);
      return new PySet([...(items as PyValue[])], g.name === 'frozenset');
    }
    case 'builtins.bytes': {
      const items = args[0] === undefined ? [] : args[0];
      if (!Array.isArray(items)) bad('bytes argument must be a list of ints');
      return Uint8Array.from(items as unknown[], (v) => int(v, 'byte'));
    }
    case '_codecs.encode': {
      const [text, encoding] = args;
      if (typeof text !== 'string' || (encoding !== 'latin1' && encoding !== 'latin-1')) bad('_codecs.encode only for latin1');
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c > 0xff) bad('_codecs.encode: not latin1');
        out[i] = c;
      }
      return out;
    }
    case 'copyreg._reconstructor': {
      const [cls, base, state] = args;
      if (!(cls instanceof PyGlobal) || cls.qualified !== 'uuid.UUID') bad('copyreg._reconstructor only for uuid.UUID');
      if (!(base instanceof PyGlobal) || base.qualified !== 'builtins.object' || state !== null) bad('unexpected copyreg._reconstructor base');
      return new PendingObject(cls);
    }
    default:
      return bad(`${g.qualified} cannot be called`);
  }
}

/** An object created by NEWOBJ (or copyreg) that BUILD has yet to fill in. */
export class PendingObject {
  constructor(readonly cls: PyGlobal) {}
}

/** `cls.__new__(cls, *args)` (NEWOBJ): only UUID, which pickles as `UUID.__new__` + state. */
export function newObject(cls: unknown, args: readonly unknown[]): PendingObject {
  if (!(cls instanceof PyGlobal) || cls.qualified !== 'uuid.UUID' || args.length !== 0) {
    bad(`NEWOBJ is only supported for uuid.UUID`);
  }
  return new PendingObject(cls);
}

/** BUILD with a state: a UUID's `{'int': n, ...}`. */
export function buildObject(obj: unknown, state: unknown): PyUuid {
  if (!(obj instanceof PendingObject)) return bad('BUILD is only supported for uuid.UUID');
  const dict = state instanceof PyTuple && state.items.length === 2 ? state.items[1] : state;
  const n = dict instanceof PyDict ? dict.get('int') : undefined;
  if (typeof n !== 'bigint' || n < 0n || n >= 1n << 128n) bad('UUID state must hold a 128-bit int');
  return new PyUuid(n.toString(16).padStart(32, '0'));
}
