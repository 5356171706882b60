import * as fs from 'node:fs';
import * as path from 'node:path';

/** What an option file says about where and as whom to connect; `tls` names its first `ssl-…` option. */
interface MysqlOptionValues {
  host?: string;
  port?: number;
  socket?: string;
  user?: string;
  database?: string;
  password?: string;
  /** `protocol = 1`, which makes libmariadb use TCP even to `localhost`. */
  protocol?: 'tcp';
  tls?: string;
}

/** Where mysqlclient's `read_default_file` and `read_default_group` (OPTIONS of a mysql DATABASES entry) point libmariadb. */
export interface MysqlOptionSource {
  /** Absolute; unset when only a group is named, and libmariadb then reads its default files. */
  file?: string;
  group?: string;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', s: ' ', '"': '"', "'": "'", '\\': '\\' };
/** libmariadb stops following `!include` this deep. */
const MAX_DEPTH = 64;

/**
 * The files libmariadb reads for a group without a file: `my.cnf` in /etc, /etc/mysql and
 * MARIADB_HOME (else MYSQL_HOME), then `~/.my.cnf`, each later one overriding.
 */
function defaultFiles(env: NodeJS.ProcessEnv): string[] {
  const home = env.MARIADB_HOME ?? env.MYSQL_HOME;
  return [
    '/etc/my.cnf',
    '/etc/mysql/my.cnf',
    ...(home ? [path.join(home, 'my.cnf')] : []),
    ...(env.HOME ? [path.join(env.HOME, '.my.cnf')] : []),
  ];
}

/** A value as libmariadb unquotes it: one leading quote and one trailing quote dropped, backslash escapes read. */
function optionValue(raw: string): string {
  let value = raw.trim();
  if (/^["']/.test(value)) {
    value = value.slice(1).replace(/["']$/, '');
  }
  return value.replace(/\\(.)/g, (escape, c: string) => ESCAPES[c] ?? escape);
}

/** C's atoi: the leading digits, 0 without any. */
function atoi(value: string | undefined): number {
  return Number(/^\s*[+-]?\d+/.exec(value ?? '')?.[0] ?? 0);
}

function setOption(values: MysqlOptionValues, key: string, value: string | undefined): void {
  switch (key) {
    case 'host':
    case 'socket':
    case 'user':
    case 'database':
    case 'password':
      if (value === undefined) {
        delete values[key];
      } else {
        values[key] = value;
      }
      return;
    case 'port': {
      const port = atoi(value);
      if (port > 0) {
        values.port = port;
      } else {
        delete values.port;
      }
      return;
    }
    case 'protocol':
      // A number, as libmariadb reads it (1 is TCP): a name such as `tcp` is 0, the default.
      if (atoi(value) === 1) {
        values.protocol = 'tcp';
      } else {
        delete values.protocol;
      }
      return;
    default:
      if (/^ssl[-_]/.test(key)) {
        values.tls ??= key;
      }
  }
}

/**
 * One file, line by line as libmariadb reads it: options of the groups `client`, `client-server`,
 * `client-mariadb` and `group` apply in file order, `!include` and `!includedir` are followed,
 * comments start a line, and an option before any group ends the file. A missing file is skipped.
 */
function readFile(file: string, groups: readonly string[], values: MysqlOptionValues, depth: number): void {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return;
  }
  let reading: boolean | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/^\s+/, '').replace(/\r$/, '');
    const directive = /^!(include|includedir) (.*)$/.exec(line);
    if (directive) {
      const target = directive[2]!.trim();
      if (depth + 1 < MAX_DEPTH) {
        for (const included of directive[1] === 'include' ? [target] : configFilesIn(target)) {
          readFile(included, groups, values, depth + 1);
        }
      }
      continue;
    }
    if (line === '' || /^[#;"'!]/.test(line)) {
      continue;
    }
    if (line.startsWith('[')) {
      const end = line.indexOf(']');
      if (end < 0) {
        return;
      }
      reading = groups.includes(line.slice(1, end).trimEnd());
      continue;
    }
    if (reading === undefined) {
      return;
    }
    if (reading) {
      const equals = line.indexOf('=');
      setOption(values, (equals < 0 ? line : line.slice(0, equals)).trimEnd(), equals < 0 ? undefined : optionValue(line.slice(equals + 1)));
    }
  }
}

/** The `.cnf` files of an `!includedir`, in name order (libmariadb takes the directory's order, which is the file system's). */
function configFilesIn(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((name) => name.endsWith('.cnf')).sort().map((name) => path.join(dir, name));
  } catch {
    return [];
  }
}

/**
 * The connection options libmariadb (which mysqlclient uses) reads for `read_default_file` and
 * `read_default_group`: that file alone when one is named, else its default files.
 */
export function readMysqlOptionFiles(source: MysqlOptionSource, env: NodeJS.ProcessEnv): MysqlOptionValues {
  const groups = ['client', 'client-server', 'client-mariadb', ...(source.group ? [source.group] : [])];
  const values: MysqlOptionValues = {};
  for (const file of source.file ? [source.file] : defaultFiles(env)) {
    readFile(file, groups, values, 0);
  }
  return values;
}
