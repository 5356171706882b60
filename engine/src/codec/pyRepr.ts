import { PyDict } from './pyDict';
import { PyOrderedDict } from './pyOrderedDict';
import { pyFloatRepr } from './pyFloatRepr';
import { PyDate, PyDatetime, PyDecimal, PySet, PyTime, PyTimedelta, PyTimezone, PyTuple, PyUuid, type PyValue } from './pyValue';

/** Longest text pyRepr returns; shared sub-structures can make a true repr astronomically long. */
const MAX_REPR_LENGTH = 1_000_000;
/** Nesting beyond this prints as `...`; a pickle can nest far deeper than the JS stack allows. */
const MAX_REPR_DEPTH = 500;

/**
 * What Python's str.isprintable() rejects outside printable ASCII: controls, format characters such as the bidi override U+202E, surrogates, private use,
 * unassigned code points, and separators other than the space. Escaping them as Python does
 * keeps a session value from reordering or hiding text in a terminal or a tree row.
 */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function codePointEscape(cp: number): string {
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (NOT_PRINTABLE.test(ch)) out += codePointEscape(cp);
    else out += ch;
  }
  return out + quote;
}

function bytesRepr(b: Uint8Array): string {
  const text = Buffer.from(b).toString('latin1');
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = `b${quote}`;
  for (const c of b) {
    const ch = String.fromCharCode(c);
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c >= 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

function timedeltaRepr(td: PyTimedelta): string {
  const parts: string[] = [];
  if (td.days) parts.push(`days=${td.days}`);
  if (td.seconds) parts.push(`seconds=${td.seconds}`);
  if (td.microseconds) parts.push(`microseconds=${td.microseconds}`);
  return `datetime.timedelta(${parts.length ? parts.join(', ') : '0'})`;
}

/** `str(timedelta)` for whole seconds, as pytz's repr shows an offset: `2:00:00`, `-1 day, 19:00:00`. */
function timedeltaStr(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  const rest = seconds - days * 86400;
  const clock = `${Math.floor(rest / 3600)}:${String(Math.floor(rest / 60) % 60).padStart(2, '0')}:${String(rest % 60).padStart(2, '0')}`;
  return days ? `${days} day${Math.abs(days) === 1 ? '' : 's'}, ${clock}` : clock;
}

function tzRepr(tz: PyTimezone): string {
  if (tz.zone?.kind === 'zoneinfo') return `zoneinfo.ZoneInfo(key=${strRepr(tz.zone.key)})`;
  if (tz.zone?.kind === 'pytz') {
    const offset = Number(tz.offset.totalMicroseconds() / 1_000_000n);
    return `<DstTzInfo ${strRepr(tz.zone.zone)} ${tz.zone.tzname}${offset > 0 ? '+' : ''}${timedeltaStr(offset)} ${tz.zone.dstSeconds ? 'DST' : 'STD'}>`;
  }
  if (tz.pytz) return '<UTC>';
  if (tz.name === null && tz.offset.totalMicroseconds() === 0n) return 'datetime.timezone.utc';
  const offset = timedeltaRepr(tz.offset);
  return tz.name === null ? `datetime.timezone(${offset})` : `datetime.timezone(${offset}, ${strRepr(tz.name)})`;
}

function clockArgs(h: number, m: number, s: number, us: number): string {
  let text = `${h}, ${m}`;
  if (s || us) text += `, ${s}`;
  if (us) text += `, ${us}`;
  return text;
}

function tail(tz: PyTimezone | null, fold: number): string {
  return (tz ? `, tzinfo=${tzRepr(tz)}` : '') + (fold ? ', fold=1' : '');
}

class ReprWriter {
  private readonly parts: string[] = [];
  private length = 0;
  private readonly active = new Set<object>();

  full(): boolean {
    return this.length >= MAX_REPR_LENGTH;
  }

  put(text: string): void {
    if (this.full()) return;
    this.parts.push(text);
    this.length += text.length;
  }

  text(): string {
    const joined = this.parts.join('');
    return joined.length > MAX_REPR_LENGTH ? `${joined.slice(0, MAX_REPR_LENGTH)}…` : joined;
  }

  private seq(open: string, close: string, items: Iterable<PyValue>, container: object, recursive: string): void {
    if (this.active.has(container) || this.active.size >= MAX_REPR_DEPTH) return this.put(recursive);
    this.active.add(container);
    this.put(open);
    let first = true;
    for (const item of items) {
      if (this.full()) break;
      if (!first) this.put(', ');
      first = false;
      this.value(item);
    }
    this.put(close);
    this.active.delete(container);
  }

  value(v: PyValue): void {
    if (this.full()) return;
    if (v === null) return this.put('None');
    if (v === true) return this.put('True');
    if (v === false) return this.put('False');
    if (typeof v === 'bigint') return this.put(v.toString());
    if (typeof v === 'number') return this.put(pyFloatRepr(v));
    if (typeof v === 'string') return this.put(strRepr(v));
    if (Array.isArray(v)) return this.seq('[', ']', v, v, '[...]');
    if (v instanceof PyOrderedDict) {
      // Python 3.11's form, OrderedDict([(key, value), ...]).
      if (v.size === 0) return this.put('OrderedDict()');
      this.put('OrderedDict(');
      this.seq('[', ']', [...v].map(([k, item]) => new PyTuple([k, item])), v, '...');
      return this.put(')');
    }
    if (v instanceof PyDict) {
      if (this.active.has(v) || this.active.size >= MAX_REPR_DEPTH) return this.put('{...}');
      this.active.add(v);
      this.put('{');
      let first = true;
      for (const [k, item] of v) {
        if (this.full()) break;
        if (!first) this.put(', ');
        first = false;
        this.value(k);
        this.put(': ');
        this.value(item);
      }
      this.put('}');
      this.active.delete(v);
      return;
    }
    if (v instanceof PyTuple) {
      if (v.items.length === 1) return this.seq('(', ',)', v.items, v, '(...)');
      return this.seq('(', ')', v.items, v, '(...)');
    }
    if (v instanceof PySet) {
      if (v.items.length === 0) return this.put(v.frozen ? 'frozenset()' : 'set()');
      return this.seq(v.frozen ? 'frozenset({' : '{', v.frozen ? '})' : '}', v.items, v, '{...}');
    }
    if (v instanceof Uint8Array) return this.put(bytesRepr(v));
    if (v instanceof PyDatetime) {
      return this.put(
        `datetime.datetime(${v.year}, ${v.month}, ${v.day}, ${clockArgs(v.hour, v.minute, v.second, v.microsecond)}${tail(v.tzinfo, v.fold)})`,
      );
    }
    if (v instanceof PyDate) return this.put(`datetime.date(${v.year}, ${v.month}, ${v.day})`);
    if (v instanceof PyTime) return this.put(`datetime.time(${clockArgs(v.hour, v.minute, v.second, v.microsecond)}${tail(v.tzinfo, v.fold)})`);
    if (v instanceof PyTimedelta) return this.put(timedeltaRepr(v));
    if (v instanceof PyTimezone) return this.put(tzRepr(v));
    if (v instanceof PyDecimal) return this.put(`Decimal(${strRepr(v.text)})`);
    if (v instanceof PyUuid) return this.put(`UUID('${v.toString()}')`);
  }
}

/** Python's `repr()` as one line for display, e.g. `{'a': 1}`, `[1, 2.0]`; cycles print as `[...]`. */
export function pyRepr(v: PyValue): string {
  const w = new ReprWriter();
  w.value(v);
  return w.text();
}

/** `type(v).__name__`: 'str', 'int', 'float', 'dict', 'list', 'datetime', 'Decimal', ... */
export function pyTypeName(v: PyValue): string {
  if (v === null) return 'NoneType';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'str';
  }
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyDict) return v instanceof PyOrderedDict ? 'OrderedDict' : 'dict';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof PySet) return v.frozen ? 'frozenset' : 'set';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof PyDatetime) return 'datetime';
  if (v instanceof PyDate) return 'date';
  if (v instanceof PyTime) return 'time';
  if (v instanceof PyTimedelta) return 'timedelta';
  if (v instanceof PyTimezone) return v.zone?.kind === 'zoneinfo' ? 'ZoneInfo' : v.zone ? 'DstTzInfo' : v.pytz ? 'UTC' : 'timezone';
  if (v instanceof PyDecimal) return 'Decimal';
  return 'UUID';
}

/** The children of a container for a tree view (dict: key repr → value; list/tuple/set: index → item); undefined for scalars. */
export function pyChildren(v: PyValue): Array<[label: string, child: PyValue]> | undefined {
  if (v instanceof PyDict) return [...v].map(([k, item]) => [pyRepr(k), item]);
  const items = Array.isArray(v) ? v : v instanceof PyTuple || v instanceof PySet ? v.items : undefined;
  return items?.map((item, i) => [String(i), item]);
}
