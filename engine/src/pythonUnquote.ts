/**
 * Python's `unquote`: runs of `%XX` decoded as UTF-8 (bad bytes as U+FFFD), a `%` not followed by
 * two hex digits kept. A U+FEFF is kept too, as Python keeps it, where a default TextDecoder drops it.
 */
export function pythonUnquote(text: string): string {
  const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => utf8.decode(Uint8Array.from(run.slice(1).split('%'), (hex) => Number.parseInt(hex, 16))));
}
