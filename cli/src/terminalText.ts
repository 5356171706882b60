/**
 * What a terminal acts on, or what reorders or hides text: C0 controls but tab and newline,
 * DEL, C1 controls, format characters (the bidi overrides and isolates, zero-width ones) and
 * the line and paragraph separators. Session data, a project's files and its settings can
 * carry any of them, and a CLI that prints them raw lets a repository clear the screen, fake
 * lines or write the clipboard (OSC 52) of whoever runs it.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/gu;

/** Text with those characters written as `\uXXXX` escapes, which also keeps JSON output valid JSON. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, (found) => {
    let escaped = '';
    for (let i = 0; i < found.length; i++) {
      escaped += `\\u${found.charCodeAt(i).toString(16).padStart(4, '0')}`;
    }
    return escaped;
  });
}

/**
 * A field of line-oriented output (a lint finding's line, a scan line's key): line breaks and
 * tabs as `\uXXXX` escapes too, so that a key or value holding them (`"cart\n"`) stays on its
 * line and in its tab-separated column, for grep, a problem matcher or an editor's quickfix list.
 */
export function oneLine(text: string): string {
  return text.replace(/[\t\n\r]/g, (found) => `\\u${found.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Writes to stderr through terminalText. */
export function writeError(text: string): void {
  process.stderr.write(terminalText(text));
}
