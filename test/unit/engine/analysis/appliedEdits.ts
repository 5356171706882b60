import type { Range } from '../../../../engine/src/analysis';

/** `text` with `edits` (which must not overlap) applied, as an editor applies a fix's edits: positions by line and UTF-16 column. */
export function appliedEdits(text: string, edits: readonly { range: Range; newText: string }[]): string {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const offset = (p: Range['start']) => lineStarts[p.line]! + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((result, edit) => result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end)), text);
}
