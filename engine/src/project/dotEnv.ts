import * as fs from 'node:fs';
import { expandDotEnvVariables } from './dotEnvExpansion';

/** A `.env` file's assignments in the order it makes them, a name assigned twice twice. */
export type DotEnvEntries = [name: string, value: string][];

/**
 * Parses a `.env` file as python-dotenv reads it: `KEY=value`, optional `export`, `#` comments,
 * single quotes with only `\\'` and `\\\\` unescaped, double quotes with their escapes (`\\n`, `\\t`, `\\"`…), and a
 * quoted value running over several lines (a PEM key), whose lines are no variables of their own.
 * A later assignment of a name wins. Never executes anything.
 */
export function parseDotEnv(text: string): Map<string, string> {
  return new Map(dotEnvEntries(text));
}

/** parseDotEnv's assignments in order: python-dotenv expands `${NAME}` by the values assigned before it. */
export function dotEnvEntries(text: string): DotEnvEntries {
  const entries: DotEnvEntries = [];
  const assignment = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][\w.]*)[ \t]*=[ \t]*/gm;
  let at = 0;
  for (;;) {
    assignment.lastIndex = at;
    const match = assignment.exec(text);
    if (!match) {
      return entries;
    }
    const { value, end } = readValue(text, match.index + match[0].length);
    entries.push([match[1]!, value]);
    at = end;
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/** The value starting at `start`, and where the text after it (its line's end) is. */
function readValue(text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  if (quote === '"' || quote === "'") {
    let value = '';
    for (let i = start + 1; i < text.length; i++) {
      const char = text[i]!;
      if (char === quote) {
        const lineEnd = text.indexOf('\n', i);
        return { value, end: lineEnd === -1 ? text.length : lineEnd + 1 };
      }
      if (char === '\\' && quote === '"' && i + 1 < text.length) {
        const next = text[i + 1]!;
        value += ESCAPES[next] ?? `\\${next}`;
        i++;
      } else if (char === '\\' && quote === "'" && (text[i + 1] === "'" || text[i + 1] === '\\')) {
        value += text[i + 1];
        i++;
      } else {
        value += char;
      }
    }
  }
  // Unquoted, or a quote never closed: the rest of the line, less a comment after a space.
  const lineEnd = text.indexOf('\n', start);
  const line = text.slice(start, lineEnd === -1 ? text.length : lineEnd).replace(/\r$/, '');
  return { value: line.replace(/[ \t]+#.*$/, '').trim(), end: lineEnd === -1 ? text.length : lineEnd + 1 };
}

/** Reads one `.env` file's assignments, as python-dotenv unless another `parse` is given; undefined when it cannot be read. */
export function readDotEnvFile(file: string, parse: (text: string) => DotEnvEntries = dotEnvEntries): DotEnvEntries | undefined {
  try {
    return parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Reads `.env` files (first found wins per name, earlier files first); missing files are skipped.
 * Which loader reads them at run time is not known, so each is expanded as python-dotenv would
 * expand it against `processEnv`.
 */
export function readDotEnvFiles(files: string[], processEnv: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...readDotEnvOrigins(files, processEnv)].map(([name, { value }]) => [name, value]));
}

/** readDotEnvFiles, with the file each value comes from. */
export function readDotEnvOrigins(files: string[], processEnv: ReadonlyMap<string, string>): Map<string, { value: string; file: string }> {
  const merged = new Map<string, { value: string; file: string }>();
  for (const file of files) {
    const entries = readDotEnvFile(file);
    for (const [name, value] of entries ? expandDotEnvVariables(entries, (variable) => processEnv.get(variable), false) : []) {
      if (!merged.has(name)) {
        merged.set(name, { value, file });
      }
    }
  }
  return merged;
}
