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

/** A seeded generator of session dicts with the shapes and edge cases the codec must survive. */
export class SessionGenerator {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  random(): number {
    this.state ^= this.state << 13;
    this.state ^= this.state >>> 17;
    this.state ^= this.state << 5;
    return (this.state >>> 0) / 2 ** 32;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  string(): string {
    const r = this.random();
    if (r < 0.35) {
      return this.pick(['cart', 'Zoë ☃', '😀', 'a"quote\'', 'back\\slash', 'tab\there\n', 'ctl\u0001\u001f', 'del\u007f', '', '/path/', '\u00ff\u0100', '_auth_user_id']);
    }
    if (r < 0.45) return this.pick(['x', 'ab', 'lorem ipsum ']).repeat(this.int(20, 200));
    if (r < 0.5) return Buffer.from(Array.from({ length: this.int(40, 300) }, () => this.int(0, 255))).toString('base64');
    let s = '';
    const n = this.int(0, 12);
    for (let i = 0; i < n; i++) {
      const k = this.random();
      if (k < 0.5) s += String.fromCharCode(this.int(0x20, 0x7e));
      else if (k < 0.7) s += String.fromCharCode(this.int(0, 0x1f));
      else if (k < 0.85) s += String.fromCharCode(this.int(0xa0, 0xd7ff));
      else if (k < 0.95) s += String.fromCodePoint(this.int(0x10000, 0x10ffff));
      else s += String.fromCharCode(this.int(0xd800, 0xdfff));
    }
    return s;
  }

  bigint(): bigint {
    const r = this.random();
    if (r < 0.5) return BigInt(this.int(-1000, 100000));
    if (r < 0.7) return BigInt(this.int(-(2 ** 31), 2 ** 31));
    const bits = this.int(33, 200);
    let n = 0n;
    for (let i = 0; i < bits; i += 16) n = (n << 16n) | BigInt(this.int(0, 0xffff));
    return this.random() < 0.5 ? -n : n;
  }

  float(): number {
    const r = this.random();
    if (r < 0.3) return this.pick([0, -0, 1, 1e16, 1e-7, 0.1, 1e15, 123.456, 5e-324, 1.7976931348623157e308, NaN, Infinity, -Infinity]);
    if (r < 0.6) return (this.random() - 0.5) * 10 ** this.int(-10, 20);
    const b = Buffer.alloc(8);
    for (let i = 0; i < 8; i++) b[i] = this.int(0, 255);
    return b.readDoubleBE(0);
  }

  scalar(): PyValue {
    const r = this.random();
    if (r < 0.4) return this.string();
    if (r < 0.65) return this.bigint();
    if (r < 0.85) return this.float();
    return this.pick([true, false, null]);
  }

  private timezone(): PyTimezone | null {
    return this.pick([null, PyTimezone.utc, PyTimezone.pytzUtc, new PyTimezone(new PyTimedelta(0, this.int(-86399, 86399))), new PyTimezone(new PyTimedelta(0, 3600), 'CET')]);
  }

  private pickleScalar(): PyValue {
    const r = this.random();
    if (r < 0.6) return this.scalar();
    const y = this.int(1, 9999);
    const mo = this.int(1, 12);
    const d = this.int(1, 28);
    switch (this.int(0, 7)) {
      case 0:
        return new PyDatetime(y, mo, d, this.int(0, 23), this.int(0, 59), this.int(0, 59), this.int(0, 999999), this.timezone(), this.pick([0, 1] as const));
      case 1:
        return new PyDate(y, mo, d);
      case 2:
        return new PyTime(this.int(0, 23), this.int(0, 59), this.int(0, 59), this.int(0, 999999), this.timezone());
      case 3:
        return new PyTimedelta(this.int(-99999, 99999), this.int(0, 86399), this.int(0, 999999));
      case 4:
        return new PyDecimal(this.pick(['0', '1.50', '-1E+3', 'NaN', '-Infinity', '3.14159265358979323846264338327950288', '1E-30']));
      case 5:
        return new PyUuid(Buffer.from(Array.from({ length: 16 }, () => this.int(0, 255))).toString('hex'));
      case 6:
        return new Uint8Array(Array.from({ length: this.int(0, 40) }, () => this.int(0, 255)));
      default:
        return this.pick([new PyTuple([]), new PyTuple([this.bigint(), this.string()])]);
    }
  }

  private hashable(): PyValue {
    const r = this.random();
    if (r < 0.5) return this.string();
    if (r < 0.8) return this.bigint();
    return new PyTuple([this.bigint(), this.string()]);
  }

  value(pickle: boolean, depth: number): PyValue {
    const r = this.random();
    if (depth < 3 && r < 0.12) return Array.from({ length: this.int(0, 5) }, () => this.value(pickle, depth + 1));
    if (depth < 3 && r < 0.22) return this.dict(pickle, depth + 1, this.int(0, 4));
    if (pickle && depth < 3 && r < 0.27) return new PyTuple(Array.from({ length: this.int(0, 5) }, () => this.value(pickle, depth + 1)));
    if (pickle && r < 0.3) {
      const items = new Map<string, PyValue>();
      for (let i = this.int(0, 5); i > 0; i--) {
        const h = this.hashable();
        items.set(typeof h === 'bigint' ? `i${h}` : typeof h === 'string' ? `s${h}` : `t${String(h)}${items.size}`, h);
      }
      return new PySet([...items.values()].filter((h) => !(h instanceof PyTuple)), this.random() < 0.3);
    }
    return pickle ? this.pickleScalar() : this.scalar();
  }

  dict(pickle: boolean, depth: number, size: number): PyDict {
    const d = new PyDict();
    while (d.size < size) d.set(pickle && this.random() < 0.2 ? this.hashable() : this.string(), this.value(pickle, depth));
    return d;
  }

  /** A top-level session: string keys, sometimes empty, sometimes with Django's own keys. */
  session(pickle: boolean): PyDict {
    if (this.random() < 0.08) return new PyDict();
    const d = this.random() < 0.3
      ? new PyDict([
          ['_auth_user_id', String(this.int(1, 99999))],
          ['_auth_user_backend', 'django.contrib.auth.backends.ModelBackend'],
          ['_auth_user_hash', 'f'.repeat(64)],
        ])
      : new PyDict();
    for (let n = this.int(1, 8); n > 0; n--) d.set(this.string(), this.value(pickle, 1));
    return d;
  }
}
