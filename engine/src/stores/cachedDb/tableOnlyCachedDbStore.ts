import type { PyDict } from '../../codec';
import type { ClearExpiredOptions, CountOptions, DeleteByUserOptions, EditOptions, ExpirySetting, FindByUserOptions, ListOptions, SaveMode, SessionFilter, SessionPage, SessionRecord, SessionStore } from '../sessionStore';
import { cacheTransportOf, type ExtendedCacheTarget, isPerProcessCache } from '../cache/cacheSettings';
import type { StoreDescriptor } from '../storeDescriptor';
import { StoreError } from '../storeError';

/**
 * A `cached_db` store through its table alone, which holds every session Django saved: for
 * DummyCache, which caches nothing, every operation is the table's; for a cache no other
 * program can reach (LocMemCache inside each Django process, or a backend we do not open),
 * `refusal` says why changes are refused. Django serves a session from its cache before the
 * table and saves that copy back over the row, so a change made here could be undone by a
 * process holding an older copy. Only `clearExpired` still runs, since it deletes what Django's
 * own `clearsessions` deletes for this engine.
 */
export class TableOnlyCachedDbStore implements SessionStore {
  constructor(
    readonly descriptor: StoreDescriptor,
    private readonly table: SessionStore,
    private readonly refusal?: string,
  ) {}

  list(options: ListOptions): Promise<SessionPage> {
    return this.table.list(options);
  }

  count(filter?: SessionFilter, options?: CountOptions): Promise<number> {
    return this.table.count(filter, options);
  }

  get(sessionKey: string): Promise<SessionRecord | undefined> {
    return this.table.get(sessionKey);
  }

  async save(sessionKey: string, data: PyDict, mode: SaveMode): Promise<SessionRecord> {
    return this.changeable().save(sessionKey, data, mode);
  }

  async update(sessionKey: string, change: (data: PyDict) => void, options?: EditOptions): Promise<SessionRecord> {
    return this.changeable().update(sessionKey, change, options);
  }

  async delete(sessionKey: string): Promise<boolean> {
    return this.changeable().delete(sessionKey);
  }

  async clear(sessionKey: string, options?: EditOptions): Promise<SessionRecord> {
    return this.changeable().clear(sessionKey, options);
  }

  async setExpiry(sessionKey: string, expiry: ExpirySetting, options?: EditOptions): Promise<SessionRecord> {
    return this.changeable().setExpiry(sessionKey, expiry, options);
  }

  async cycleKey(sessionKey: string, options?: EditOptions): Promise<SessionRecord> {
    return this.changeable().cycleKey(sessionKey, options);
  }

  clearExpired(options?: ClearExpiredOptions): Promise<number> {
    return this.table.clearExpired(options);
  }

  async deleteByUser(userId: string, options?: DeleteByUserOptions): Promise<number> {
    return this.changeable().deleteByUser(userId, options);
  }

  /** Refused where `deleteByUser` is, so a preview never promises a deletion that would be refused. */
  async findByUser(userId: string, options?: FindByUserOptions): Promise<number> {
    return this.changeable().findByUser(userId, options);
  }

  close(): Promise<void> {
    return this.table.close();
  }

  /** The table, for a change; a StoreError('write-refused') saying why where changes are refused. */
  private changeable(): SessionStore {
    if (this.refusal) {
      throw new StoreError('write-refused', this.refusal);
    }
    return this.table;
  }
}

/**
 * How a cached_db store whose cache is not opened with its table is read through the table
 * alone: changes allowed for DummyCache, which caches nothing, and refused (`refusal`) for a
 * cache each Django process keeps to itself or one this tool does not open; undefined for a
 * cache that is opened with the table (Redis, Redis Cluster, memcached).
 */
export function tableOnlyCache(descriptor: StoreDescriptor): { refusal?: string } | undefined {
  const cache = descriptor.cache as ExtendedCacheTarget | undefined;
  if (!cache || cache.unsupported || cacheTransportOf(cache)) {
    return undefined;
  }
  const name = cache.backend.split('.').pop() || cache.backend || '(none)';
  if (/dummy/i.test(cache.backend)) {
    return {};
  }
  const why = isPerProcessCache(cache.backend) ? `The session cache is ${name}, which each Django process keeps to itself` : `The session cache is ${name}, which this tool does not open`;
  return {
    refusal: `${why}: Django serves each session from that cache before the table and saves its copy back over the row, so a change made here could be undone. Sessions are read from the table; to change them here, give the session cache a Redis or memcached backend (or DummyCache, which caches nothing).`,
  };
}

/**
 * Why changes are refused to a cached_db store read through its table alone (its cache one this
 * tool cannot open, or one the settings do not name statically); undefined where they are not.
 */
export function tableOnlyRefusal(descriptor: StoreDescriptor): string | undefined {
  return descriptor.engine === 'cached_db' ? (descriptor.tableOnlyRefusal ?? tableOnlyCache(descriptor)?.refusal) : undefined;
}

/** Whether a cached_db store is read through its table alone, with no cache entries beside it to compare. */
export function readsTableOnly(descriptor: StoreDescriptor): boolean {
  return descriptor.engine === 'cached_db' && (descriptor.tableOnlyRefusal !== undefined || tableOnlyCache(descriptor) !== undefined);
}

/** Why a store has no cache entries beside its table to compare with it (cache drift). */
export function noCacheBesideTable(store: SessionStore): string {
  const d = store.descriptor;
  if (store instanceof TableOnlyCachedDbStore) {
    return `${d.id} is cached_db on ${d.cache?.backend.split('.').pop() ?? 'a cache'}, which this tool does not read, so only its table is read.`;
  }
  return `Only a cached_db store has a cache beside its table; ${d.id} uses the ${d.engine} engine.`;
}
