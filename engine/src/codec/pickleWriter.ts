import { CodecError } from './codecError';
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
import { utf8EncodeSurrogatePass } from './utf8SurrogatePass';

const BATCH = 1000;
const MAX_DEPTH = 1000;

class ByteSink {
  private buf = new Uint8Array(256);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  u16(n: number): void {
    this.byte(n & 0xff);
    this.byte(n >>> 8);
  }

  u32(n: number): void {
    this.ensure(4);
    for (let i = 0; i < 4; i++) this.buf[this.length++] = (n >>> (8 * i)) & 0xff;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** `encode_long`: minimal little-endian two's complement, as pickle's LONG1/LONG4 want. */
function encodeLong(x: bigint): Uint8Array {
  if (x === 0n) return new Uint8Array(0);
  const bitLength = (x < 0n ? -x - 1n : x).toString(2).length;
  let nbytes = (bitLength >> 3) + 1;
  const mod = 1n << BigInt(nbytes * 8);
  let v = x < 0n ? mod + x : x;
  const out = new Uint8Array(nbytes);
  for (let i = 0; i < nbytes; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (x < 0n && nbytes > 1 && out[nbytes - 1] === 0xff && (out[nbytes - 2] & 0x80) !== 0) nbytes--;
  return out.subarray(0, nbytes);
}

function unserializable(v: unknown): never {
  throw new CodecError('unserializable', `Cannot pickle ${String((v as object)?.constructor?.name ?? typeof v)}`);
}

class Writer {
  private readonly out = new ByteSink();
  private readonly memo = new Map<unknown, number>();

  constructor(private readonly proto: number) {}

  private memoize(obj: unknown): void {
    const idx = this.memo.size;
    this.memo.set(obj, idx);
    if (this.proto >= 4) this.out.byte(0x94);
    else if (idx < 256) {
      this.out.byte(0x71);
      this.out.byte(idx);
    } else {
      this.out.byte(0x72);
      this.out.u32(idx);
    }
  }

  /** Emits a memo reference and returns true when `obj` was already written. */
  private memoGet(obj: unknown): boolean {
    const idx = this.memo.get(obj);
    if (idx === undefined) return false;
    if (idx < 256) {
      this.out.byte(0x68);
      this.out.byte(idx);
    } else {
      this.out.byte(0x6a);
      this.out.u32(idx);
    }
    return true;
  }

  private str(s: string): void {
    const b = utf8EncodeSurrogatePass(s);
    if (this.proto >= 4 && b.length < 256) {
      this.out.byte(0x8c);
      this.out.byte(b.length);
    } else {
      this.out.byte(0x58);
      this.out.u32(b.length);
    }
    this.out.bytes(b);
  }

  private global(module: string, name: string): void {
    const key = `global\u0000${module}\u0000${name}`;
    if (this.memoGet(key)) return;
    if (this.proto >= 4) {
      for (const [role, text] of [['module', module], ['name', name]] as const) {
        const id = `${role}\u0000${text}`;
        if (!this.memoGet(id)) {
          this.str(text);
          this.memoize(id);
        }
      }
      this.out.byte(0x93);
    } else {
      const mod = this.proto < 3 && module === 'builtins' ? '__builtin__' : module;
      this.out.byte(0x63);
      this.out.bytes(Buffer.from(`${mod}\n${name}\n`, 'latin1'));
    }
    this.memoize(key);
  }

  /** `save_reduce(func, args)` followed by memoizing the result. */
  private reduce(obj: unknown, module: string, name: string, args: PyValue[], depth: number): void {
    this.global(module, name);
    this.save(new PyTuple(args), depth);
    this.out.byte(0x52);
    this.memoize(obj);
  }

  private int(n: bigint): void {
    if (n >= 0n && n < 256n) {
      this.out.byte(0x4b);
      this.out.byte(Number(n));
    } else if (n >= 0n && n < 65536n) {
      this.out.byte(0x4d);
      this.out.u16(Number(n));
    } else if (n >= -0x80000000n && n <= 0x7fffffffn) {
      this.out.byte(0x4a);
      this.out.u32(Number(n) >>> 0);
    } else {
      const b = encodeLong(n);
      if (b.length < 256) {
        this.out.byte(0x8a);
        this.out.byte(b.length);
      } else {
        this.out.byte(0x8b);
        this.out.u32(b.length);
      }
      this.out.bytes(b);
    }
  }

  private bytesValue(b: Uint8Array, depth: number): void {
    if (this.proto < 3) {
      if (b.length === 0) this.reduce(b, 'builtins', 'bytes', [], depth);
      else this.reduce(b, '_codecs', 'encode', [Buffer.from(b).toString('latin1'), 'latin1'], depth);
      return;
    }
    if (b.length < 256) {
      this.out.byte(0x43);
      this.out.byte(b.length);
    } else {
      this.out.byte(0x42);
      this.out.u32(b.length);
    }
    this.out.bytes(b);
    this.memoize(b);
  }

  private batched(items: readonly PyValue[], one: number, many: number, depth: number, pairs = false): void {
    const step = pairs ? 2 : 1;
    for (let i = 0; i < items.length; i += BATCH * step) {
      const chunk = items.slice(i, i + BATCH * step);
      if (chunk.length === step) {
        for (const item of chunk) this.save(item, depth);
        this.out.byte(one);
      } else {
        this.out.byte(0x28);
        for (const item of chunk) this.save(item, depth);
        this.out.byte(many);
      }
    }
  }

  save(v: PyValue, depth: number): void {
    if (depth > MAX_DEPTH) throw new CodecError('unserializable', 'maximum recursion depth exceeded while pickling');
    const d = depth + 1;
    if (v === null) return this.out.byte(0x4e);
    if (v === true) return this.out.byte(0x88);
    if (v === false) return this.out.byte(0x89);
    if (typeof v === 'bigint') return this.int(v);
    if (typeof v === 'number') {
      this.out.byte(0x47);
      const b = Buffer.alloc(8);
      b.writeDoubleBE(v);
      return this.out.bytes(b);
    }
    if (typeof v === 'string') {
      this.str(v);
      return this.memoize(Symbol('str'));
    }
    if (this.memoGet(v)) return;
    if (v instanceof Uint8Array) return this.bytesValue(v, d);
    if (Array.isArray(v)) {
      this.out.byte(0x5d);
      this.memoize(v);
      return this.batched(v, 0x61, 0x65, d);
    }
    if (v instanceof PyOrderedDict) {
      // OrderedDict.__reduce__: OrderedDict() called, then its items set.
      this.global('collections', 'OrderedDict');
      this.out.byte(0x29);
      this.out.byte(0x52);
      this.memoize(v);
      const flat: PyValue[] = [];
      for (const [k, item] of v) flat.push(k, item);
      return this.batched(flat, 0x73, 0x75, d, true);
    }
    if (v instanceof PyDict) {
      this.out.byte(0x7d);
      this.memoize(v);
      const flat: PyValue[] = [];
      for (const [k, item] of v) flat.push(k, item);
      return this.batched(flat, 0x73, 0x75, d, true);
    }
    if (v instanceof PyTuple) return this.tuple(v, d);
    if (v instanceof PySet) return this.set(v, d);
    if (v instanceof PyDatetime) {
      const b = Uint8Array.of(
        v.year >> 8, v.year & 0xff, v.month | (v.fold && this.proto > 3 ? 0x80 : 0), v.day, v.hour, v.minute, v.second,
        (v.microsecond >> 16) & 0xff, (v.microsecond >> 8) & 0xff, v.microsecond & 0xff,
      );
      return this.reduce(v, 'datetime', 'datetime', v.tzinfo ? [b, v.tzinfo] : [b], d);
    }
    if (v instanceof PyDate) return this.reduce(v, 'datetime', 'date', [Uint8Array.of(v.year >> 8, v.year & 0xff, v.month, v.day)], d);
    if (v instanceof PyTime) {
      const b = Uint8Array.of(
        v.hour | (v.fold && this.proto > 3 ? 0x80 : 0), v.minute, v.second,
        (v.microsecond >> 16) & 0xff, (v.microsecond >> 8) & 0xff, v.microsecond & 0xff,
      );
      return this.reduce(v, 'datetime', 'time', v.tzinfo ? [b, v.tzinfo] : [b], d);
    }
    if (v instanceof PyTimedelta) {
      return this.reduce(v, 'datetime', 'timedelta', [BigInt(v.days), BigInt(v.seconds), BigInt(v.microseconds)], d);
    }
    if (v instanceof PyTimezone) {
      if (v.zone?.kind === 'pytz') {
        return this.reduce(v, 'pytz', '_p', [v.zone.zone, v.offset.totalMicroseconds() / 1_000_000n, BigInt(v.zone.dstSeconds), v.zone.tzname], d);
      }
      if (v.zone?.kind === 'zoneinfo') return this.zoneInfo(v, v.zone.key, v.zone.fromCache, d);
      if (v.pytz) return this.reduce(v, 'pytz', '_UTC', [], d);
      return this.reduce(v, 'datetime', 'timezone', v.name === null ? [v.offset] : [v.offset, v.name], d);
    }
    if (v instanceof PyDecimal) return this.reduce(v, 'decimal', 'Decimal', [v.text], d);
    if (v instanceof PyUuid) {
      this.global('uuid', 'UUID');
      this.out.byte(0x29);
      this.out.byte(0x81);
      this.memoize(v);
      this.save(new PyDict([['int', BigInt(`0x${v.hex}`)]]), d);
      return this.out.byte(0x62);
    }
    unserializable(v);
  }

  /** As CPython pickles a ZoneInfo: `ZoneInfo._unpickle(key, from_cache)`, the classmethod as `getattr(ZoneInfo, '_unpickle')`. */
  private zoneInfo(v: PyTimezone, key: string, fromCache: boolean, depth: number): void {
    this.global('builtins', 'getattr');
    this.global('zoneinfo', 'ZoneInfo');
    this.save('_unpickle', depth);
    this.out.byte(0x86);
    this.memoize(Symbol('tuple'));
    this.out.byte(0x52);
    this.memoize(Symbol('method'));
    this.save(new PyTuple([key, fromCache ? 1n : 0n]), depth);
    this.out.byte(0x52);
    this.memoize(v);
  }

  private tuple(t: PyTuple, depth: number): void {
    const n = t.items.length;
    if (n === 0) return this.out.byte(0x29);
    if (n <= 3 && this.proto >= 2) {
      for (const item of t.items) this.save(item, depth);
      this.out.byte(0x84 + n);
    } else {
      this.out.byte(0x28);
      for (const item of t.items) this.save(item, depth);
      this.out.byte(0x74);
    }
    this.memoize(t);
  }

  private set(s: PySet, depth: number): void {
    if (this.proto < 4) return this.reduce(s, 'builtins', s.frozen ? 'frozenset' : 'set', [[...s.items]], depth);
    if (s.frozen) {
      this.out.byte(0x28);
      for (const item of s.items) this.save(item, depth);
      this.out.byte(0x91);
      return this.memoize(s);
    }
    this.out.byte(0x8f);
    this.memoize(s);
    for (let i = 0; i < s.items.length; i += BATCH) {
      this.out.byte(0x28);
      for (const item of s.items.slice(i, i + BATCH)) this.save(item, depth);
      this.out.byte(0x90);
    }
  }

  finish(v: PyValue): Uint8Array {
    this.save(v, 0);
    this.out.byte(0x2e);
    const body = this.out.result();
    const head = new ByteSink();
    head.byte(0x80);
    head.byte(this.proto);
    if (this.proto >= 4 && body.length >= 4) {
      head.byte(0x95);
      head.u32(body.length);
      head.u32(0);
    }
    head.bytes(body);
    return head.result();
  }
}

/**
 * `pickle.dumps(v, protocol)` for the session subset (protocols 2–5). For plain dicts of
 * str/int/float/bool/None/list it gives CPython's bytes; in general `pickle.loads` reads it
 * back equal, though memo reuse can differ (CPython dedupes by object identity).
 */
export function pickleDumps(v: PyValue, protocol = 5): Uint8Array {
  if (!Number.isInteger(protocol) || protocol < 2 || protocol > 5) {
    throw new CodecError('unserializable', `Pickle protocol ${protocol} is not supported for writing (2–5)`);
  }
  return new Writer(protocol).finish(v);
}
