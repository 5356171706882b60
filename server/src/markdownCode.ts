/**
 * Text as a Markdown code span, fenced with more backticks than it holds in a row so none closes
 * the span early. Keys, setting values and file names come from the project's files, which an
 * untrusted workspace may hold, and a backtick in one let the rest of it be read as Markdown: an
 * image from any host, loaded on hover, or a link. The client builds its tooltips with its own copy.
 */
export function markdownCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = longest > 0 ? ` ${text} ` : text;
  return `${fence}${padded.replace(/\r\n|[\r\n]/g, ' ')}${fence}`;
}
