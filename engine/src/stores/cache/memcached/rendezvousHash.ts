import { murmur3_32 } from './murmur3';

/**
 * pymemcache's `RendezvousHash.get_node` as `HashClient` uses it: node names are `host:port`,
 * each scored by `murmur3_32("<node>-<key>")`; the highest wins, and a tie goes to the greater
 * name. Django's `PyMemcacheCache` picks the server for every key this way.
 */
export function rendezvousNode(nodes: readonly string[], key: string): string | undefined {
  let best = -1;
  let winner: string | undefined;
  for (const node of nodes) {
    const score = murmur3_32(`${node}-${key}`);
    if (score > best) {
      best = score;
      winner = node;
    } else if (score === best && winner !== undefined && node > winner) {
      winner = node;
    }
  }
  return winner;
}
