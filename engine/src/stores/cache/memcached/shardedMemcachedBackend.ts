import { StoreError } from '../../storeError';
import type { CacheBackend, CacheEntry, ScanBatch } from '../cacheBackend';
import type { CacheValue } from '../cacheValueCodec';
import { MemcachedBackend, parseMemcachedLocation } from './memcachedBackend';
import { rendezvousNode } from './rendezvousHash';

/**
 * Several memcached servers as Django's `PyMemcacheCache` (pymemcache `HashClient`) uses them:
 * each key lives on the server rendezvous hashing picks. Listing walks the servers in the
 * configured order; the cursor is "server index:that server's cursor".
 */
export class ShardedMemcachedBackend implements CacheBackend {
  private constructor(
    private readonly names: string[],
    private readonly servers: Map<string, MemcachedBackend>,
  ) {}

  get description(): string {
    // The names are pymemcache's hashing keys, with an IPv6 address bare; the servers name themselves bracketed.
    return `memcached://${[...this.servers.values()].map((server) => server.address).join(',')}`;
  }

  /** Connects to every server; see `MemcachedBackend.open` for `readTimeoutMs`. */
  static async open(locations: string[], readTimeoutMs: number): Promise<ShardedMemcachedBackend> {
    const names = locations.map((l) => {
      const { host, port } = parseMemcachedLocation(l);
      return `${host}:${port}`;
    });
    const servers = new Map<string, MemcachedBackend>();
    try {
      for (const [i, name] of names.entries()) {
        servers.set(name, await MemcachedBackend.open(locations[i] as string, readTimeoutMs));
      }
    } catch (err) {
      await Promise.all([...servers.values()].map((s) => s.close()));
      throw err;
    }
    return new ShardedMemcachedBackend(names, servers);
  }

  private serverFor(key: string): MemcachedBackend {
    return this.servers.get(rendezvousNode(this.names, key) as string) as MemcachedBackend;
  }

  get(key: string): Promise<CacheEntry | undefined> {
    return this.serverFor(key).get(key);
  }

  async getMany(keys: string[]): Promise<(CacheEntry | undefined)[]> {
    const groups = new Map<MemcachedBackend, number[]>();
    keys.forEach((key, i) => {
      const server = this.serverFor(key);
      groups.set(server, [...(groups.get(server) ?? []), i]);
    });
    const result: (CacheEntry | undefined)[] = new Array(keys.length).fill(undefined);
    await Promise.all(
      [...groups].map(async ([server, indexes]) => {
        const entries = await server.getMany(indexes.map((i) => keys[i] as string));
        indexes.forEach((index, j) => {
          result[index] = entries[j];
        });
      }),
    );
    return result;
  }

  add(key: string, value: CacheValue, ttlSeconds: number): Promise<boolean> {
    return this.serverFor(key).add(key, value, ttlSeconds);
  }

  replaceIf(key: string, expected: Uint8Array, value: CacheValue, ttlSeconds: number): Promise<boolean> {
    return this.serverFor(key).replaceIf(key, expected, value, ttlSeconds);
  }

  deleteIf(key: string, expected?: Uint8Array): Promise<boolean> {
    return this.serverFor(key).deleteIf(key, expected);
  }

  async scan(cursor: string | undefined, count: number, glob = '*'): Promise<ScanBatch> {
    const m = /^(\d+):(0|[0-9a-f]{40})$/.exec(cursor ?? '0:0');
    const index = m ? Number(m[1]) : NaN;
    const name = this.names[index];
    if (!m || name === undefined) {
      throw new StoreError('bad-cursor', 'The cursor does not fit these memcached servers; start the listing again without --cursor.');
    }
    const server = this.servers.get(name) as MemcachedBackend;
    const batch = await server.scan(m[2] === '0' ? undefined : m[2], count, glob);
    // A key found on a server other than its own is stale (left from before a server was added): Django never reads it there.
    const own = (key: string) => rendezvousNode(this.names, key) === name;
    const next = batch.cursor !== undefined ? `${index}:${batch.cursor}` : index + 1 < this.names.length ? `${index + 1}:0` : undefined;
    return { keys: batch.keys.filter(own), expiredKeys: batch.expiredKeys?.filter(own), cursor: next };
  }

  async *scanAll(count: number, glob = '*'): AsyncIterable<ScanBatch> {
    for (const name of this.names) {
      const own = (key: string) => rendezvousNode(this.names, key) === name;
      for await (const batch of (this.servers.get(name) as MemcachedBackend).scanAll(count, glob)) {
        yield { keys: batch.keys.filter(own), expiredKeys: batch.expiredKeys?.filter(own), cursor: batch.cursor };
      }
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.servers.values()].map((s) => s.close()));
  }
}
