import { PyDict, PyTuple, type PyValue } from '../../engine/src';

/**
 * How deep a value `set` writes may nest, lists and dicts within it counted, with the session's
 * own dict around it. Django reads a session with json.loads, which fails past Python's recursion
 * limit of 1000 frames less the stack of the request loading it, and Django 3.1/3.2 then fails
 * every request with that cookie on a binascii.Error; 500 leaves the request a wide margin, and
 * is where output shows deeper values as their repr.
 */
export const MAX_VALUE_NESTING = 500;

/** The depth of the deepest list, tuple or dict in `value`, 0 for a value that holds none. */
export function valueNesting(value: PyValue): number {
  const items = Array.isArray(value) ? value : value instanceof PyTuple ? value.items : value instanceof PyDict ? [...value.values()] : undefined;
  return items === undefined ? 0 : 1 + items.reduce<number>((deepest, item) => Math.max(deepest, valueNesting(item)), 0);
}
