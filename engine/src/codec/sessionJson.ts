import { CodecError } from './codecError';
import { PyDict } from './pyDict';
import { PyOrderedDict } from './pyOrderedDict';
import { pyRepr } from './pyRepr';
import { pythonJsonParse } from './pythonJsonParse';
import { pyJsonString, pythonJsonStringify } from './pythonJsonStringify';
import { PyTuple, type PyValue } from './pyValue';

/**
 * Session data typed by a user as JSON (the CLI's `encode JSON`, `set KEY NAME JSON`): read as
 * Python's json.loads reads it, so big ints and `1.0` survive. Throws CodecError('bad-json')
 * or, for anything but an object, CodecError('not-a-dict').
 */
export function parseSessionJson(text: string): PyDict {
  const value = pythonJsonParse(text);
  if (!(value instanceof PyDict)) throw new CodecError('not-a-dict', 'Session data must be a JSON object');
  return value;
}

/** How one level of nesting is written: compact, or indented as `json.dumps(indent=n)` writes it. */
interface Layout {
  /** Between items: "," or ",\n" plus the next item's indentation. */
  open(depth: number): string;
  close(depth: number): string;
  between(depth: number): string;
  /** After a key: ":" or ": ". */
  colon: string;
}

const COMPACT: Layout = { open: () => '', close: () => '', between: () => ',', colon: ':' };

function indented(indent: number): Layout {
  const pad = (depth: number) => `\n${' '.repeat(indent * depth)}`;
  return { open: (depth) => pad(depth + 1), close: pad, between: (depth) => `,${pad(depth + 1)}`, colon: ': ' };
}

function displayValue(v: PyValue, depth: number, layout: Layout): string {
  if (depth > 1000) return pyJsonString('...');
  if (Array.isArray(v) || v instanceof PyTuple) {
    const items = Array.isArray(v) ? v : v.items;
    if (items.length === 0) return '[]';
    return `[${layout.open(depth)}${items.map((i) => displayValue(i, depth + 1, layout)).join(layout.between(depth))}${layout.close(depth)}]`;
  }
  if (v instanceof PyDict) {
    if (v.size === 0) return '{}';
    const parts: string[] = [];
    v.forEach((item, k) => parts.push(`${pyJsonString(typeof k === 'string' ? k : pyRepr(k))}${layout.colon}${displayValue(item, depth + 1, layout)}`));
    return `{${layout.open(depth)}${parts.join(layout.between(depth))}${layout.close(depth)}}`;
  }
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'number') {
    return pythonJsonStringify(v);
  }
  return pyJsonString(pyRepr(v));
}

/**
 * JSON text for showing a session outside Python (CLI `--json`, the editor's session documents):
 * exactly what json.dumps writes for JSON-typed data, compact or with `indent` (as
 * `json.dumps(data, indent=indent)`), while values JSON cannot hold (datetime, bytes, set,
 * Decimal, UUID from pickled sessions) become their Python repr as a string, as do non-str keys.
 */
export function sessionToDisplayJson(v: PyValue, indent = 0): string {
  return displayValue(v, 0, indent > 0 ? indented(indent) : COMPACT);
}

/** Whether sessionToDisplayJson shows `v` exactly, with no value turned into its repr. */
export function isJsonShaped(v: PyValue, depth = 0): boolean {
  if (depth > 1000) return false;
  // A tuple (from a pickle) shows as a JSON array, which would be read back as a list.
  if (Array.isArray(v)) return v.every((item) => isJsonShaped(item, depth + 1));
  // An OrderedDict (from a pickle) would be read back as a plain dict.
  if (v instanceof PyOrderedDict) return false;
  if (v instanceof PyDict) {
    let shaped = true;
    v.forEach((item, k) => {
      shaped &&= typeof k === 'string' && isJsonShaped(item, depth + 1);
    });
    return shaped;
  }
  return v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint' || typeof v === 'number';
}
