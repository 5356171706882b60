import { Cluster, type Redis } from 'ioredis';
import { StoreError } from '../../storeError';
import type { CacheBackend, CacheEntry, ScanBatch } from '../cacheBackend';
import { RedisCommands, ttlOf, type TtlUnit } from './redisCommands';
import { connectRedis } from './redisConnect';
import { refuseClusterDatabase } from './redisDatabase';
import { parseRedisLocation, redisOptionsFor } from './redisLocation';

/**
 * A Redis Cluster: single-key reads and writes follow the slots (ioredis follows MOVED/ASK), and
 * a scan walks every master in a fixed order, the cursor being "master index:that master's cursor".
 */
export class RedisClusterBackend extends RedisCommands implements CacheBackend {
  private constructor(
    private readonly cluster: Cluster,
    readonly description: string,
    unit: TtlUnit,
  ) {
    super(cluster, unit);
  }

  static async open(locations: string[], unit: TtlUnit, password?: string): Promise<RedisClusterBackend> {
    const seeds = locations.map((l) => parseRedisLocation(l));
    const first = seeds[0];
    if (!first) {
      throw new StoreError('bad-url', 'A Redis Cluster URL needs at least one node, e.g. redis+cluster://127.0.0.1:7000,127.0.0.1:7001.');
    }
    const options = redisOptionsFor(first, password);
    const description = `redis+cluster://${seeds.map((s) => `${s.host}:${s.port}`).join(',')}`;
    seeds.forEach((s) => refuseClusterDatabase(s.db, description));
    const cluster = new Cluster(
      seeds.map((s) => ({ host: s.host, port: s.port })),
      {
        enableAutoPipelining: true,
        enableOfflineQueue: true,
        clusterRetryStrategy: (times: number) => (times > 3 ? null : 200 * times),
        redisOptions: { username: options.username, password: options.password, tls: options.tls, connectTimeout: options.connectTimeout, maxRetriesPerRequest: options.maxRetriesPerRequest },
        lazyConnect: true,
      },
    );
    await connectRedis(cluster, description);
    return new RedisClusterBackend(cluster, description, unit);
  }

  /** The masters in a stable order (by address), so a cursor means the same node on the next call. */
  private masters(): Redis[] {
    const nodes = this.cluster.nodes('master');
    return nodes.sort((a, b) => address(a).localeCompare(address(b)));
  }

  /** Auto-pipelining batches these per node, whatever slots the keys hash to. */
  async getMany(keys: string[]): Promise<(CacheEntry | undefined)[]> {
    return Promise.all(
      keys.map(async (key) => {
        const [bytes, pttl] = await Promise.all([this.cluster.getBuffer(key), this.cluster.pttl(key)]);
        return bytes ? { value: { bytes }, ttlMs: ttlOf(pttl) } : undefined;
      }),
    );
  }

  async scan(cursor: string | undefined, count: number, glob: string): Promise<ScanBatch> {
    const masters = this.masters();
    const match = /^(\d+):(\d+)$/.exec(cursor ?? '0:0');
    const index = match ? Number(match[1]) : NaN;
    const node = masters[index];
    if (!match || !node) {
      throw new StoreError('bad-cursor', 'The cursor does not fit this cluster (its masters changed); start the listing again without --cursor.');
    }
    const [next, keys] = await node.scan(match[2] ?? '0', 'MATCH', glob, 'COUNT', count);
    if (next !== '0') {
      return { keys, cursor: `${index}:${next}` };
    }
    return { keys, cursor: index + 1 < masters.length ? `${index + 1}:0` : undefined };
  }

  async close(): Promise<void> {
    await this.cluster.quit().catch(() => this.cluster.disconnect());
  }
}

function address(node: Redis): string {
  return `${node.options.host}:${String(node.options.port).padStart(5, '0')}`;
}
