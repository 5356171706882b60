import {
  PyDate,
  PyDatetime,
  PyDecimal,
  PyDict,
  PySet,
  PyTime,
  PyTimedelta,
  PyTimezone,
  PyTuple,
  PyUuid,
  type PyValue,
} from '../../engine/src/codec';

/** The type-preserving JSON form that python/codec_django.py reads and writes. */
export type Tagged = null | boolean | string | Tagged[] | { [tag: string]: unknown };

interface TaggedTz {
  pytz_utc?: boolean;
  offset_us?: number;
  name?: string | null;
}

function tagTz(tz: PyTimezone | null): TaggedTz | null {
  if (!tz) return null;
  if (tz.pytz) return { pytz_utc: true };
  return { offset_us: Number(tz.offset.totalMicroseconds()), name: tz.name };
}

function untagTz(t: TaggedTz | null): PyTimezone | null {
  if (!t) return null;
  if (t.pytz_utc) return PyTimezone.pytzUtc;
  const offset = new PyTimedelta(0, 0, t.offset_us ?? 0);
  if ((t.name ?? null) === null && t.offset_us === 0) return PyTimezone.utc;
  return new PyTimezone(offset, t.name ?? null);
}

/** A value in tagged form, as python/codec_django.py's untag() reads it. */
export function tag(v: PyValue): Tagged {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return { int: v.toString() };
  if (typeof v === 'number') return { float: Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : Object.is(v, -0) ? '-0.0' : String(v) };
  if (Array.isArray(v)) return v.map(tag);
  if (v instanceof PyTuple) return { tuple: v.items.map(tag) };
  if (v instanceof PyDict) return { dict: [...v].map(([k, item]) => [tag(k), tag(item)]) };
  if (v instanceof PySet) return { [v.frozen ? 'frozenset' : 'set']: v.items.map(tag) };
  if (v instanceof Uint8Array) return { bytes: Buffer.from(v).toString('hex') };
  if (v instanceof PyDatetime) {
    return { datetime: [v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond, v.fold], tz: tagTz(v.tzinfo) };
  }
  if (v instanceof PyDate) return { date: [v.year, v.month, v.day] };
  if (v instanceof PyTime) return { time: [v.hour, v.minute, v.second, v.microsecond, v.fold], tz: tagTz(v.tzinfo) };
  if (v instanceof PyTimedelta) return { timedelta: [v.days, v.seconds, v.microseconds] };
  if (v instanceof PyDecimal) return { decimal: v.text };
  if (v instanceof PyUuid) return { uuid: v.hex };
  return { tzinfo: tagTz(v) };
}

/**
 * A tagged form ready to compare: floats by value (Python's repr and JS's String differ in
 * form) and set items sorted (their order is a Python hash detail).
 */
export function normalizeTagged(t: Tagged): Tagged {
  if (t === null || typeof t !== 'object') return t;
  if (Array.isArray(t)) return t.map(normalizeTagged);
  if ('float' in t) {
    const f = Number((t.float as string).replace(/^(-?)inf$/, '$1Infinity').replace(/^nan$/, 'NaN'));
    return { float: Number.isNaN(f) ? 'nan' : f === Infinity ? 'inf' : f === -Infinity ? '-inf' : Object.is(f, -0) ? '-0.0' : String(f) };
  }
  if ('set' in t || 'frozenset' in t) {
    const kind = 'set' in t ? 'set' : 'frozenset';
    return { [kind]: (t[kind] as Tagged[]).map((i) => JSON.stringify(normalizeTagged(i))).sort() };
  }
  if ('tuple' in t) return { tuple: (t.tuple as Tagged[]).map(normalizeTagged) };
  if ('dict' in t) return { dict: (t.dict as Tagged[][]).map(([k, v]) => [normalizeTagged(k), normalizeTagged(v)]) };
  return t;
}

/** The PyValue a tagged form stands for (the inverse of tag). */
export function untag(t: Tagged): PyValue {
  if (t === null || typeof t === 'boolean' || typeof t === 'string') return t;
  if (Array.isArray(t)) return t.map(untag);
  if ('int' in t) return BigInt(t.int as string);
  if ('float' in t) return Number((t.float as string).replace(/^(-?)inf$/, '$1Infinity').replace(/^nan$/, 'NaN'));
  if ('tuple' in t) return new PyTuple((t.tuple as Tagged[]).map(untag));
  if ('dict' in t) return new PyDict((t.dict as Tagged[][]).map(([k, v]) => [untag(k), untag(v)] as [PyValue, PyValue]));
  if ('set' in t) return new PySet((t.set as Tagged[]).map(untag));
  if ('frozenset' in t) return new PySet((t.frozenset as Tagged[]).map(untag), true);
  if ('bytes' in t) return new Uint8Array(Buffer.from(t.bytes as string, 'hex'));
  if ('datetime' in t) {
    const [y, mo, d, h, mi, s, us, fold] = t.datetime as number[];
    return new PyDatetime(y, mo, d, h, mi, s, us, untagTz(t.tz as TaggedTz | null), fold as 0 | 1);
  }
  if ('date' in t) {
    const [y, mo, d] = t.date as number[];
    return new PyDate(y, mo, d);
  }
  if ('time' in t) {
    const [h, mi, s, us, fold] = t.time as number[];
    return new PyTime(h, mi, s, us, untagTz(t.tz as TaggedTz | null), fold as 0 | 1);
  }
  if ('timedelta' in t) {
    const [d, s, us] = t.timedelta as number[];
    return new PyTimedelta(d, s, us);
  }
  if ('decimal' in t) return new PyDecimal(t.decimal as string);
  if ('uuid' in t) return new PyUuid(t.uuid as string);
  return untagTz(t.tzinfo as TaggedTz);
}

/** The tagged form with every datetime/time fold cleared, as pickle protocols below 4 lose it. */
export function withoutFold(t: Tagged): Tagged {
  if (t === null || typeof t !== 'object') return t;
  if (Array.isArray(t)) return t.map(withoutFold);
  const out: { [tag: string]: unknown } = {};
  for (const [k, v] of Object.entries(t)) {
    if (k === 'datetime') out[k] = [...(v as number[]).slice(0, 7), 0];
    else if (k === 'time') out[k] = [...(v as number[]).slice(0, 4), 0];
    else out[k] = Array.isArray(v) ? (v as Tagged[]).map(withoutFold) : v;
  }
  return out;
}
