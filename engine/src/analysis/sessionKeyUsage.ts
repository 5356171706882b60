import type { KeySpelling } from './keySpelling';
import { rangeId, type Range } from './range';

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
  /** A change to a test client's session that nothing saves: listed as the access it spells, but no write. */
  unsaved?: true;
  /** A `pop(k)` given no default, which raises KeyError where the key is missing. */
  noDefault?: true;
  /** An access that raises KeyError where the key is missing, which an `in` check of the key plainly guards. */
  guarded?: true;
}

/** The writes among `usages` that reach a session: not a test client's change that nothing saves. */
export function savedWrites<T extends SessionKeyUsage>(usages: readonly T[]): T[] {
  return usages.filter((u) => isWriteOp(u.op) && !u.unsaved);
}

/**
 * The places of `usages`, each once: one literal can key two accesses (`for key in ("a",): if
 * key in s: del s[key]`), which is one place to show, count or fix.
 */
export function distinctPlaces<T extends SessionKeyUsage>(usages: readonly T[]): T[] {
  const seen = new Set<string>();
  return usages.filter((u) => {
    const id = `${u.file}\u0000${rangeId(u.range)}`;
    return !seen.has(id) && seen.add(id) !== undefined;
  });
}

/** A session access with no str key to tell: one known only by running the code, or a literal that is no str. */
export interface UnresolvedSessionKey {
  op: SessionOp;
  file: string;
  range: Range;
  inTest: boolean;
  /** Why, e.g. "the key is a function parameter". */
  reason: string;
  /** How the key starts, where that is known (see KeyExpression). */
  prefix?: string;
  /** The literal the key is where it is an int, float, bool or None (`5`): known, and never a str key, so no key it could be. */
  nonStr?: string;
}
