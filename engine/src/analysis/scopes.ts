import type { Node } from 'web-tree-sitter';

interface Span {
  start: number;
  end: number;
  node: Node;
  /** The index of the innermost span around this one, -1 at the top. */
  parent: number;
}

/**
 * Nested spans (functions, or classes) sorted by start once, so the innermost one around an
 * offset is a binary search and a short walk out through the spans around it: lookups are made
 * per access and per identifier, and a scan over every span made a file's cost grow with its
 * accesses times its functions.
 */
class SpanTree {
  private readonly spans: Span[] = [];
  /** Whether spans were added in order of their start, as a walk of the tree adds them. */
  private inOrder = true;
  private indexed = false;

  add(node: Node): void {
    const start = node.startIndex;
    const last = this.spans[this.spans.length - 1];
    this.inOrder &&= !last || last.start < start;
    this.indexed = false;
    this.spans.push({ start, end: node.endIndex, node, parent: -1 });
  }

  /** The index of the innermost span holding an offset, -1 if none does. */
  innermost(offset: number): number {
    const spans = this.ordered();
    let low = 0;
    let high = spans.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (spans[middle]!.start <= offset) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    // The last span starting at or before the offset is the innermost holding it, or nested in it.
    let at = low - 1;
    while (at !== -1 && spans[at]!.end <= offset) {
      at = spans[at]!.parent;
    }
    return at;
  }

  span(index: number): Span | undefined {
    return index === -1 ? undefined : this.spans[index];
  }

  /** The spans, by start (outer first on a tie), each knowing the one around it. */
  private ordered(): Span[] {
    if (!this.indexed) {
      if (!this.inOrder) {
        this.spans.sort((a, b) => a.start - b.start || b.end - a.end);
        this.inOrder = true;
      }
      this.indexed = true;
      const open: number[] = [];
      this.spans.forEach((span, i) => {
        while (open.length > 0 && this.spans[open[open.length - 1]!]!.end <= span.start) {
          open.pop();
        }
        span.parent = open.length > 0 ? open[open.length - 1]! : -1;
        open.push(i);
      });
    }
    return this.spans;
  }
}

/**
 * The functions and classes of a file by character span, so the innermost one around a node
 * is found by comparing offsets instead of walking `parent` (an expensive call in tree-sitter).
 */
export class Scopes {
  private readonly functions = new SpanTree();
  private readonly classes = new SpanTree();

  addFunction(node: Node): void {
    this.functions.add(node);
  }

  addClass(node: Node): void {
    this.classes.add(node);
  }

  /** The innermost function around a node, or undefined at module level. */
  functionOf(node: Node): Node | undefined {
    return this.functions.span(this.functions.innermost(node.startIndex))?.node;
  }

  /** The functions around a node, innermost first. */
  functionsAround(node: Node): Node[] {
    const around: Node[] = [];
    for (let span = this.functions.span(this.functions.innermost(node.startIndex)); span; span = this.functions.span(span.parent)) {
      around.push(span.node);
    }
    return around;
  }

  /** The name of the innermost class around a node. */
  classNameOf(node: Node): string | undefined {
    return this.classOf(node)?.childForFieldName('name')?.text;
  }

  /** The innermost class around a node. */
  classOf(node: Node): Node | undefined {
    return this.classes.span(this.classes.innermost(node.startIndex))?.node;
  }

  /** A number that is equal for two nodes exactly when they share their innermost function. */
  scopeId(node: Node): number {
    return this.functions.span(this.functions.innermost(node.startIndex))?.start ?? -1;
  }

  /**
   * The scope ids (see scopeId) a name used at a node is looked up in, innermost first: each
   * function around it, then the module (-1), as Python looks up a name a closure uses.
   */
  scopeChain(node: Node): number[] {
    const chain: number[] = [];
    for (let span = this.functions.span(this.functions.innermost(node.startIndex)); span; span = this.functions.span(span.parent)) {
      chain.push(span.start);
    }
    chain.push(-1);
    return chain;
  }
}
