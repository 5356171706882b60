import type { Node } from 'web-tree-sitter';

/** The quote most of the file's strings open with; `"` when as many use each (Black's). */
export function preferredQuote(root: Node): string {
  let single = 0;
  let double = 0;
  for (const start of root.descendantsOfType('string_start')) {
    if (start?.text.endsWith("'")) {
      single++;
    } else if (start) {
      double++;
    }
  }
  return single > double ? "'" : '"';
}
