import { StoreError } from '../storeError';
import { keyDigest } from './keyFingerprint';

/**
 * A listing position: the backend's scan cursor where the current step started, and the short
 * fingerprints of the keys of that step already handled (returned, filtered out or not sessions).
 * Resuming runs the same step again and skips exactly those keys, whatever else changed: Redis
 * returns a step's keys in another order while it rehashes, and a step re-run after a deletion
 * reaches further along the keyspace. No key is carried in the cursor: keys are credentials.
 */
export interface CachePosition {
  scanCursor?: string;
  /** `shortFingerprint`s of the keys already handled from the step at `scanCursor`. */
  handled?: string[];
}

const TAG = 'c3';
/** 48 bits: a step holds at most a few thousand keys, so a false match is about one in 10^8 pages. */
const SHORT_BYTES = 6;
const SHORT_CHARS = 8;
/** Well above what a step of a few thousand keys makes; anything longer was not made here. */
const MAX_CURSOR_CHARS = 1 << 20;

/** A key's fingerprint cut to 48 bits, as the cursor carries it (8 base64url characters). */
export function shortFingerprint(key: string): string {
  return keyDigest(key).subarray(0, SHORT_BYTES).toString('base64url');
}

/** The opaque `--cursor` text for a position. */
export function encodeCacheCursor(position: CachePosition): string {
  return Buffer.from(JSON.stringify([TAG, position.scanCursor ?? null, (position.handled ?? []).join('')]), 'utf8').toString('base64url');
}

/** The position a cursor from `encodeCacheCursor` names; a StoreError('bad-cursor') for anything else. */
export function decodeCacheCursor(cursor: string): CachePosition {
  let parsed: unknown;
  try {
    parsed = cursor.length <= MAX_CURSOR_CHARS ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== TAG ||
    !(parsed[1] === null || typeof parsed[1] === 'string') ||
    typeof parsed[2] !== 'string' ||
    parsed[2].length % SHORT_CHARS !== 0 ||
    !/^[A-Za-z0-9_-]*$/.test(parsed[2])
  ) {
    throw new StoreError('bad-cursor', 'The cursor is not one this tool produced for a cache store; start again without --cursor.');
  }
  const handled = parsed[2].match(/.{8}/g) ?? [];
  return { scanCursor: parsed[1] ?? undefined, handled };
}
