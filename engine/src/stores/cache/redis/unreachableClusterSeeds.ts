import { hostPort } from '../../hostPort';
import { tcpUnreachable } from '../../sql/tcpReachable';
import { StoreError } from '../../storeError';
import { unreachableReason } from '../../unreachableServer';

/**
 * Why a Redis Cluster could not be reached, when none of its seed nodes takes a connection at all;
 * undefined when one does. ioredis asks the seeds for the slots over connections whose errors it
 * drops, so a refused port reaches its caller only as "Connection is closed.".
 */
export async function unreachableClusterSeeds(seeds: { host: string; port: number }[], description: string): Promise<StoreError | undefined> {
  const reasons = await Promise.all(
    seeds.map(async ({ host, port }) => {
      const code = await tcpUnreachable(host, port);
      return code && (unreachableReason({ code }, { host, port }) ?? `nothing answers at ${hostPort(host, port)} (${code})`);
    }),
  );
  if (reasons.some((reason) => !reason)) {
    return undefined;
  }
  return new StoreError('connection', `Cannot use Redis at ${description}: ${reasons.join('; ')}. Check that the cluster's nodes run and the URL's hosts and ports are right.`);
}
