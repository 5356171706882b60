import * as fs from 'node:fs';
import { expandDotEnvVariables } from './dotEnvExpansion';

/**
 * Parses a `.env` file as python-dotenv and django-environ read it: `KEY=value`,
 * optional `export`, quotes, `#` comments. Never executes anything.
 */
export function parseDotEnv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][\w.]*)\s*=\s*(.*)$/.exec(rawLine);
    if (!match) {
      continue;
    }
    const [, name, rest] = match;
    values.set(name!, unquote(rest!.trim()));
  }
  return values;
}

function unquote(value: string): string {
  const quoted = /^(['"])(.*)\1(\s+#.*)?$/.exec(value);
  if (quoted) {
    return quoted[1] === '"' ? quoted[2]!.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1') : quoted[2]!;
  }
  return value.replace(/\s+#.*$/, '');
}

/** Reads one `.env` file; undefined when it cannot be read. */
export function readDotEnvFile(file: string): Map<string, string> | undefined {
  try {
    return parseDotEnv(fs.readFileSync(file, 'utf8'));
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
    const values = readDotEnvFile(file);
    for (const [name, value] of values ? expandDotEnvVariables(values, (variable) => processEnv.get(variable), false) : []) {
      if (!merged.has(name)) {
        merged.set(name, { value, file });
      }
    }
  }
  return merged;
}
