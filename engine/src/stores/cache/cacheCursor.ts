import { StoreError } from '../storeError';

/**
 * A listing position: the backend's scan cursor where the current batch started, and how many of
 * that batch's keys were already returned. Re-running a SCAN step from the same cursor yields the
 * same batch while the keyspace is unchanged, so no key has to be carried in the cursor (keys
 * are credentials).
 */
export interface CachePosition {
  scanCursor?: string;
  skip: number;
}

const TAG = 'c1';

export function encodeCacheCursor(position: CachePosition): string {
  return Buffer.from(JSON.stringify([TAG, position.scanCursor ?? null, position.skip]), 'utf8').toString('base64url');
}

export function decodeCacheCursor(cursor: string): CachePosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== TAG || !(parsed[1] === null || typeof parsed[1] === 'string') || !Number.isInteger(parsed[2]) || parsed[2] < 0) {
    throw new StoreError('bad-cursor', 'The cursor is not one this tool produced for a cache store; start again without --cursor.');
  }
  return { scanCursor: parsed[1] ?? undefined, skip: parsed[2] };
}
