import type { Node } from 'web-tree-sitter';

interface Span {
  start: number;
  end: number;
  node: Node;
}

/**
 * The functions and classes of a file by character span, so the innermost one around a node
 * is found by comparing offsets instead of walking `parent` (an expensive call in tree-sitter).
 */
export class Scopes {
  private readonly functions: Span[] = [];
  private readonly classes: Span[] = [];

  addFunction(node: Node): void {
    this.functions.push({ start: node.startIndex, end: node.endIndex, node });
  }

  addClass(node: Node): void {
    this.classes.push({ start: node.startIndex, end: node.endIndex, node });
  }

  /** The innermost function around a node, or undefined at module level. */
  functionOf(node: Node): Node | undefined {
    return innermost(this.functions, node.startIndex)?.node;
  }

  /** The name of the innermost class around a node. */
  classNameOf(node: Node): string | undefined {
    return innermost(this.classes, node.startIndex)?.node.childForFieldName('name')?.text;
  }

  /** The innermost class around a node. */
  classOf(node: Node): Node | undefined {
    return innermost(this.classes, node.startIndex)?.node;
  }

  /** A number that is equal for two nodes exactly when they share their innermost function. */
  scopeId(node: Node): number {
    return innermost(this.functions, node.startIndex)?.start ?? -1;
  }

  /**
   * The scope ids (see scopeId) a name used at a node is looked up in, innermost first: each
   * function around it, then the module (-1), as Python looks up a name a closure uses.
   */
  scopeChain(node: Node): number[] {
    const offset = node.startIndex;
    const around = this.functions.filter((span) => span.start <= offset && offset < span.end).map((span) => span.start);
    return [...around.sort((a, b) => b - a), -1];
  }
}

function innermost(spans: Span[], offset: number): Span | undefined {
  let best: Span | undefined;
  for (const span of spans) {
    if (span.start <= offset && offset < span.end && (!best || span.start >= best.start)) {
      best = span;
    }
  }
  return best;
}
