import * as path from 'node:path';
import type { Position, Range } from './range';
import type { SessionAccess, SessionFacts } from './sessionAccesses';
import type { SessionOp } from './sessionKeyUsage';
import { renderedTags } from './templateTags';

const TEMPLATE_EXTENSIONS = new Set(['.html', '.htm', '.txt', '.xml', '.jinja', '.jinja2', '.j2', '.djhtml']);
const TEMPLATE_DIRS = new Set(['templates', 'jinja2']);

/** The files isTemplatePath takes, as a file watcher's glob. */
export const TEMPLATE_GLOB = `**/{${[...TEMPLATE_DIRS].join(',')}}/**/*.{${[...TEMPLATE_EXTENSIONS].map((e) => e.slice(1)).join(',')}}`;

/**
 * Whether a file is a template the index reads session keys from: a template extension in a
 * `templates` (or Jinja2's `jinja2`) directory, where Django's app loaders and most `DIRS`
 * look. Other `.html` and `.txt` files (docs, fixtures, static) are not read.
 */
export function isTemplatePath(file: string): boolean {
  if (!TEMPLATE_EXTENSIONS.has(path.extname(file).toLowerCase())) {
    return false;
  }
  return path.dirname(file).split(/[\\/]/).some((segment) => TEMPLATE_DIRS.has(segment));
}

/**
 * Names a template reaches on a session that are SessionBase's own attributes and methods, not
 * keys: `{{ request.session.session_key }}`. (Django's template lookup tries the key first,
 * but nobody names a key `items`.)
 */
const SESSION_ATTRIBUTES = new Set([
  'get', 'items', 'keys', 'values', 'pop', 'setdefault', 'update', 'clear', 'flush', 'cycle_key', 'is_empty', 'has_key',
  'get_expiry_age', 'get_expiry_date', 'get_expire_at_browser_close', 'get_session_cookie_age', 'set_expiry',
  'set_test_cookie', 'test_cookie_worked', 'delete_test_cookie', 'modified', 'accessed', 'session_key', 'serializer',
  'exists', 'create', 'save', 'delete', 'load', 'encode', 'decode', 'clear_expired', 'key_salt', 'cache_key', 'cache_key_prefix',
]);

const JINJA_EXTENSIONS = new Set(['.jinja', '.jinja2', '.j2']);
/**
 * `request.session.cart` (both engines), `['cart']` and `.get('cart')` (Jinja2), and `'cart' in
 * request.session` (or `not in`), also of its keys: `request.session.keys` (Django calls it), `.keys()` (Jinja2).
 */
const ACCESS =
  /\brequest\.session(?:\.([A-Za-z]\w*)\b(?!\s*\()|\[\s*(['"])([^'"\\\r\n]*)\2\s*\]|\.get\(\s*(['"])([^'"\\\r\n]*)\4)|(['"])([^'"\\\r\n]*)\6\s+(?:not\s+)?in\s+request\.session(?:\.keys(?:\(\s*\))?)?(?![\w.[(])/g;

/**
 * The session keys a Django or Jinja2 template reads, as accesses of the index: they answer
 * the writes in Python code (so a key only templates read is not "written but never read"),
 * and show among a key's references. A rename rewrites a quoted key as a literal, and a dotted
 * one only to a name the template engines can look up.
 */
export function templateSessionFacts(text: string, file: string): SessionFacts | undefined {
  const accesses: SessionAccess[] = [];
  const lines = lineStarts(text);
  for (const tag of renderedTags(text, isJinjaPath(file))) {
    for (const match of tag[0].matchAll(ACCESS)) {
      const at = tag.index + match.index;
      const access = accessOf(match, at, lines);
      if (access) {
        accesses.push(access);
      }
    }
  }
  return accesses.length > 0 ? { accesses, nonJsonValues: [], unmarkedMutations: [], badExpiryCalls: [] } : undefined;
}

/** Whether a template reads `name` as a key in `request.session.name`: a name Django's lookup takes (no leading underscore) that is no session attribute. */
export function isTemplateLookupKey(name: string): boolean {
  return /^[A-Za-z]\w*$/.test(name) && !SESSION_ATTRIBUTES.has(name);
}

/** Whether a template reads `key` as a quoted key (`'cart' in request.session`): ACCESS takes no quote, backslash or line break in one. */
export function isTemplateQuotedKey(key: string): boolean {
  return !/['"\\\r\n]/.test(key);
}

/** Whether a template is Jinja2's by where it is or its extension: Django's Jinja2 backend looks in `jinja2` directories. */
export function isJinjaPath(file: string): boolean {
  return JINJA_EXTENSIONS.has(path.extname(file).toLowerCase()) || path.dirname(file).split(/[\\/]/).includes('jinja2');
}

function accessOf(match: RegExpMatchArray, at: number, lines: number[]): SessionAccess | undefined {
  const [whole, attribute, , subscript, , got, , contained] = match;
  if (attribute !== undefined) {
    if (SESSION_ATTRIBUTES.has(attribute)) {
      return undefined;
    }
    const range = span(lines, at + whole.length - attribute.length, attribute.length);
    return { key: { kind: 'literal', value: attribute }, op: 'read', range, keyText: attribute, spelling: { kind: 'lookup', range } };
  }
  const [value, op, quoted] =
    subscript !== undefined
      ? [subscript, 'read' as SessionOp, quotedAt(whole, subscript, whole.indexOf('[') + 1)]
      : got !== undefined
        ? [got, 'get' as SessionOp, quotedAt(whole, got, whole.indexOf('(') + 1)]
        : [contained!, 'contains' as SessionOp, quotedAt(whole, contained!, 0)];
  const range = span(lines, at + quoted.offset, quoted.text.length);
  return { key: { kind: 'literal', value }, op, range, keyText: quoted.text, spelling: { kind: 'literal', range } };
}

/** The quoted key (quotes included) in `whole`, the first quote at or after `from`. */
function quotedAt(whole: string, value: string, from: number): { offset: number; text: string } {
  const offset = whole.slice(from).search(/['"]/) + from;
  return { offset, text: whole.slice(offset, offset + value.length + 2) };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    starts.push(i + 1);
  }
  return starts;
}

function span(lines: number[], offset: number, length: number): Range {
  const start = positionAt(lines, offset);
  return { start, end: { line: start.line, character: start.character + length } };
}

function positionAt(lines: number[], offset: number): Position {
  let low = 0;
  let high = lines.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lines[mid]! <= offset) {
      low = mid;
    } else {
      high = mid - 1;
    }
  }
  return { line: low, character: offset - lines[low]! };
}
