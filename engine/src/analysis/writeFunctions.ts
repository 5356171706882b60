import type { Node } from 'web-tree-sitter';
import type { SessionAccess } from './sessionAccesses';
import { isWriteOp } from './sessionKeyUsage';

/**
 * Sets `fn` on each write among `accesses`: the line of the `def` of the innermost of
 * `functions` around it. A `def` is a compound statement, so no two start on one line.
 */
export function markWriteFunctions(accesses: readonly SessionAccess[], functions: readonly Node[]): void {
  const writes = accesses.filter((access) => isWriteOp(access.op));
  if (writes.length === 0 || functions.length === 0) {
    return;
  }
  const spans = functions.map((fn) => ({ start: fn.startPosition.row, end: fn.endPosition.row }));
  for (const access of writes) {
    const line = access.range.start.line;
    let innermost: number | undefined;
    for (const span of spans) {
      // A function nested in another starts below it, so the latest start around the line is the innermost.
      if (span.start <= line && line <= span.end && (innermost === undefined || span.start > innermost)) {
        innermost = span.start;
      }
    }
    if (innermost !== undefined) {
      access.fn = innermost;
    }
  }
}
