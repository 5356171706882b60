import { PyDict } from './pyDict';
import { PyTuple, type PyValue } from './pyValue';

/**
 * How deep session data written for Django may nest, lists and dicts within it counted, the
 * session's own dict the first level. Django reads a session with json.loads, which fails past
 * Python's recursion limit of 1000 frames less the stack of the request loading it, and Django
 * 3.1/3.2 then fails every request with that cookie on a binascii.Error; 500 leaves the request
 * a wide margin, and is where output shows deeper values as their repr.
 */
export const MAX_SESSION_NESTING = 500;

/** Why data nested past MAX_SESSION_NESTING is not written, a clause without its full stop. */
export const TOO_DEEP = `lists or dicts nest too deep: Django could load the session only up to ${MAX_SESSION_NESTING} levels with the session's own dict (json.loads fails near Python's recursion limit, and Django 3.1/3.2 then fails every request with its cookie)`;

/** The depth of the deepest list, tuple or dict in `value`, itself counted; 0 for a value that holds none. */
export function valueNesting(value: PyValue): number {
  const items = Array.isArray(value) ? value : value instanceof PyTuple ? value.items : value instanceof PyDict ? [...value.values()] : undefined;
  return items === undefined ? 0 : 1 + items.reduce<number>((deepest, item) => Math.max(deepest, valueNesting(item)), 0);
}
