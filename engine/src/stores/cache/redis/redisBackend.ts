import { Redis } from 'ioredis';
import type { CacheBackend, CacheEntry, ScanBatch } from '../cacheBackend';
import type { CacheValue } from '../cacheValueCodec';
import { RedisCommands, ttlOf, type TtlUnit } from './redisCommands';
import { describeRedisLocation, parseRedisLocation, redisConnectionError, redisOptionsFor } from './redisLocation';

/** One Redis server (any logical database, ACL user, TLS), spoken to through ioredis. */
export class RedisBackend implements CacheBackend {
  private readonly commands: RedisCommands;

  private constructor(
    private readonly client: Redis,
    readonly description: string,
    unit: TtlUnit,
  ) {
    this.commands = new RedisCommands(client, unit);
  }

  /** Connects (failing fast with a clear StoreError) to the first location, where Django writes. */
  static async open(location: string, unit: TtlUnit, password?: string): Promise<RedisBackend> {
    const parsed = parseRedisLocation(location);
    const description = describeRedisLocation(parsed);
    const client = new Redis(redisOptionsFor(parsed, password));
    // ioredis reports a refused handshake (TLS, AUTH) as an 'error' event and the command as merely "closed".
    let cause: unknown;
    client.on('error', (err: unknown) => {
      cause ??= err;
    });
    try {
      await client.connect();
      await client.ping();
    } catch (err) {
      client.disconnect();
      throw redisConnectionError(description, cause ?? err);
    }
    return new RedisBackend(client, description, unit);
  }

  get(key: string): Promise<CacheEntry | undefined> {
    return this.commands.get(key);
  }

  async getMany(keys: string[]): Promise<(CacheEntry | undefined)[]> {
    const pipeline = this.client.pipeline();
    for (const key of keys) {
      pipeline.getBuffer(key).pttl(key);
    }
    const replies = (await pipeline.exec()) ?? [];
    return keys.map((_, i) => {
      const bytes = replies[2 * i]?.[1] as Buffer | null | undefined;
      const pttl = replies[2 * i + 1]?.[1] as number | undefined;
      return bytes ? { value: { bytes }, ttlMs: ttlOf(pttl ?? -1) } : undefined;
    });
  }

  add(key: string, value: CacheValue, ttlSeconds: number): Promise<boolean> {
    return this.commands.add(key, value, ttlSeconds);
  }

  replaceIf(key: string, expected: Uint8Array, value: CacheValue, ttlSeconds: number): Promise<boolean> {
    return this.commands.replaceIf(key, expected, value, ttlSeconds);
  }

  deleteIf(key: string, expected?: Uint8Array): Promise<boolean> {
    return this.commands.deleteIf(key, expected);
  }

  async scan(cursor: string | undefined, count: number, glob: string): Promise<ScanBatch> {
    const [next, keys] = await this.client.scan(cursor ?? '0', 'MATCH', glob, 'COUNT', count);
    return { keys, cursor: next === '0' ? undefined : next };
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
