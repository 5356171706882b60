import { CodecError } from './codecError';
import { pyHashKey } from './pyHashKey';
import type { PyValue } from './pyValue';

/** Above this size lookups go through a hash index; below it a scan is faster than a Map. */
const INDEX_FROM = 8;

/** A str key that is its own hash key (see pyHashKey). */
function isPlainStr(key: PyValue): key is string {
  return typeof key === 'string' && key.charCodeAt(0) !== 0;
}

/**
 * A Python dict: insertion-ordered, keys compared as Python compares them. JSON sessions
 * only have `str` keys; pickled ones may use any hashable value. Re-setting an existing
 * key keeps its position, as in Python.
 *
 * Decoding creates many small dicts, so the layout is lean: one array of alternating keys
 * and values, hash keys only once a key is not a plain str, and an index only when large.
 */
export class PyDict {
  private readonly kv: PyValue[] = [];
  private hashes: string[] | undefined;
  private index: Map<string, number> | undefined;

  /** From entries, or from another PyDict (a shallow copy). */
  constructor(entries?: Iterable<readonly [PyValue, PyValue]>) {
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  get size(): number {
    return this.kv.length >> 1;
  }

  /** The entry number holding hash key `h`, or -1. */
  private find(h: string): number {
    if (this.index) return this.index.get(h) ?? -1;
    if (this.hashes) return this.hashes.indexOf(h);
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) if (kv[i] === h) return i >> 1;
    return -1;
  }

  private hashAt(entry: number): string {
    return this.hashes ? this.hashes[entry] : (this.kv[entry * 2] as string);
  }

  private append(key: PyValue, value: PyValue, h: string): void {
    if (!this.hashes && !isPlainStr(key)) this.hashes = Array.from({ length: this.size }, (_, i) => this.hashAt(i));
    this.kv.push(key, value);
    this.hashes?.push(h);
    const entry = this.size - 1;
    if (this.index) this.index.set(h, entry);
    else if (entry >= INDEX_FROM) this.rebuildIndex();
  }

  private rebuildIndex(): void {
    this.index = undefined;
    if (this.size <= INDEX_FROM) return;
    const index = new Map<string, number>();
    for (let i = 0; i < this.size; i++) index.set(this.hashAt(i), i);
    this.index = index;
  }

  has(key: PyValue): boolean {
    const h = pyHashKey(key);
    return h !== undefined && this.find(h) >= 0;
  }

  get(key: PyValue): PyValue | undefined {
    const h = pyHashKey(key);
    if (h === undefined) return undefined;
    const i = this.find(h);
    return i < 0 ? undefined : this.kv[i * 2 + 1];
  }

  /** Sets a value; throws CodecError('unhashable') for a key Python could not hash (list, dict, set). */
  set(key: PyValue, value: PyValue): this {
    const h = pyHashKey(key);
    if (h === undefined) throw new CodecError('unhashable', `unhashable type: '${describe(key)}'`);
    const i = this.find(h);
    if (i >= 0) this.kv[i * 2 + 1] = value;
    else this.append(key, value, h);
    return this;
  }

  /** `set` for a str key, skipping the general hash: the JSON decoder's hot path. */
  setStr(key: string, value: PyValue): this {
    const h = key.charCodeAt(0) === 0 ? `\u0000s${key}` : key;
    const i = this.find(h);
    if (i >= 0) this.kv[i * 2 + 1] = value;
    else this.append(key, value, h);
    return this;
  }

  delete(key: PyValue): boolean {
    const h = pyHashKey(key);
    const i = h === undefined ? -1 : this.find(h);
    if (i < 0) return false;
    this.kv.splice(i * 2, 2);
    this.hashes?.splice(i, 1);
    this.rebuildIndex();
    return true;
  }

  clear(): void {
    this.kv.length = 0;
    this.hashes = undefined;
    this.index = undefined;
  }

  *keys(): IterableIterator<PyValue> {
    for (let i = 0; i < this.kv.length; i += 2) yield this.kv[i];
  }

  *values(): IterableIterator<PyValue> {
    for (let i = 1; i < this.kv.length; i += 2) yield this.kv[i];
  }

  *entries(): IterableIterator<[PyValue, PyValue]> {
    for (let i = 0; i < this.kv.length; i += 2) yield [this.kv[i], this.kv[i + 1]];
  }

  [Symbol.iterator](): IterableIterator<[PyValue, PyValue]> {
    return this.entries();
  }

  /** Calls `fn` for each entry in order, without allocating an iterator (for hot loops). */
  forEach(fn: (value: PyValue, key: PyValue) => void): void {
    for (let i = 0; i < this.kv.length; i += 2) fn(this.kv[i + 1], this.kv[i]);
  }

  /** The key of entry `i` (0 ≤ i < size), in insertion order: with valueAt, a loop without a callback per entry. */
  keyAt(i: number): PyValue {
    return this.kv[i * 2];
  }

  /** The value of entry `i` (0 ≤ i < size). */
  valueAt(i: number): PyValue {
    return this.kv[i * 2 + 1];
  }

  /** A shallow copy. */
  copy(): PyDict {
    return new PyDict(this);
  }
}

function describe(key: PyValue): string {
  if (Array.isArray(key)) return 'list';
  if (key instanceof PyDict) return 'dict';
  return 'set';
}
