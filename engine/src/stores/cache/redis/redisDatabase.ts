import type { Redis } from 'ioredis';
import { StoreError } from '../../storeError';
import { aclUser, isRedisPermissionDenied, redisPermissionError } from './redisPermission';

/**
 * Makes sure the connection really uses database `db`. ioredis sends the SELECT while connecting
 * but only emits its failure as an event and carries on in database 0, where `count` would count
 * and `flush` would delete someone else's keys; so the SELECT is repeated here, and its failure
 * ends the open.
 */
export async function selectRedisDatabase(client: Redis, db: number, where: string): Promise<void> {
  if (db === 0) {
    return;
  }
  try {
    await client.select(db);
  } catch (err) {
    if (isRedisPermissionDenied(err)) {
      client.disconnect();
      throw redisPermissionError(where, aclUser(client), err);
    }
    const count = await databaseCount(client);
    client.disconnect();
    const has = count === undefined ? '' : ` (it has ${count}: 0 to ${count - 1})`;
    throw new StoreError('connection', `Redis at ${where} has no database ${db}${has}: ${(err as Error).message}. Fix the database index in the URL.`);
  }
}

/** Redis Cluster has database 0 only; a URL naming another is refused rather than quietly served from 0. */
export function refuseClusterDatabase(db: number, where: string): void {
  if (db !== 0) {
    throw new StoreError('bad-url', `Redis Cluster has only database 0, and ${where} names database ${db}. Fix the URL: drop the /${db}.`);
  }
}

/** The server's `databases` setting, when CONFIG is allowed. */
async function databaseCount(client: Redis): Promise<number | undefined> {
  try {
    const reply = (await client.config('GET', 'databases')) as unknown;
    const n = Array.isArray(reply) ? Number(reply[1]) : Number.NaN;
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A node of a Redis Cluster, reached as a single server, holds only the keys of its own hash
 * slots and answers MOVED for the rest: its sessions would look complete while most are
 * elsewhere, and a key of another slot fails. So the open is refused, naming the cluster URL.
 * A server that does not answer INFO (an ACL without it) is taken as it is.
 */
export async function refuseClusterNode(client: Redis, where: string): Promise<void> {
  let info: string;
  try {
    info = await client.info('cluster');
  } catch {
    return;
  }
  if (/^cluster_enabled:1\s*$/m.test(info)) {
    client.disconnect();
    throw new StoreError(
      'unsupported',
      `Redis at ${where} is a node of a Redis Cluster (cluster_enabled:1), which holds only the sessions of its own hash slots; name the cluster with a redis+cluster:// URL (in settings, a cluster client), or most sessions would be missed.`,
    );
  }
}
