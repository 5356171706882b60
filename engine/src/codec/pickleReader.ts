import { expandedSize } from './expandedSize';
import { CodecError } from './codecError';
import { applyGlobal, buildObject, newObject, PendingObject, PyGlobal, resolveGlobal } from './pickleGlobals';
import { PyDict } from './pyDict';
import { utf8DecodeSurrogatePass } from './utf8SurrogatePass';
import { PySet, PyTuple, type PyValue } from './pyValue';

/** Python refuses int text longer than this (CVE-2020-10735 limit). */
const MAX_INT_DIGITS = 4300;

type StackItem = unknown;

/**
 * Tuples holding a class reference or an unbuilt object, directly or through another such
 * tuple. REDUCE arguments may hold classes (protocol 0-1 pickles pass `copyreg._reconstructor`
 * its classes so), but such a tuple must never become a value.
 */
const holdsReferences = new WeakSet<PyTuple>();

/** A tuple of raw stack items, remembered in holdsReferences when it holds any. */
function tuple(items: StackItem[]): PyTuple {
  const t = new PyTuple(items as PyValue[]);
  if (items.some((i) => i instanceof PyGlobal || i instanceof PendingObject || (i instanceof PyTuple && holdsReferences.has(i)))) {
    holdsReferences.add(t);
  }
  return t;
}

function bad(message: string): never {
  throw new CodecError('bad-pickle', message);
}

function truncated(): never {
  throw new CodecError('truncated', 'Pickle data was truncated');
}

function decodeLong(b: Uint8Array): bigint {
  if (b.length === 0) return 0n;
  let hex = '';
  for (let i = b.length - 1; i >= 0; i--) hex += b[i].toString(16).padStart(2, '0');
  let n = BigInt(`0x${hex}`);
  if (b[b.length - 1] & 0x80) n -= 1n << BigInt(b.length * 8);
  return n;
}

function parseIntText(text: string): bigint {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) bad(`invalid int literal ${JSON.stringify(t.slice(0, 40))}`);
  if (t.replace(/^[+-]/, '').length > MAX_INT_DIGITS) bad('int literal exceeds 4300 digits');
  return BigInt(t);
}

function parseFloatText(text: string): number {
  const t = text.trim().toLowerCase();
  if (/^[+-]?(nan|inf|infinity)$/.test(t)) return t.includes('nan') ? NaN : t.startsWith('-') ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) bad(`invalid float literal ${JSON.stringify(t.slice(0, 40))}`);
  return Number(t);
}

/** Python's `raw-unicode-escape` decoding of protocol-0 UNICODE lines (`\uXXXX`, `\UXXXXXXXX`). */
function rawUnicodeEscape(bytes: Uint8Array): string {
  const latin = Buffer.from(bytes).toString('latin1');
  return latin.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})/g, (_m, esc: string) => {
    const cp = parseInt(esc.slice(1), 16);
    if (cp > 0x10ffff) bad('\\U escape out of range');
    return String.fromCodePoint(cp);
  });
}

/** Protocol-0 STRING: a Python 2 `repr()` of a str, decoded as ASCII (the unpickler default). */
function stringLiteral(text: string): string {
  const q = text[0];
  if (text.length < 2 || (q !== "'" && q !== '"') || text[text.length - 1] !== q) bad('STRING opcode argument must be quoted');
  const body = text.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      bytes.push(body.charCodeAt(i));
      continue;
    }
    const n = body[++i];
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, '\\': 92, "'": 39, '"': 34, a: 7, b: 8, f: 12, v: 11, '\n': -1 };
    if (n in simple) {
      if (simple[n] >= 0) bytes.push(simple[n]);
    } else if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 1, i + 3))) {
      bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (n !== undefined && /[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i))!;
      bytes.push(parseInt(m[0], 8) & 0xff);
      i += m[0].length - 1;
    } else {
      bytes.push(92);
      if (n !== undefined) bytes.push(body.charCodeAt(i));
    }
  }
  return asciiString(Uint8Array.from(bytes));
}

function asciiString(b: Uint8Array): string {
  for (let i = 0; i < b.length; i++) if (b[i] > 0x7f) bad("'ascii' codec can't decode a Python 2 str in this pickle");
  return Buffer.from(b).toString('latin1');
}

/** More distinct memo entries than any real session pickle has; each costs memory however short its opcode. */
const MAX_MEMO = 1_000_000;

