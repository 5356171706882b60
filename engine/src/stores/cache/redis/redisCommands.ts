import type { Redis, Cluster } from 'ioredis';
import { MAX_STORED_DATA_BYTES } from '../../storedDataLimit';
import { StoreError } from '../../storeError';
import type { CacheBackend, CacheEntry } from '../cacheBackend';
import type { CacheValue } from '../cacheValueCodec';
import { writeOutcomeUnknown } from '../writeOutcome';
import { isRedisLoading, redisLoadingError } from './redisLoading';
import { aclUser, isRedisPermissionDenied, redisPermissionError } from './redisPermission';
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

/**
 * The single-key reads and conditional writes both the plain and the cluster backend issue. Every
 * command runs through `command`, which turns a server that stopped answering (ioredis's
 * `commandTimeout`) into a StoreError('connection') naming the server.
 */
export abstract class RedisCommands implements Pick<CacheBackend, 'get' | 'add' | 'replaceIf' | 'deleteIf' | 'reconnects'> {
  private reconnected = 0;

  protected constructor(
    private readonly target: Redis | Cluster,
    private readonly unit: TtlUnit,
    private readonly where: string,
    private readonly timeoutMs: number,
  ) {
    target.on('reconnecting', () => this.reconnected++);
  }

  /** How many times the connection was made again; ioredis then resends the commands whose replies it lost. */
  reconnects(): number {
    return this.reconnected;
  }

  /** The entry under `key`; none when another app keeps a hash or list there, which is no session (as in `getMany`). */
  async get(key: string): Promise<CacheEntry | undefined> {
    const [entry] = await this.readBounded([key], ([one]) =>
      this.command(async () => {
        try {
          const [bytes, pttl] = await Promise.all([this.target.getBuffer(one!), this.target.pttl(one!)]);
          return [bytes ? { value: { bytes }, ttlMs: ttlOf(pttl) } : undefined];
        } catch (err) {
          if (err instanceof Error && err.message.startsWith('WRONGTYPE')) {
            return [undefined];
          }
          throw err;
        }
      }),
    );
    return entry;
  }

  /** Whether the ACL user may run STRLEN; cleared when it may not, and values are then read whatever their size. */
  private sizesKnown = true;

  /**
   * `read`'s entries for `keys`, where a value above MAX_STORED_DATA_BYTES is never read but
   * stands as its size (CacheValue.unreadBytes): a 512 MB value took the reply past the command
   * timeout, so the whole listing failed as a server not answering, and a longer string than
   * JavaScript holds cannot be made at all. The sizes come first, one STRLEN per key.
   */
  protected async readBounded(keys: string[], read: (keys: string[]) => Promise<(CacheEntry | undefined)[]>): Promise<(CacheEntry | undefined)[]> {
    const sizes = await this.sizesAbove(keys);
    if (sizes.size === 0) {
      return read(keys);
    }
    const large = [...sizes.keys()];
    const small = keys.filter((key) => !sizes.has(key));
    const [entries, ttls] = await Promise.all([small.length > 0 ? read(small) : Promise.resolve([]), this.command(() => Promise.all(large.map((key) => this.target.pttl(key))))]);
    const byKey = new Map<string, CacheEntry | undefined>(small.map((key, i) => [key, entries[i]]));
    large.forEach((key, i) => byKey.set(key, { value: { bytes: new Uint8Array(0), unreadBytes: sizes.get(key) }, ttlMs: ttlOf(ttls[i]!) }));
    return keys.map((key) => byKey.get(key));
  }

  /** The keys whose string values are above MAX_STORED_DATA_BYTES, with their sizes. */
  private async sizesAbove(keys: string[]): Promise<Map<string, number>> {
    const sizes = new Map<string, number>();
    if (!this.sizesKnown) {
      return sizes;
    }
    try {
      // ioredis writes each command without waiting for the reply before, so these go out together.
      const lengths = await this.command(() => Promise.all(keys.map((key) => this.target.strlen(key).catch((err: unknown) => (failsBatch(err) ? Promise.reject(err) : 0)))));
      lengths.forEach((length, i) => length > MAX_STORED_DATA_BYTES && sizes.set(keys[i]!, length));
    } catch (err) {
      // An ACL user granted exactly the commands Django runs may lack STRLEN: values are then read as before.
      if (!(err instanceof StoreError && err.code === 'permission-denied' && /'strlen' command/i.test(err.message))) {
        throw err;
      }
      this.sizesKnown = false;
    }
    return sizes;
  }

