import type { Node } from 'web-tree-sitter';
import { nodeRange, type Range } from './range';
import { awaited } from './receiverMatches';

/** A use of what a session's `create()` returns, which is always None. */
export interface CreateResultUse {
  range: Range;
  /** The session as written, e.g. `request.session`. */
  receiver: string;
  /** `create` or `acreate`. */
  method: string;
  /** The call as written, e.g. `request.session.create()` or `await s.acreate()`. */
  call: string;
  /**
   * For `x = session.create()` and `return session.create()` on their own line: the statement,
   * and that statement written as a call and then a read of `session_key`.
   */
  fix?: { range: Range; newText: string };
}

/**
 * Where the value of `session.create()` (or `await session.acreate()`) is used. Every Django
 * store's `create()` makes and saves a new key and returns None, so code that takes the result
 * as the key (`cart_id = request.session.create()`, the `session_key or …create()` idiom) gets
 * None for exactly the visitors who had no session yet. Undefined when the result is dropped.
 */
export function createResultUse(call: Node, receiver: Node, method: string, text: string): CreateResultUse | undefined {
  const value = awaited(call);
  const parent = value.parent;
  if (!parent || parent.type === 'expression_statement') {
    return undefined;
  }
  const use: CreateResultUse = { range: nodeRange(value), receiver: receiver.text, method, call: value.text };
  const fix = rewrittenStatement(value, parent, use, text);
  return fix ? { ...use, fix } : use;
}

/** `x = <call>` or `return <call>` alone on its line, as the call followed by `x = <receiver>.session_key` (or its return). */
function rewrittenStatement(value: Node, parent: Node, use: CreateResultUse, text: string): CreateResultUse['fix'] {
  const left = parent.type === 'assignment' ? parent.childForFieldName('left') : null;
  const assigns = parent.type === 'assignment' && left?.type === 'identifier' && parent.childForFieldName('right')?.id === value.id && parent.childForFieldName('type') === null;
  const returns = parent.type === 'return_statement' && parent.namedChildren.length === 1;
  const statement = assigns ? parent.parent : returns ? parent : null;
  if (!statement || (assigns && statement.type !== 'expression_statement')) {
    return undefined;
  }
  const lineStart = text.lastIndexOf('\n', statement.startIndex - 1) + 1;
  const indent = text.slice(lineStart, statement.startIndex);
  const lineEnd = text.indexOf('\n', statement.endIndex);
  const after = text.slice(statement.endIndex, lineEnd === -1 ? text.length : lineEnd).replace(/\r$/, '');
  if (!/^[ \t]*$/.test(indent) || after.trim() !== '') {
    return undefined;
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const read = `${use.receiver}.session_key`;
  return { range: nodeRange(statement), newText: `${use.call}${eol}${indent}${assigns ? `${left!.text} = ${read}` : `return ${read}`}` };
}
