/** JSON text that is already exact (e.g. Python's own encoding of session data) and is embedded as is. */
export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * Serializes CLI output per the contract: snake_case keys, dates as ISO 8601 UTC, undefined
 * fields dropped, and raw JSON embedded verbatim so big ints and floats survive.
 */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) {
    return value.text;
  }
  if (value instanceof Date) {
    return JSON.stringify(value.toISOString());
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => (v === undefined ? 'null' : toJsonText(v))).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(snakeCase(k))}:${toJsonText(v)}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
