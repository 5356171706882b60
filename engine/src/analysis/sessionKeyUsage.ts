import type { Range } from './range';

/** What code does with a session key; the async variants (`aget`, `aset`, …) map to the sync name. */
export type SessionOp = 'read' | 'set' | 'delete' | 'contains' | 'get' | 'pop' | 'setdefault' | 'update';

/** One access to a session key whose name is known statically. */
export interface SessionKeyUsage {
  key: string;
  op: SessionOp;
  /** Absolute path of the Python file. */
  file: string;
  /** The key expression, e.g. `'cart'` including its quotes, or `CART_KEY`. */
  range: Range;
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
}
