import type { SessionFilter } from '../../server/src/protocol';

/** What the filter box accepts, shown as its prompt. */
export const FILTER_SYNTAX = 'user:ID  key:NAME  active | expired, and other words as one text the data contains as Python shows it ("quoted" is always text; key:"a name" for one with spaces)';

/** A parsed filter, or why the text is not one. */
type ParsedFilter = { filter: SessionFilter | undefined } | { error: string };

const FIELDS = { 'user:': 'userId', 'key:': 'hasKey' } as const;
const STATES: readonly string[] = ['active', 'expired'] satisfies NonNullable<SessionFilter['state']>[];

/** Whether the box reads a word as part of the filter (a state, or a `user:`/`key:` field) rather than as text. */
function isFilterWord(word: string): boolean {
  const lower = word.toLowerCase();
  return STATES.includes(lower) || Object.keys(FIELDS).some((prefix) => lower.startsWith(prefix));
}

/** ", did you mean user:?" for a field name one or two letters away from one the box knows, else nothing. */
function closeField(name: string): string {
  const near = Object.keys(FIELDS).find((prefix) => distance(name, prefix.slice(0, -1)) <= 2 || prefix.startsWith(name));
  return near ? `, did you mean ${near}` : '';
}

/** Levenshtein distance, for the few letters of a field name. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * A field with a double-quoted value, in which a backslash escapes (`\"`, `\\`, `\n`): a key may
 * be any str, spaces, quotes and newlines included. Else a double-quoted text kept as it is
 * (spaces included), or a word. An unclosed quote runs to the end.
 */
const TOKEN = /(user:|key:)"((?:[^"\\]|\\[\s\S]?)*)"?|"([^"]*)"?|(\S+)/gi;

const ESCAPED: Record<string, string> = { n: '\n', r: '\r', t: '\t' };

function unescapeValue(quoted: string): string {
  return quoted.replace(/\\([\s\S]?)/g, (_, c: string) => (c === '' ? '\\' : (ESCAPED[c] ?? c)));
}

/** A field's value as the box reads it back: as it is where it is one plain word, else quoted with its quotes, backslashes and line breaks escaped. */
function valueAsTyped(value: string): string {
  if (/^[^\s"\\]+$/.test(value)) {
    return value;
  }
  return `"${value.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/**
 * Reads the filter box: `user:42 key:cart active` and other words, which together are one text
 * to find, case-insensitively, in the data as Python's repr shows it (as the CLI's --grep):
 * `'cart': 2` finds that entry. A quoted text is always text, so `"active"` finds the word. Empty
 * text is no filter. A key or user id with spaces or quotes is quoted: `key:"my key"`.
 */
export function parseSessionFilter(text: string): ParsedFilter {
  const filter: SessionFilter = {};
  const words: string[] = [];
  for (const [, quotedField, quotedValue, quoted, bare] of text.matchAll(TOKEN)) {
    if (quoted !== undefined) {
      words.push(quoted);
      continue;
    }
    const word = quotedField !== undefined ? `${quotedField}${unescapeValue(quotedValue!)}` : bare!;
    const lower = word.toLowerCase();
    if (STATES.includes(lower)) {
      if (filter.state && filter.state !== lower) {
        return { error: 'Choose active or expired, not both.' };
      }
      filter.state = lower as NonNullable<SessionFilter['state']>;
      continue;
    }
    const prefix = (Object.keys(FIELDS) as (keyof typeof FIELDS)[]).find((p) => lower.startsWith(p));
    if (!prefix) {
      // Data as Python shows it has a quote before a key's colon ('cart': …): a bare `name:` (not a URL's `https://`) is a field misspelt.
      const field = /^([a-z_]+):(?!\/\/)/i.exec(word)?.[1];
      if (field) {
        return { error: `There is no ${field}: filter${closeField(field.toLowerCase())}; use user:ID or key:NAME, or quote it ("${word}") to find it as text.` };
      }
      words.push(word);
      continue;
    }
    const value = word.slice(prefix.length);
    const field = FIELDS[prefix];
    if (value === '') {
      return { error: `${prefix} needs a value, e.g. ${prefix === 'user:' ? 'user:42' : 'key:cart'}.` };
    }
    if (filter[field] !== undefined && filter[field] !== value) {
      return { error: `Give ${prefix} once.` };
    }
    filter[field] = value;
  }
  const found = words.join(' ');
  if (found !== '') {
    filter.text = found;
  }
  return { filter: Object.keys(filter).length > 0 ? filter : undefined };
}

/** What the user typed in the box, read: the filter with the text as typed (trimmed), to show and edit again, or why it is not one. */
export function readFilterBox(text: string): { filter: SessionFilter | undefined; text: string } | { error: string } {
  const parsed = parseSessionFilter(text);
  return 'error' in parsed ? parsed : { filter: parsed.filter, text: text.trim() };
}

/** The filter as the box reads it, so it can be shown and edited again. */
export function formatSessionFilter(filter: SessionFilter): string {
  return [filter.userId !== undefined ? `user:${valueAsTyped(filter.userId)}` : '', filter.hasKey !== undefined ? `key:${valueAsTyped(filter.hasKey)}` : '', filter.state ?? '', filter.text !== undefined ? textAsTyped(filter.text) : '']
    .filter(Boolean)
    .join(' ');
}

/**
 * Text as the box reads back: as it is when its words would be (single spaces, none the box
 * takes as a filter), else quoted. Text with a quote in it was typed unquoted, and stays so.
 */
function textAsTyped(text: string): string {
  if (text.includes('"')) {
    return text;
  }
  const plain = text.split(' ').every((word) => word !== '' && !isFilterWord(word));
  return plain ? text : `"${text}"`;
}
