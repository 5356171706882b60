import type { Node } from 'web-tree-sitter';
import { holds } from './range';
import type { SessionAccess } from './sessionAccesses';
import { isWriteOp, type SessionOp } from './sessionKeyUsage';

/** What is marked: an access, or a call that takes no key (see BlockingCall), which has no `op`. */
type Placed = Pick<SessionAccess, 'range' | 'fn' | 'asyncMethod' | 'inAsyncFunction'> & { op?: SessionOp };

/**
 * Marks each of `accesses` with what the innermost of `functions` around it tells the rules: on
 * a write, `fn`, the line of that function's `def` (a `def` is a compound statement, so no two
 * start on one line); on an access by a synchronous operation, `inAsyncFunction` where that
 * function is an `async def` (a function nested in it is its own). A function holds only its
 * body: its decorators and parameter defaults run in the scope around it. `text` is the file's.
 */
export function markEnclosingFunctions(accesses: readonly Placed[], functions: readonly Node[], text: string): void {
  if (accesses.length === 0 || functions.length === 0) {
    return;
  }
  const spans = functions.flatMap((fn) => {
    const body = fn.childForFieldName('body');
    const start = body?.startPosition;
    const end = fn.endPosition;
    return start ? [{ line: fn.startPosition.row, body: { start: { line: start.row, character: start.column }, end: { line: end.row, character: end.column } }, isAsync: text.startsWith('async', fn.startIndex) }] : [];
  });
  for (const access of accesses) {
    let innermost: (typeof spans)[number] | undefined;
    for (const span of spans) {
      // A function nested in another starts below it (or further along its line), so the latest start around the access is the innermost.
      if (holds(span.body, access.range.start) && (innermost === undefined || !holds(span.body, innermost.body.start))) {
        innermost = span;
      }
    }
    if (innermost && access.op !== undefined && isWriteOp(access.op)) {
      access.fn = innermost.line;
    }
    if (innermost?.isAsync && !access.asyncMethod) {
      access.inAsyncFunction = true;
    }
  }
}
