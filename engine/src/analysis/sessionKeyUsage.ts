import type { KeySpelling } from './keySpelling';
import type { Range } from './range';

/** What code does with a session key; the async variants (`aget`, `aset`, …) map to the sync name. */
export type SessionOp = 'read' | 'set' | 'delete' | 'contains' | 'get' | 'pop' | 'setdefault' | 'update';

const WRITE_OPS: ReadonlySet<SessionOp> = new Set(['set', 'setdefault', 'update']);

/** Whether the access stores a value under the key (`setdefault` may, so it counts). */
export function isWriteOp(op: SessionOp): boolean {
  return WRITE_OPS.has(op);
}

/** One access to a session key whose name is known statically. */
export interface SessionKeyUsage {
  key: string;
  op: SessionOp;
  /** Absolute path of the Python file. */
  file: string;
  /** The key expression, e.g. `'cart'` including its quotes, or `CART_KEY`. */
  range: Range;
  /** Where the key is written when not by a constant: the literal here, or the one a local variable was bound to. */
  spelling?: KeySpelling;
  inTest: boolean;
}

/** A session access whose key cannot be told without running the code. */
export interface UnresolvedSessionKey {
  op: SessionOp;
  file: string;
  range: Range;
  inTest: boolean;
  /** Why, e.g. "the key is a function parameter". */
  reason: string;
  /** How the key starts, where that is known (see KeyExpression). */
  prefix?: string;
}
