import { StoreError } from '../storeError';
import { isKeyFingerprint } from './keyFingerprint';

/**
 * A listing position: the backend's scan cursor where the current batch started, and the
 * fingerprint of the last key of that batch already returned. Batches are walked in fingerprint
 * order, so resuming from the same scan cursor skips exactly the keys already returned even when
 * the server hands the batch back in another order (Redis does while it rehashes). No key is
 * carried in the cursor: keys are credentials.
 */
export interface CachePosition {
  scanCursor?: string;
  after?: string;
}

const TAG = 'c2';

export function encodeCacheCursor(position: CachePosition): string {
  return Buffer.from(JSON.stringify([TAG, position.scanCursor ?? null, position.after ?? null]), 'utf8').toString('base64url');
}

export function decodeCacheCursor(cursor: string): CachePosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== TAG ||
    !(parsed[1] === null || typeof parsed[1] === 'string') ||
    !(parsed[2] === null || (typeof parsed[2] === 'string' && isKeyFingerprint(parsed[2])))
  ) {
    throw new StoreError('bad-cursor', 'The cursor is not one this tool produced for a cache store; start again without --cursor.');
  }
  return { scanCursor: parsed[1] ?? undefined, after: parsed[2] ?? undefined };
}
