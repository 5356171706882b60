import { Cluster, type Redis } from 'ioredis';
import { StoreError } from '../../storeError';
import { hostPort } from '../../hostPort';
import type { CacheBackend, CacheEntry, ScanBatch } from '../cacheBackend';
import type { CacheSecrets } from '../openCacheStore';
import { encodeClusterCursor, resolveClusterCursor } from './clusterCursor';
import { MergedWalks } from './mergedWalks';
import { failsBatch, RedisCommands, ttlOf, type TtlUnit } from './redisCommands';
import { connectRedis } from './redisConnect';
import { refuseClusterDatabase } from './redisDatabase';
import { parseRedisLocation, redisOptionsFor } from './redisLocation';
import { singleScan } from './splitScan';
import { unreachableClusterSeeds } from './unreachableClusterSeeds';

/**
 * A Redis Cluster: single-key reads and writes follow the slots (ioredis follows MOVED/ASK), and
 * a scan walks every master in address order, the cursor naming the master (`clusterCursor`).
 */
export class RedisClusterBackend extends RedisCommands implements CacheBackend {
  private constructor(
    private readonly cluster: Cluster,
    readonly description: string,
    unit: TtlUnit,
    commandTimeoutMs: number,
  ) {
    super(cluster, unit, description, commandTimeoutMs);
  }

  /** Connects through the seed nodes; a command without a reply within `commandTimeoutMs` fails instead of waiting forever. */
  static async open(locations: string[], unit: TtlUnit, commandTimeoutMs: number, secrets: CacheSecrets = {}): Promise<RedisClusterBackend> {
    const seeds = locations.map((l) => parseRedisLocation(l));
    const first = seeds[0];
    if (!first) {
      throw new StoreError('bad-url', 'A Redis Cluster URL needs at least one node, e.g. redis+cluster://127.0.0.1:7000,127.0.0.1:7001.');
    }
    const options = redisOptionsFor(first, secrets.password);
    const description = `redis+cluster://${seeds.map((s) => hostPort(s.host, s.port)).join(',')}`;
    seeds.forEach((s) => refuseClusterDatabase(s.db, description));
    if (seeds.some((s) => s.socketPath)) {
      throw new StoreError('bad-url', 'Redis Cluster nodes are reached over TCP; name them as host:port, not unix:// sockets.');
    }
    const cluster = new Cluster(
      seeds.map((s) => ({ host: s.host, port: s.port })),
      {
        enableAutoPipelining: true,
        enableOfflineQueue: true,
        clusterRetryStrategy: (times: number) => (times > 3 ? null : 200 * times),
        redisOptions: { username: options.username, password: options.password, tls: options.tls, connectTimeout: options.connectTimeout, maxRetriesPerRequest: options.maxRetriesPerRequest, enableReadyCheck: options.enableReadyCheck, commandTimeout: commandTimeoutMs },
        lazyConnect: true,
      },
    );
    try {
      await connectRedis(cluster, description, false, secrets.passwordVariable);
    } catch (err) {
      throw (await unreachableClusterSeeds(seeds, description)) ?? err;
    }
    return new RedisClusterBackend(cluster, description, unit, commandTimeoutMs);
  }

  /** The masters in a stable order (by address), so a cursor means the same node on the next call. */
  private masters(): Redis[] {
    const nodes = this.cluster.nodes('master');
    return nodes.sort((a, b) => address(a).localeCompare(address(b)));
  }

  /**
   * Auto-pipelining batches these per node, whatever slots the keys hash to. A key that fails on
   * its own (WRONGTYPE: another app's value under the prefix) is no session; a lost node, or a key the ACL user may not read, fails all.
   */
  getMany(keys: string[]): Promise<(CacheEntry | undefined)[]> {
    return this.readBounded(keys, (small) => this.readAll(small));
  }

  private readAll(keys: string[]): Promise<(CacheEntry | undefined)[]> {
    return this.command(() =>
      Promise.all(
        keys.map(async (key) => {
          try {
            const [bytes, pttl] = await Promise.all([this.cluster.getBuffer(key), this.cluster.pttl(key)]);
            return bytes ? { value: { bytes }, ttlMs: ttlOf(pttl) } : undefined;
          } catch (err) {
            if (failsBatch(err)) {
              throw err;
            }
            return undefined;
          }
        }),
      ),
    );
  }

  /** One step on the master the cursor names; the next master (in address order) once it is done. */
  async scan(cursor: string | undefined, count: number, glob: string): Promise<ScanBatch> {
    const masters = this.masters();
    const { index, nodeCursor } = resolveClusterCursor(cursor, masters.map(address));
    const node = masters[index] as Redis;
    const [next, keys] = await this.scanStrings(node, nodeCursor, glob, count);
    if (next !== '0') {
      return { keys, cursor: encodeClusterCursor(address(node), next) };
    }
    const following = masters[index + 1];
    return { keys, cursor: following ? encodeClusterCursor(address(following), '0') : undefined };
  }

  /**
   * Every master's keys for whole-store walks (count, deleteByUser, clearExpired), all masters at
   * once, over one snapshot of the masters taken at the start, so a change of masters midway
   * cannot send the walk back over a node or past one.
   */
  async *scanAll(count: number, glob: string): AsyncIterable<ScanBatch> {
    const walks = new MergedWalks();
    for (const node of this.masters()) {
      walks.run(singleScan((cursor, n) => this.scanStrings(node, cursor, glob, n), count));
    }
    yield* walks.batches();
  }

  async close(): Promise<void> {
    await this.cluster.quit().catch(() => this.cluster.disconnect());
  }
}

function address(node: Redis): string {
  return `${node.options.host}:${String(node.options.port).padStart(5, '0')}`;
}
