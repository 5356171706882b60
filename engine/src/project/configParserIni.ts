/** An option's value, or why Python's ConfigParser raises instead; undefined when the option is absent. */
export type IniValue = { value: string } | { error: string } | undefined;

const SECTION = /^\[(.+)\]/;
/** An option line: the name up to the first `=` or `:`, then the value. */
const OPTION = /^(.*?)\s*[=:]\s*(.*)$/;
const REFERENCE = /^%\(([^)]+)\)s/;
/** ConfigParser's MAX_INTERPOLATION_DEPTH. */
const MAX_DEPTH = 10;

/**
 * One section of an INI file as Python's `ConfigParser()` reads it with its defaults: `#` and
 * `;` comment lines, `=` or `:` between name and value, names in lower case, indented lines
 * continuing a value, `[DEFAULT]` options in every section, and `%(name)s` interpolation when a
 * value is read. A file ConfigParser refuses gives that error for every name.
 */
export function configParserSection(text: string, section: string): (name: string) => IniValue {
  const parsed = parseIni(text);
  if ('error' in parsed) {
    return () => ({ error: parsed.error });
  }
  const options = parsed.sections.get(section);
  if (!options) {
    return () => undefined;
  }
  const values = new Map([...parsed.defaults, ...options]);
  return (name) => {
    const raw = values.get(name.toLowerCase());
    return raw === undefined ? undefined : interpolate(raw, values, 0);
  };
}

/** A whole INI text as ConfigParser reads it: its sections' options and `[DEFAULT]`'s, names in lower case; or why it refuses the text. */
export function parseIni(text: string): { sections: Map<string, Map<string, string>>; defaults: Map<string, string> } | { error: string } {
  const sections = new Map<string, Map<string, string>>();
  const defaults = new Map<string, string>();
  const seen = new Set<string>();
  let current: Map<string, string> | undefined;
  let currentName = '';
  let option: string | undefined;
  let indent = Number.POSITIVE_INFINITY;
  const lines = text.split(/\r\n|\n|\r/);
  for (const [index, line] of lines.entries()) {
    const trimmed = line.trim();
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) {
      continue;
    }
    if (trimmed === '') {
      // An empty line inside a value is kept (ConfigParser's empty_lines_in_values).
      if (current && option !== undefined) {
        current.set(option, `${current.get(option)}\n`);
      }
      continue;
    }
    const lineIndent = line.length - line.trimStart().length;
    if (current && option !== undefined && lineIndent > indent) {
      current.set(option, `${current.get(option)}\n${trimmed}`);
      continue;
    }
    indent = lineIndent;
    const header = SECTION.exec(trimmed);
    if (header) {
      currentName = header[1]!;
      if (currentName !== 'DEFAULT' && seen.has(`[${currentName}]`)) {
        return { error: `ConfigParser raises DuplicateSectionError: section '${currentName}' appears twice (line ${index + 1})` };
      }
      seen.add(`[${currentName}]`);
      current = currentName === 'DEFAULT' ? defaults : (sections.get(currentName) ?? new Map());
      if (current !== defaults) {
        sections.set(currentName, current);
      }
      option = undefined;
      continue;
    }
    const match = OPTION.exec(trimmed);
    if (!current || !match || match[1] === '') {
      return { error: `ConfigParser cannot parse line ${index + 1} (${current ? 'not an option' : 'no section header before it'})` };
    }
    option = match[1]!.trimEnd().toLowerCase();
    if (seen.has(`${currentName}\0${option}`)) {
      return { error: `ConfigParser raises DuplicateOptionError: option '${option}' appears twice in section '${currentName}' (line ${index + 1})` };
    }
    seen.add(`${currentName}\0${option}`);
    current.set(option, match[2]!);
  }
  for (const options of [defaults, ...sections.values()]) {
    options.forEach((value, name) => options.set(name, value.trimEnd()));
  }
  return { sections, defaults };
}

/** BasicInterpolation: `%%` is `%`, `%(name)s` another option's value (itself interpolated); any other `%` raises. */
export function interpolate(raw: string, values: ReadonlyMap<string, string>, depth: number): IniValue {
  if (depth > MAX_DEPTH) {
    return { error: 'ConfigParser raises InterpolationDepthError: %(name)s references go too deep' };
  }
  let result = '';
  let rest = raw;
  for (let at = rest.indexOf('%'); at >= 0; at = rest.indexOf('%')) {
    result += rest.slice(0, at);
    rest = rest.slice(at);
    if (rest.startsWith('%%')) {
      result += '%';
      rest = rest.slice(2);
      continue;
    }
    const reference = REFERENCE.exec(rest);
    if (!reference) {
      return { error: `ConfigParser raises InterpolationSyntaxError: '%' must be followed by '%' or '(' in ${JSON.stringify(raw)}` };
    }
    const referenced = values.get(reference[1]!.toLowerCase());
    if (referenced === undefined) {
      return { error: `ConfigParser raises InterpolationMissingOptionError: no option '${reference[1]!.toLowerCase()}' for %(${reference[1]})s` };
    }
    const inner = interpolate(referenced, values, depth + 1);
    if (!inner || 'error' in inner) {
      return inner;
    }
    result += inner.value;
    rest = rest.slice(reference[0].length);
  }
  return { value: result + rest };
}