  add(key: string, value: CacheValue, ttlSeconds: number): Promise<boolean> {
    return this.write(async () => {
      await this.checkScripting();
      const reply = this.unit === 'PX' ? await this.target.set(key, Buffer.from(value.bytes), 'PX', ttlSeconds * 1000, 'NX') : await this.target.set(key, Buffer.from(value.bytes), 'EX', ttlSeconds, 'NX');
      return reply === 'OK';
    });
  }

  replaceIf(key: string, expected: Uint8Array, value: CacheValue, ttlSeconds: number): Promise<boolean> {
    return this.write(async () => (await this.target.eval(REPLACE_IF_SCRIPT, 1, key, Buffer.from(expected), Buffer.from(value.bytes), this.unit, ttlArg(this.unit, ttlSeconds))) === 1);
  }

  deleteIf(key: string, expected?: Uint8Array): Promise<boolean> {
    return this.write(async () => (expected ? await this.target.eval(DELETE_IF_SCRIPT, 1, key, Buffer.from(expected)) : await this.target.del(key)) === 1);
  }

  /** Runs `body`'s commands, reporting a timeout or a lost connection as a StoreError('connection'). */
  /** Whether the server takes SCAN's TYPE option (Redis 6+); cleared when one refuses it. */
  private scanByType = true;

  /** Set once the server has run a script for this ACL user (see checkScripting). */
  private scripting = false;

  /**
   * Makes sure the ACL user may run scripts before a new session is written: cycle-key writes the
   * copy, then deletes the old entry with a script, and a refused EVAL only then would leave the
   * session under both keys.
   */
  private async checkScripting(): Promise<void> {
    if (!this.scripting) {
      await this.target.eval('return 1', 0);
      this.scripting = true;
    }
  }

  /**
   * One SCAN step on one server over the string keys the glob matches: another app's hash or list
   * under the prefix is no session, so count and list leave it out alike. A server before Redis 6
   * refuses TYPE, and is scanned without it (its other keys are then told apart by GET).
   */
  protected scanStrings(node: Redis, cursor: string, glob: string, count: number): Promise<[string, string[]]> {
    return this.command(async () => {
      if (this.scanByType) {
        try {
          return await node.scan(cursor, 'MATCH', glob, 'COUNT', count, 'TYPE', 'string');
        } catch (err) {
          if (!(err instanceof Error && /syntax error/i.test(err.message))) {
            throw err;
          }
          this.scanByType = false;
        }
      }
      return node.scan(cursor, 'MATCH', glob, 'COUNT', count);
    });
  }

  protected async command<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (err) {
      throw redisCommandError(this.where, this.timeoutMs, err, aclUser(this.target));
    }
  }

  /** `command` for a write, whose outcome a timeout or lost connection leaves unknown. */
  private async write<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await this.command(body);
    } catch (err) {
      throw writeOutcomeUnknown(err);
    }
  }
}

/** ioredis's messages for a command that got no reply in time, and for one whose connection went. */
const TIMED_OUT = /Command timed out/i;
const CONNECTION_LOST = /max retries per request|Connection is closed/i;

/** Whether a command failed because the server did not answer or the connection went, rather than on its own key. */
function lostServer(err: unknown): boolean {
  return err instanceof Error && (TIMED_OUT.test(err.message) || CONNECTION_LOST.test(err.message));
}

/** Whether one key's failure in a batch fails the whole call: the server went or is still loading, or the ACL user may not read the key. */
export function failsBatch(err: unknown): boolean {
  return lostServer(err) || isRedisLoading(err) || isRedisPermissionDenied(err);
}

/**
 * A command that got no reply in time, lost its connection, met a server still loading its data
 * or was refused to the ACL user `user`, as one line naming the server and what to do; other
 * errors as they are.
 */
export function redisCommandError(where: string, timeoutMs: number, err: unknown, user: string): unknown {
  const message = err instanceof Error ? err.message : '';
  if (isRedisPermissionDenied(err)) {
    return redisPermissionError(where, user, err);
  }
  if (isRedisLoading(err)) {
    return redisLoadingError(where, err);
  }
  if (TIMED_OUT.test(message)) {
    return new StoreError('connection', `Redis at ${where} did not answer within ${timeoutMs} ms; check that the server is running and not paused or overloaded (redis-cli ping), and the network to it.`);
  }
  if (CONNECTION_LOST.test(message)) {
    return new StoreError('connection', `Lost the connection to Redis at ${where} (${message.replace(/\.$/, '')}); check that the server is running and the network to it.`);
  }
  return err;
}
