/** Python's `str.splitlines()` boundaries. */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
const ASSIGNMENT = /^(?:export )?([A-Za-z_0-9]+)=(.*)$/;
const SINGLE_QUOTED = /^'(.*)'$/;
const DOUBLE_QUOTED = /^"(.*)"$/;

/**
 * Parses a `.env` file as django-environ's `Env.read_env()` reads it (0.12, whose
 * `parse_comments` is False by default): a line counts only when it is exactly `KEY=value`,
 * `export ` allowed before it (`KEY = value` and indented lines are ignored); the value is
 * everything after `=`, a `#` and spaces included, less single quotes wrapping all of it, then
 * double quotes wrapping all of what is left, inside which `\x` gives `x`, except that `\n`, `\r`
 * and `\t` stay as written. A later line for a name wins. Nothing is expanded.
 */
export function parseEnvironEnvFile(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split(LINE_BREAK)) {
    const match = ASSIGNMENT.exec(line);
    if (!match) {
      continue;
    }
    let value = match[2]!;
    value = SINGLE_QUOTED.exec(value)?.[1] ?? value;
    const doubleQuoted = DOUBLE_QUOTED.exec(value);
    if (doubleQuoted) {
      value = doubleQuoted[1]!.replace(/\\(.)/g, (_escape, char: string) => ('rnt'.includes(char) ? `\\${char}` : char));
    }
    values.set(match[1]!, value);
  }
  return values;
}
