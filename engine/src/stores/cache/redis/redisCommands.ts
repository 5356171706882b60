import type { Redis, Cluster } from 'ioredis';
import type { CacheEntry } from '../cacheBackend';
import type { CacheValue } from '../cacheValueCodec';
import { DELETE_IF_SCRIPT, REPLACE_IF_SCRIPT } from './redisScripts';

/** How the TTL is written: Django's RedisCache uses `EX` seconds, django-redis `PX` milliseconds. */
export type TtlUnit = 'EX' | 'PX';

function ttlArg(unit: TtlUnit, seconds: number): number {
  return unit === 'PX' ? seconds * 1000 : seconds;
}

/** A PTTL reply as a remaining lifetime: -1 means no expiry; -2 (gone) is handled by the caller. */
export function ttlOf(pttl: number): number | undefined {
  return pttl >= 0 ? pttl : undefined;
}

/** The conditional single-key writes both the plain and the cluster backend issue. */
export class RedisCommands {
  constructor(
    private readonly client: Redis | Cluster,
    private readonly unit: TtlUnit,
  ) {}

  async get(key: string): Promise<CacheEntry | undefined> {
    const [bytes, pttl] = await Promise.all([this.client.getBuffer(key), this.client.pttl(key)]);
    return bytes ? { value: { bytes }, ttlMs: ttlOf(pttl) } : undefined;
  }

  async add(key: string, value: CacheValue, ttlSeconds: number): Promise<boolean> {
    const reply = this.unit === 'PX' ? await this.client.set(key, Buffer.from(value.bytes), 'PX', ttlSeconds * 1000, 'NX') : await this.client.set(key, Buffer.from(value.bytes), 'EX', ttlSeconds, 'NX');
    return reply === 'OK';
  }

  async replaceIf(key: string, expected: Uint8Array, value: CacheValue, ttlSeconds: number): Promise<boolean> {
    const reply = await this.client.eval(REPLACE_IF_SCRIPT, 1, key, Buffer.from(expected), Buffer.from(value.bytes), this.unit, ttlArg(this.unit, ttlSeconds));
    return reply === 1;
  }

  async deleteIf(key: string, expected?: Uint8Array): Promise<boolean> {
    const reply = expected ? await this.client.eval(DELETE_IF_SCRIPT, 1, key, Buffer.from(expected)) : await this.client.del(key);
    return reply === 1;
  }
}
