import { StoreError } from './storeError';

/**
 * How many leading characters of the last session key a cursor keeps. Cursors end up in
 * terminals and CI logs, and a session key is a bearer credential, so a cursor carries only a
 * prefix: 12 of 32 characters leave over 100 bits secret. Rows that share the last row's
 * expiry to the microsecond *and* its 12-character prefix would be skipped, which is negligible.
 */
const KEY_PREFIX_LENGTH = 12;

/** The position after the last row of a page, for keyset pagination. */
interface PagePosition {
  sortValue: string;
  sessionKey: string;
}

/** Where the next page starts, as SQL bounds: rows after (`sortValue`, `keyBound`) in list order. */
export interface PageBounds {
  sortValue: string;
  /** Compare with `<` for descending and `>` for ascending order. */
  keyBound: string;
}

/** Cursors are opaque to callers so their shape can change without breaking saved ones silently. */
export function encodeCursor(position: PagePosition): string {
  const payload = [position.sortValue, position.sessionKey.slice(0, KEY_PREFIX_LENGTH)];
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** The bounds a cursor stands for; descending pages stop below the key prefix, ascending ones above it. */
export function decodeCursor(cursor: string, order: 'asc' | 'desc'): PageBounds {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') {
    throw new StoreError('bad-cursor', 'The cursor is not one this tool produced; start again without --cursor.');
  }
  return { sortValue: parsed[0], keyBound: order === 'desc' ? parsed[1] : `${parsed[1]}\u{10FFFF}` };
}
