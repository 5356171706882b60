import { createHash } from 'node:crypto';
import { StoreError } from '../../storeError';

/**
 * Where a listing of a Redis Cluster stands: a master (by a short hash of its address) and that
 * master's SCAN cursor. Naming the node rather than its place in the list means a failover or a
 * new master cannot silently send the next step to another node, whose SCAN cursor would skip
 * or repeat keys; the step is refused instead.
 */
interface ClusterPosition {
  /** Index into the masters the cursor was resolved against. */
  index: number;
  nodeCursor: string;
}

/** 48 bits of the address: enough to tell a handful of masters apart, short enough for a cursor. */
export function nodeTag(address: string): string {
  return createHash('sha256').update(address).digest('base64url').slice(0, 8);
}

/** The cursor for `nodeCursor` on the master at `address`. */
export function encodeClusterCursor(address: string, nodeCursor: string): string {
  return `${nodeTag(address)}:${nodeCursor}`;
}

/**
 * The master (among `addresses`, in walking order) and SCAN cursor a cursor names; the first
 * master from the start without one. StoreError('bad-cursor') when the cursor was not made here
 * or its master is no longer one of `addresses`.
 */
export function resolveClusterCursor(cursor: string | undefined, addresses: readonly string[]): ClusterPosition {
  if (cursor === undefined) {
    if (addresses.length === 0) {
      throw new StoreError('connection', 'The Redis Cluster reports no masters; check that the cluster is up (redis-cli cluster info).');
    }
    return { index: 0, nodeCursor: '0' };
  }
  const match = /^([A-Za-z0-9_-]{8}):(\d{1,20})$/.exec(cursor);
  const index = match ? addresses.findIndex((address) => nodeTag(address) === match[1]) : -1;
  if (!match || index < 0) {
    throw new StoreError('bad-cursor', 'The cursor does not fit this cluster (the master it points at is gone, e.g. after a failover); start the listing again without --cursor.');
  }
  return { index, nodeCursor: match[2] as string };
}
