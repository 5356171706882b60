import type { Node } from 'web-tree-sitter';
import { nodeRange, type Range } from './range';

/**
 * Where a key's text is written in the source, so an edit that changes the key (a rename)
 * knows what it rewrites: one str literal, adjacent literals that Python joins (`"ca" "rt"`),
 * the name of a keyword argument (`session.update(cart=1)`), or a template's dotted lookup
 * (`{{ request.session.cart }}`).
 */
export interface KeySpelling {
  kind: 'literal' | 'concatenation' | 'keyword' | 'lookup';
  range: Range;
}

/** The spelling of a key given by a string expression; undefined for any other node. */
export function literalSpelling(node: Node | undefined): KeySpelling | undefined {
  const type = node?.type;
  if (node && type === 'string') {
    return { kind: 'literal', range: nodeRange(node) };
  }
  return node && type === 'concatenated_string' ? { kind: 'concatenation', range: nodeRange(node) } : undefined;
}
