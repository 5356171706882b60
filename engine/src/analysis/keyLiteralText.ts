/**
 * The text that makes a str literal with the (lower-cased) prefix letters `prefix` (`''`, `r`,
 * `f`, `rf`, `u`) and quote `quote` read as `key`, between its quotes; undefined where no such
 * literal can: a bytes literal names no str key, and a raw one cannot hold its quote, a line
 * break or a trailing backslash.
 */
export function keyLiteralContent(key: string, prefix: string, quote: string): string | undefined {
  if (prefix.includes('b')) {
    return undefined;
  }
  const braced = prefix.includes('f') ? key.replace(/[{}]/g, '$&$&') : key;
  if (prefix.includes('r')) {
    return braced.includes(quote) || /[\r\n]|\\$/.test(braced) ? undefined : braced;
  }
  return braced.replace(/[\\\x00-\x1f\x7f]|'|"/g, (c) => {
    if (c === "'" || c === '"') {
      return c === quote ? `\\${c}` : c;
    }
    return ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** `key` as a whole plain str literal quoted with `quote`: `'cart'`. */
export function keyLiteral(key: string, quote: string): string {
  return `${quote}${keyLiteralContent(key, '', quote)!}${quote}`;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
