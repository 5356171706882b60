import type { Node } from 'web-tree-sitter';

/** Characters that would make a word at this offset part of a longer ASCII name. */
function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || (code >= 48 && code <= 57);
}

/**
 * The syntax nodes spelled exactly `word` (a keyword token or an identifier), found from the
 * word's occurrences in the text: descending to a few offsets costs far less than walking
 * every node of the tree. Occurrences inside longer names, strings and comments come back as
 * other nodes and are dropped. `from` and `to` limit the search to a span of the text;
 * occurrences starting at an offset in `skip` are known to be of no interest and not looked up.
 */
export function nodesSpelled(root: Node, text: string, word: string, from = 0, to = text.length, skip?: ReadonlySet<number>): Node[] {
  const found: Node[] = [];
  // A node the parser inserted to recover from an error (MISSING) has empty text, and matches nothing.
  if (word === '') {
    return found;
  }
  for (let at = text.indexOf(word, from); at !== -1 && at + word.length <= to; at = text.indexOf(word, at + word.length)) {
    const end = at + word.length;
    // A letter or underscore before, or any name character after, would have made the lexer read a longer token.
    const before = at > 0 ? text.charCodeAt(at - 1) : 32;
    if ((isWordChar(before) && !(before >= 48 && before <= 57)) || (end < text.length && isWordChar(text.charCodeAt(end))) || skip?.has(at)) {
      continue;
    }
    const node = root.descendantForIndex(at, end);
    if (node && node.startIndex === at && node.endIndex === end) {
      found.push(node);
    }
  }
  return found;
}

/** Whether a node is one a `(_)` query wildcard would match: named, and not a syntax error. */
export function isExpressionNode(node: Node | null | undefined): node is Node {
  return !!node && node.isNamed && node.type !== 'ERROR';
}