class Reader {
  private pos = 0;
  private stack: StackItem[] = [];
  private readonly marks: StackItem[][] = [];
  private readonly memo = new Map<number, StackItem>();
  /** Where each not-yet-built object sits in the memo, so BUILD can swap in the result. */
  private readonly pendingMemo = new Map<PendingObject, Set<number>>();
  constructor(private readonly data: Uint8Array) {}

  private byte(): number {
    if (this.pos >= this.data.length) truncated();
    return this.data[this.pos++];
  }

  private bytes(n: number): Uint8Array {
    if (n < 0 || this.pos + n > this.data.length) truncated();
    const out = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private u16(): number {
    const b = this.bytes(2);
    return b[0] | (b[1] << 8);
  }

  private u32(): number {
    const b = this.bytes(4);
    return (b[0] | (b[1] << 8) | (b[2] << 16)) + b[3] * 0x1000000;
  }

  private i32(): number {
    const b = this.bytes(4);
    return b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24);
  }

  private u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    if (hi > 0x1fffff) truncated();
    return hi * 0x100000000 + lo;
  }

  private line(): string {
    const end = this.data.indexOf(0x0a, this.pos);
    if (end < 0) truncated();
    const text = Buffer.from(this.data.subarray(this.pos, end)).toString('latin1');
    this.pos = end + 1;
    return text;
  }

  private lineBytes(): Uint8Array {
    const end = this.data.indexOf(0x0a, this.pos);
    if (end < 0) truncated();
    const out = this.data.subarray(this.pos, end);
    this.pos = end + 1;
    return out;
  }

  private utf8Text(b: Uint8Array): string {
    const text = utf8DecodeSurrogatePass(b);
    if (text === undefined) bad("'utf-8' codec can't decode a pickled str");
    return text;
  }

  private push(v: StackItem): void {
    this.stack.push(v);
  }

  private pop(): StackItem {
    if (this.stack.length === 0) bad('unpickling stack underflow');
    return this.stack.pop();
  }

  private top(): StackItem {
    if (this.stack.length === 0) bad('unpickling stack underflow');
    return this.stack[this.stack.length - 1];
  }

  private popMark(): StackItem[] {
    const items = this.stack;
    const prev = this.marks.pop();
    if (!prev) bad('could not find MARK');
    this.stack = prev;
    return items;
  }

  private memoGet(i: number): StackItem {
    if (!this.memo.has(i)) bad(`Memo value not found at index ${i}`);
    return this.memo.get(i);
  }

  /** Each store is constant work: a hostile pickle repeats them by the million, and copying a list per store took minutes. */
  private memoPut(i: number): void {
    const item = this.top();
    if (!this.memo.has(i) && this.memo.size >= MAX_MEMO) bad(`more than ${MAX_MEMO} memoized objects, which no session holds`);
    this.memo.set(i, item);
    if (item instanceof PendingObject) {
      const indices = this.pendingMemo.get(item) ?? new Set<number>();
      indices.add(i);
      this.pendingMemo.set(item, indices);
    }
  }

  private setItems(target: StackItem, items: StackItem[]): void {
    if (!(target instanceof PyDict)) bad('SETITEM(S) target is not a dict');
    if (items.length % 2 !== 0) bad('odd number of items for SETITEMS');
    for (let i = 0; i < items.length; i += 2) target.set(value(items[i]), value(items[i + 1]));
  }

  private appendItems(target: StackItem, items: StackItem[]): void {
    if (!Array.isArray(target)) bad('APPEND(S) target is not a list');
    for (const item of items) target.push(value(item));
  }

  run(): PyValue {
    for (;;) {
      const op = this.byte();
      switch (op) {
        case 0x80: {
          const proto = this.byte();
          if (proto > 5) bad(`unsupported pickle protocol: ${proto}`);
          break;
        }
        case 0x95:
          this.u64();
          break;
        case 0x2e: {
          const result = value(this.pop());
          if (this.stack.length > 0 || this.marks.length > 0) bad('STOP with items left on the stack');
          return result;
        }
        case 0x28:
          this.marks.push(this.stack);
          this.stack = [];
          break;
        case 0x30:
          if (this.stack.length > 0) this.stack.pop();
          else this.popMark();
          break;
        case 0x31:
          this.popMark();
          break;
        case 0x32:
          this.push(this.top());
          break;
        case 0x4e:
          this.push(null);
          break;
        case 0x88:
          this.push(true);
          break;
        case 0x89:
          this.push(false);
          break;
        case 0x4b:
          this.push(BigInt(this.byte()));
          break;
        case 0x4d:
          this.push(BigInt(this.u16()));
          break;
        case 0x4a:
          this.push(BigInt(this.i32()));
          break;
        case 0x8a:
          this.push(decodeLong(this.bytes(this.byte())));
          break;
        case 0x8b: {
          const n = this.i32();
          if (n < 0) bad('LONG pickle has negative byte count');
          this.push(decodeLong(this.bytes(n)));
          break;
        }
        case 0x49: {
          const text = this.line();
          if (text === '00') this.push(false);
          else if (text === '01') this.push(true);
          else this.push(parseIntText(text));
          break;
        }
        case 0x4c:
          this.push(parseIntText(this.line().replace(/L$/, '')));
          break;
        case 0x46:
          this.push(parseFloatText(this.line()));
          break;
        case 0x47:
          this.push(Buffer.from(this.bytes(8)).readDoubleBE(0));
          break;
        case 0x53:
          this.push(stringLiteral(this.line()));
          break;
        case 0x54: {
          const n = this.i32();
          if (n < 0) bad('BINSTRING pickle has negative byte count');
          this.push(asciiString(this.bytes(n)));
          break;
        }
        case 0x55:
          this.push(asciiString(this.bytes(this.byte())));
          break;
        case 0x56:
          this.push(rawUnicodeEscape(this.lineBytes()));
          break;
        case 0x58:
          this.push(this.utf8Text(this.bytes(this.u32())));
          break;
        case 0x8c:
          this.push(this.utf8Text(this.bytes(this.byte())));
          break;
        case 0x8d:
          this.push(this.utf8Text(this.bytes(this.u64())));
          break;
        case 0x42:
          this.push(Uint8Array.from(this.bytes(this.u32())));
          break;
        case 0x43:
          this.push(Uint8Array.from(this.bytes(this.byte())));
          break;
        case 0x8e:
          this.push(Uint8Array.from(this.bytes(this.u64())));
          break;
        case 0x96:
          throw new CodecError('unsupported-pickle-global', 'The pickle holds a bytearray, which is not a supported type');
        case 0x97:
        case 0x98:
          bad('out-of-band pickle buffers are not supported');
          break;
        case 0x29:
          this.push(new PyTuple([]));
          break;
        case 0x74:
          this.push(tuple(this.popMark()));
          break;
        case 0x85: {
          const a = this.pop();
          this.push(tuple([a]));
          break;
        }
        case 0x86: {
          const b = this.pop();
          const a = this.pop();
          this.push(tuple([a, b]));
          break;
        }
        case 0x87: {
          const c = this.pop();
          const b = this.pop();
          const a = this.pop();
          this.push(tuple([a, b, c]));
          break;
        }
        case 0x5d:
          this.push([]);
          break;
        case 0x6c:
          this.push(this.popMark().map(value));
          break;
        case 0x7d:
          this.push(new PyDict());
          break;
        case 0x64: {
          const d = new PyDict();
          this.setItems(d, this.popMark());
          this.push(d);
          break;
        }
        case 0x8f:
          this.push(new PySet([]));
          break;
        case 0x91:
          this.push(new PySet(this.popMark().map(value), true));
          break;
        case 0x61: {
          const item = this.pop();
          this.appendItems(this.top(), [item]);
          break;
        }
        case 0x65: {
          const items = this.popMark();
          this.appendItems(this.top(), items);
          break;
        }
        case 0x73: {
          const v = this.pop();
          const k = this.pop();
          this.setItems(this.top(), [k, v]);
          break;
        }
        case 0x75: {
          const items = this.popMark();
          this.setItems(this.top(), items);
          break;
        }
        case 0x90: {
          const items = this.popMark();
          const target = this.top();
          if (!(target instanceof PySet) || target.frozen) bad('ADDITEMS target is not a set');
          for (const item of items) (target.items as PyValue[]).push(value(item));
          break;
        }
        case 0x67:
          this.push(this.memoGet(parseIntOrBad(this.line())));
          break;
        case 0x68:
          this.push(this.memoGet(this.byte()));
          break;
        case 0x6a:
          this.push(this.memoGet(this.u32()));
          break;
        case 0x70:
          this.memoPut(parseIntOrBad(this.line()));
          break;
        case 0x71:
          this.memoPut(this.byte());
          break;
        case 0x72:
          this.memoPut(this.u32());
          break;
        case 0x94:
          this.memoPut(this.memo.size);
          break;
        case 0x63: {
          const module = this.line();
          const name = this.line();
          this.push(resolveGlobal(module, name));
          break;
        }
        case 0x93: {
          const name = this.pop();
          const module = this.pop();
          if (typeof module !== 'string' || typeof name !== 'string') bad('STACK_GLOBAL requires str');
          this.push(resolveGlobal(module, name));
          break;
        }
        case 0x52: {
          const args = this.pop();
          const fn = this.pop();
          if (!(fn instanceof PyGlobal)) bad('REDUCE on something that is not an allowed global');
          if (!(args instanceof PyTuple)) bad('REDUCE arguments must be a tuple');
          this.push(applyGlobal(fn, args.items));
          break;
        }
        case 0x81: {
          const args = this.pop();
          const cls = this.pop();
          if (!(args instanceof PyTuple)) bad('NEWOBJ arguments must be a tuple');
          this.push(newObject(cls, args.items));
          break;
        }
        case 0x92: {
          const kwargs = this.pop();
          const args = this.pop();
          const cls = this.pop();
          if (!(args instanceof PyTuple) || !(kwargs instanceof PyDict) || kwargs.size > 0) bad('unsupported NEWOBJ_EX');
          this.push(newObject(cls, args.items));
          break;
        }
        case 0x62: {
          const state = this.pop();
          const obj = this.pop();
          const built = buildObject(obj, state);
          for (const i of this.pendingMemo.get(obj as PendingObject) ?? []) if (this.memo.get(i) === obj) this.memo.set(i, built);
          this.pendingMemo.delete(obj as PendingObject);
          this.push(built);
          break;
        }
        case 0x82:
        case 0x83:
        case 0x84:
          throw new CodecError('unsupported-pickle-global', 'The pickle uses the copyreg extension registry, which is not supported');
        case 0x50:
        case 0x51:
          throw new CodecError('unsupported-pickle-global', 'The pickle uses persistent ids, which are not supported');
        case 0x69:
        case 0x6f:
          throw new CodecError('unsupported-pickle-global', 'The pickle builds a class instance (INST/OBJ), which is never executed');
        default:
          bad(`invalid load key, '\\x${op.toString(16).padStart(2, '0')}'`);
      }
    }
  }
}

