import * as fs from 'node:fs';
import { expandDotEnvVariables } from './dotEnvExpansion';

/**
 * A `.env` file's assignments in the order it makes them, a name assigned twice twice. A name
 * written without `=` has the value undefined (python-dotenv's None): `load_dotenv()` sets no
 * variable for it, and `${NAME}` after it reads ''.
 */
export type DotEnvEntries = [name: string, value: string | undefined][];

/** Python's `\s` (str.isspace()), which is not JavaScript's: it has \x1c-\x1f and \x85, not \ufeff. */
const SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/** `[^\S\r\n]`: a space that does not end the line. */
const BLANK = `[${SPACE.replace('\\n', '').replace('\\r', '')}]`;

/** python-dotenv 0.21's parser.py expressions, each matched where the reader is. */
const MULTILINE_WHITESPACE = new RegExp(`[${SPACE}]*`, 'y');
const WHITESPACE = new RegExp(`${BLANK}*`, 'y');
const EXPORT = new RegExp(`(?:export${BLANK}+)?`, 'y');
const SINGLE_QUOTED_KEY = /'([^']+)'/y;
const UNQUOTED_KEY = new RegExp(`([^=#${SPACE}]+)`, 'y');
const EQUAL_SIGN = new RegExp(`(=${BLANK}*)`, 'y');
const SINGLE_QUOTED_VALUE = /'((?:\\'|[^'])*)'/y;
const DOUBLE_QUOTED_VALUE = /"((?:\\"|[^"])*)"/y;
const UNQUOTED_VALUE = /([^\r\n]*)/y;
const COMMENT = new RegExp(`(?:${BLANK}*#[^\\r\\n]*)?`, 'y');
const END_OF_LINE = new RegExp(`${BLANK}*(?:\\r\\n|\\n|\\r|$)`, 'y');
const REST_OF_LINE = /[^\r\n]*(?:\r|\n|\r\n)?/y;
const INLINE_COMMENT = new RegExp(`[${SPACE}]+#[^]*`);
const TRAILING_SPACE = new RegExp(`[${SPACE}]+$`);
const DOUBLE_QUOTE_ESCAPES = /\\[\\'"abfnrtv]/g;
const SINGLE_QUOTE_ESCAPES = /\\[\\']/g;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/** A line python-dotenv cannot parse: it warns, skips the rest of that line and sets nothing for it. */
class MalformedLine extends Error {}

/** The text python-dotenv parses and where it has got to, as its parser.py's Reader. */
class Reader {
  at = 0;
  constructor(readonly text: string) {}

  peek(count: number): string {
    return this.text.slice(this.at, this.at + count);
  }

  /** The groups of `regex` matched here, moving past it; a line that does not match it is malformed. */
  read(regex: RegExp): string[] {
    regex.lastIndex = this.at;
    const match = regex.exec(this.text);
    if (!match) {
      throw new MalformedLine();
    }
    this.at += match[0].length;
    return match.slice(1);
  }
}

/**
 * Parses a `.env` file as python-dotenv reads it (0.21, and 1.x alike): `KEY=value`, optional
 * `export`, a key of anything but spaces, `=` and `#` (`'quoted'` too), `#` comments after a
 * space, single quotes with only `\\'` and `\\\\` unescaped, double quotes with their escapes
 * (`\\n`, `\\t`, `\\"`…), and a quoted value running over several lines (a PEM key), whose lines
 * are no variables of their own. A line it cannot parse (`W='val' trailing`, a quote never
 * closed) sets nothing, and the next line is read afresh. As python-dotenv 1.2.3 on, a leading
 * BOM is no part of the first name, and as 1.2.4 on, `KEY=  # note` is empty. A later
 * assignment of a name wins. Never executes anything.
 */
export function parseDotEnv(text: string): Map<string, string | undefined> {
  return new Map(dotEnvEntries(text));
}

/** parseDotEnv's assignments in order: python-dotenv expands `${NAME}` by the values assigned before it. */
export function dotEnvEntries(text: string): DotEnvEntries {
  const reader = new Reader(text.replace(/^\ufeff/, ''));
  const entries: DotEnvEntries = [];
  while (reader.at < reader.text.length) {
    const start = reader.at;
    try {
      const entry = readBinding(reader);
      if (entry) {
        entries.push(entry);
      }
    } catch (error) {
      if (!(error instanceof MalformedLine)) {
        throw error;
      }
      reader.at = start;
      reader.read(REST_OF_LINE);
    }
  }
  return entries;
}

/** One line's (or one multi-line value's) assignment; undefined for a blank or comment line. */
function readBinding(reader: Reader): [string, string | undefined] | undefined {
  reader.read(MULTILINE_WHITESPACE);
  if (reader.at >= reader.text.length) {
    return undefined;
  }
  reader.read(EXPORT);
  const key = reader.peek(1) === '#' ? undefined : reader.read(reader.peek(1) === "'" ? SINGLE_QUOTED_KEY : UNQUOTED_KEY)[0]!;
  reader.read(WHITESPACE);
  let value: string | undefined;
  if (reader.peek(1) === '=') {
    const [equalSign] = reader.read(EQUAL_SIGN);
    value = readValue(reader, equalSign!.length > 1);
  }
  reader.read(COMMENT);
  reader.read(END_OF_LINE);
  return key === undefined ? undefined : [key, value];
}

function readValue(reader: Reader, afterSpace: boolean): string {
  const char = reader.peek(1);
  if (char === "'") {
    return reader.read(SINGLE_QUOTED_VALUE)[0]!.replace(SINGLE_QUOTE_ESCAPES, (escape) => escape[1]!);
  }
  if (char === '"') {
    return reader.read(DOUBLE_QUOTED_VALUE)[0]!.replace(DOUBLE_QUOTE_ESCAPES, (escape) => ESCAPES[escape[1]!]!);
  }
  if (char === '' || char === '\n' || char === '\r') {
    return '';
  }
  const [part] = reader.read(UNQUOTED_VALUE);
  return afterSpace && part!.startsWith('#') ? '' : part!.replace(INLINE_COMMENT, '').replace(TRAILING_SPACE, '');
}

/** UTF-8 as python-dotenv and django-environ open a `.env`: a leading BOM kept, for the parser to take as 1.2.3 on do. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * One `.env` file opened as python-dotenv opens it: its assignments, as python-dotenv reads them
 * unless another `parse` is given; 'unreadable' when it is not there or cannot be read (which
 * the loaders take as no variables); 'not-utf8' when decoding it as UTF-8 fails (see
 * notUtf8EnvFile). Python opens it as text, so `\r\n` and a lone `\r` end lines as `\n`.
 */
export function openDotEnvFile(file: string, parse: (text: string) => DotEnvEntries = dotEnvEntries): DotEnvEntries | 'unreadable' | 'not-utf8' {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return 'unreadable';
  }
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return 'not-utf8';
  }
  try {
    return parse(text.replace(/\r\n?/g, '\n'));
  } catch {
    // A parser that fails on some text leaves the file's variables unknown to the loaders, not mis-encoded.
    return 'unreadable';
  }
}

/** A `.env` file's assignments (see openDotEnvFile); undefined when it cannot be read or is not UTF-8. */
export function readDotEnvFile(file: string, parse?: (text: string) => DotEnvEntries): DotEnvEntries | undefined {
  const opened = openDotEnvFile(file, parse);
  return typeof opened === 'string' ? undefined : opened;
}

/**
 * Why loading a `.env` file that is not UTF-8 fails, the file `shown` as the message names it:
 * python-dotenv (and django-environ) open it as UTF-8 and raise UnicodeDecodeError, so settings
 * that load it fail to import.
 */
export function notUtf8EnvFile(shown: string): string {
  return `${shown} is not UTF-8 text, as the .env loader reads it: loading it raises UnicodeDecodeError, so Django's settings fail to load (save the file as UTF-8)`;
}

/** The variables `load_dotenv()` sets from a file's final values: not a name it leaves without one. */
export function loadedDotEnvValues(values: ReadonlyMap<string, string | undefined>): Map<string, string> {
  return new Map([...values].filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * Reads `.env` files (first found wins per name, earlier files first); missing files are skipped.
 * Which loader reads them at run time is not known, so each is expanded as python-dotenv would
 * expand it against `processEnv`.
 */
export function readDotEnvFiles(files: string[], processEnv: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...readDotEnvOrigins(files, processEnv)].map(([name, { value }]) => [name, value]));
}

/** readDotEnvFiles, with the file each value comes from. A name the file leaves without a value is not set, as load_dotenv() leaves it. */
export function readDotEnvOrigins(files: string[], processEnv: ReadonlyMap<string, string>): Map<string, { value: string; file: string }> {
  const merged = new Map<string, { value: string; file: string }>();
  for (const file of files) {
    const entries = readDotEnvFile(file);
    for (const [name, value] of entries ? expandDotEnvVariables(entries, (variable) => processEnv.get(variable), false) : []) {
      if (value !== undefined && !merged.has(name)) {
        merged.set(name, { value, file });
      }
    }
  }
  return merged;
}
