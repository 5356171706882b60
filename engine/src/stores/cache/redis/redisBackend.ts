import { Redis } from 'ioredis';
import { StoreError } from '../../storeError';
import type { CacheBackend, CacheEntry, ScanBatch } from '../cacheBackend';
import type { CacheSecrets } from '../openCacheStore';
import { failsBatch, RedisCommands, ttlOf, type TtlUnit } from './redisCommands';
import { connectRedis } from './redisConnect';
import { refuseClusterNode, selectRedisDatabase } from './redisDatabase';
import { describeRedisLocation, parseRedisLocation, redisOptionsFor } from './redisLocation';
import { bucketOrderCursors, type ScanStep, singleScan, splitScan } from './splitScan';

/** One Redis server (any logical database, ACL user, TLS), spoken to through ioredis. */
export class RedisBackend extends RedisCommands implements CacheBackend {
  private constructor(
    private readonly client: Redis,
    readonly description: string,
    unit: TtlUnit,
    commandTimeoutMs: number,
    private readonly splitsScans: boolean,
  ) {
    super(client, unit, description, commandTimeoutMs);
  }

  /**
   * Connects (failing fast with a clear StoreError) to the first location, where Django writes;
   * a command without a reply within `commandTimeoutMs` fails instead of waiting forever.
   */
  static async open(location: string, unit: TtlUnit, commandTimeoutMs: number, secrets: CacheSecrets = {}): Promise<RedisBackend> {
    const parsed = parseRedisLocation(location);
    const description = describeRedisLocation(parsed);
    const client = new Redis({ ...redisOptionsFor(parsed, secrets.password), commandTimeout: commandTimeoutMs });
    await connectRedis(client, description, parsed.password !== undefined, secrets.passwordVariable);
    await refuseClusterNode(client, description);
    await selectRedisDatabase(client, parsed.db, description);
    const splitsScans = await client.info('server').then(bucketOrderCursors, () => false);
    return new RedisBackend(client, description, unit, commandTimeoutMs, splitsScans);
  }

  /** Every key: in two SCAN walks at once on Redis itself, else in one. */
  scanAll(count: number, glob: string): AsyncIterable<ScanBatch> {
    const step: ScanStep = (cursor, n) => this.scanStrings(this.client, cursor, glob, n);
    return this.splitsScans ? splitScan(step, count) : singleScan(step, count);
  }

  getMany(keys: string[]): Promise<(CacheEntry | undefined)[]> {
    return this.readBounded(keys, (small) => this.readAll(small));
  }

  private async readAll(keys: string[]): Promise<(CacheEntry | undefined)[]> {
    const pipeline = this.client.pipeline();
    for (const key of keys) {
      pipeline.getBuffer(key).pttl(key);
    }
    const replies = await this.command(async () => {
      // A pipeline resolves even when its commands time out, one error per reply; read as
      // misses, those would make live sessions look deleted, so a lost or loading server (or keys
      // the ACL user may not read) fails the call. An error of one key alone (WRONGTYPE: another app's
      // hash under the prefix) is no session, and must not stop a listing or a logout of every other one.
      const result = await pipeline.exec();
      const failed = result ? result.map(([err]) => err).find(failsBatch) : new Error('Connection is closed.');
      if (failed) {
        throw failed;
      }
      return result!;
    });
    return keys.map((_, i) => {
      const bytes = replies[2 * i]?.[1] as Buffer | null | undefined;
      const pttl = replies[2 * i + 1]?.[1] as number | undefined;
      return bytes ? { value: { bytes }, ttlMs: ttlOf(pttl ?? -1) } : undefined;
    });
  }

  async scan(cursor: string | undefined, count: number, glob: string): Promise<ScanBatch> {
    if (cursor !== undefined && !/^\d{1,20}$/.test(cursor)) {
      throw new StoreError('bad-cursor', 'The cursor does not fit this Redis server; start the listing again without --cursor.');
    }
    const [next, keys] = await this.scanStrings(this.client, cursor ?? '0', glob, count);
    return { keys, cursor: next === '0' ? undefined : next };
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