function parseIntOrBad(text: string): number {
  if (!/^\d{1,9}$/.test(text)) bad(`invalid memo index ${JSON.stringify(text.slice(0, 20))}`);
  return Number(text);
}

/** A stack item as a value: classes and half-built objects cannot be stored in containers. */
function value(item: StackItem): PyValue {
  if (item instanceof PyGlobal) bad(`a bare reference to ${item.qualified} cannot be a value`);
  if (item instanceof PendingObject) bad(`${item.cls.qualified} object was never built`);
  if (item instanceof PyTuple && holdsReferences.has(item)) bad('a tuple holding class references cannot be a value');
  return item as PyValue;
}

/**
 * `pickle.loads(data)` for the session subset, without executing anything: only
 * allow-listed globals (datetime types, timezone, pytz.utc, Decimal, UUID, set, frozenset,
 * bytes) are recognised, and their values are built in TypeScript.
 */
export function pickleLoads(data: Uint8Array): PyValue {
  let value: PyValue;
  try {
    value = new Reader(data).run();
  } catch (err) {
    if (err instanceof CodecError) throw err;
    throw new CodecError('bad-pickle', `Unreadable pickle: ${(err as Error).message}`);
  }
  // A few hundred bytes of shared references can stand for 2^60 values: Python holds them shared,
  // but showing, searching or writing them as JSON walks each, so such data is refused here. Data
  // without such sharing takes a byte or more per value, and is never refused for its size.
  const limit = Math.max(MAX_EXPANDED_VALUES, 4 * data.length);
  if (expandedSize(value, limit) > limit) {
    throw new CodecError('too-large', `The pickle repeats shared values so often that it stands for more than ${limit.toLocaleString('en-US')} values; Django loads it, but it is not shown or changed here`);
  }
  return value;
}

/** The fewest values decoded data may stand for, once each shared container is counted wherever it appears, before it is refused. */
const MAX_EXPANDED_VALUES = 1_000_000;
