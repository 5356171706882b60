import type { Redis, Cluster } from 'ioredis';
import type { CacheBackend, CacheEntry } from '../cacheBackend';
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

/** The single-key reads and conditional writes both the plain and the cluster backend issue. */
export abstract class RedisCommands implements Pick<CacheBackend, 'get' | 'add' | 'replaceIf' | 'deleteIf'> {
  protected constructor(
    private readonly target: Redis | Cluster,
    private readonly unit: TtlUnit,
  ) {}

  async get(key: string): Promise<CacheEntry | undefined> {
    const [bytes, pttl] = await Promise.all([this.target.getBuffer(key), this.target.pttl(key)]);
    return bytes ? { value: { bytes }, ttlMs: ttlOf(pttl) } : undefined;
  }

  async add(key: string, value: CacheValue, ttlSeconds: number): Promise<boolean> {
    const reply = this.unit === 'PX' ? await this.target.set(key, Buffer.from(value.bytes), 'PX', ttlSeconds * 1000, 'NX') : await this.target.set(key, Buffer.from(value.bytes), 'EX', ttlSeconds, 'NX');
    return reply === 'OK';
  }

  async replaceIf(key: string, expected: Uint8Array, value: CacheValue, ttlSeconds: number): Promise<boolean> {
    const reply = await this.target.eval(REPLACE_IF_SCRIPT, 1, key, Buffer.from(expected), Buffer.from(value.bytes), this.unit, ttlArg(this.unit, ttlSeconds));
    return reply === 1;
  }

  async deleteIf(key: string, expected?: Uint8Array): Promise<boolean> {
    const reply = expected ? await this.target.eval(DELETE_IF_SCRIPT, 1, key, Buffer.from(expected)) : await this.target.del(key);
    return reply === 1;
  }
}
