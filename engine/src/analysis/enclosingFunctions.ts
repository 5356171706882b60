import type { Node } from 'web-tree-sitter';
import type { SessionAccess } from './sessionAccesses';
import { isWriteOp } from './sessionKeyUsage';

/**
 * Marks each of `accesses` with what the innermost of `functions` around it tells the rules: on
 * a write, `fn`, the line of that function's `def` (a `def` is a compound statement, so no two
 * start on one line); on an access by a synchronous operation, `inAsyncFunction` where that
 * function is an `async def` (a function nested in it is its own). `text` is the file's.
 */
export function markEnclosingFunctions(accesses: readonly SessionAccess[], functions: readonly Node[], text: string): void {
  if (accesses.length === 0 || functions.length === 0) {
    return;
  }
  const spans = functions.map((fn) => ({ start: fn.startPosition.row, end: fn.endPosition.row, isAsync: text.startsWith('async', fn.startIndex) }));
  for (const access of accesses) {
    const line = access.range.start.line;
    let innermost: (typeof spans)[number] | undefined;
    for (const span of spans) {
      // A function nested in another starts below it, so the latest start around the line is the innermost.
      if (span.start <= line && line <= span.end && (innermost === undefined || span.start > innermost.start)) {
        innermost = span;
      }
    }
    if (innermost && isWriteOp(access.op)) {
      access.fn = innermost.start;
    }
    if (innermost?.isAsync && !access.asyncMethod) {
      access.inAsyncFunction = true;
    }
  }
}
