import type { CacheBackend, CacheEntry, ScanBatch } from '../../../../../engine/src/stores/cache/cacheBackend';
import type { CacheValue } from '../../../../../engine/src/stores/cache/cacheValueCodec';

/** An in-memory cache with the backend's compare-and-swap semantics, for store tests without a server. */
export class MemoryCache implements CacheBackend {
  readonly description = 'memory test cache';
  readonly values = new Map<string, CacheValue>();

  get(key: string): Promise<CacheEntry | undefined> {
    const value = this.values.get(key);
    return Promise.resolve(value ? { value, ttlMs: 600_000 } : undefined);
  }

  getMany(keys: string[]): Promise<(CacheEntry | undefined)[]> {
    return Promise.all(keys.map((key) => this.get(key)));
  }

  add(key: string, value: CacheValue): Promise<boolean> {
    if (this.values.has(key)) {
      return Promise.resolve(false);
    }
    this.values.set(key, value);
    return Promise.resolve(true);
  }

  replaceIf(key: string, expected: Uint8Array, value: CacheValue): Promise<boolean> {
    const current = this.values.get(key);
    if (!current || !Buffer.from(current.bytes).equals(Buffer.from(expected))) {
      return Promise.resolve(false);
    }
    this.values.set(key, value);
    return Promise.resolve(true);
  }

  deleteIf(key: string, expected?: Uint8Array): Promise<boolean> {
    const current = this.values.get(key);
    if (!current || (expected && !Buffer.from(current.bytes).equals(Buffer.from(expected)))) {
      return Promise.resolve(false);
    }
    this.values.delete(key);
    return Promise.resolve(true);
  }

  scan(): Promise<ScanBatch> {
    return Promise.resolve({ keys: [...this.values.keys()] });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
