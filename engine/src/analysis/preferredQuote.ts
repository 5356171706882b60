import type { Node } from 'web-tree-sitter';

/**
 * The quote most of the file's one-line strings open with; `"` when as many use each (Black's).
 * Triple-quoted strings do not count: docstrings take `"""` whatever quotes the code uses.
 */
export function preferredQuote(root: Node): string {
  let single = 0;
  let double = 0;
  for (const start of root.descendantsOfType('string_start')) {
    const text = start?.text ?? '';
    if (/'''$|"""$/.test(text)) {
      continue;
    }
    if (text.endsWith("'")) {
      single++;
    } else if (text.endsWith('"')) {
      double++;
    }
  }
  return single > double ? "'" : '"';
}
