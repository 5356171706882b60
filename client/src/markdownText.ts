/**
 * Text shown as itself in a Markdown tooltip: every character Markdown could read as syntax is
 * backslash-escaped and line breaks become spaces. Session data is written by visitors or by code
 * we do not control, and a user id such as `![x](https://example.com/t.png)` would otherwise load
 * a remote image, or show a link, when the row is hovered.
 */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~&:]/g, '\\$&').replace(/\r\n|[\r\n]/g, ' ');
}

/** Text as a Markdown code span: fenced with more backticks than it holds in a row, so none closes the span early. */
export function markdownCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = longest > 0 ? ` ${text} ` : text;
  return `${fence}${padded.replace(/\r\n|[\r\n]/g, ' ')}${fence}`;
}
