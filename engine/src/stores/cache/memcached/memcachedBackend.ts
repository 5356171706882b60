import { isKeyFingerprint, keyFingerprint } from '../keyFingerprint';
import { globMatcher } from '../globMatcher';
import { StoreError } from '../../storeError';
import { hostPort } from '../../hostPort';
import type { CacheBackend, CacheEntry, ScanBatch } from '../cacheBackend';
import type { CacheValue } from '../cacheValueCodec';
import { writeOutcomeUnknown } from '../writeOutcome';
import { CRAWLER_BUSY_PAUSES_MS, pause } from './crawlerBusyPauses';
import { MemcachedConnection } from './memcachedConnection';
import { memcachedExpiration } from './memcachedTtl';
import { parseMetadumpLine } from './metadumpLine';

/** A `mg` reply: value, flags, remaining TTL (-1 = never) and CAS token. */
interface MetaValue {
  bytes: Buffer;
  flags: number;
  ttl: number;
  cas: string;
}

/** Parses `host:port` (or `memcached://host:port`) as Django's `LOCATION` names a server. */
export function parseMemcachedLocation(location: string): { host: string; port: number } {
  const m = /^(?:memcached:\/\/)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(location.trim());
  if (!m || !m[1]) {
    throw new StoreError('bad-url', `"${location}" is not a memcached server; use host:port, e.g. memcached://127.0.0.1:11211.`);
  }
  return { host: m[1].replace(/^\[|\]$/g, ''), port: m[2] ? Number(m[2]) : 11211 };
}

const DUMP_BATCH = 10_000;
/** memcached's own default for -I, the largest item it stores. */
const DEFAULT_ITEM_SIZE_MAX = 1024 * 1024;
/** What an item takes besides its key and value: memcached's item header, CAS and the value's line end, with room to spare. */
const ITEM_OVERHEAD = 128;

/**
 * One memcached server (≥ 1.6, for the meta commands that give a value's TTL and CAS-guarded
 * deletes) holding pymemcache-serialized values. Listing uses `lru_crawler metadump all`
 * (≥ 1.4.31), which has no cursor of its own and whose order changes as items move between LRU
 * segments; so each step reads the dump's keys, orders them by a hash, and the cursor is the
 * last hash returned. A position would skip or repeat keys, and a key would leak a session key.
 */
export class MemcachedBackend implements CacheBackend {
  /** What a metadump walks: the hash table where the server can (see `dump`). */
  private dumpScope: 'hash' | 'all' = 'hash';
  private reopening?: Promise<MemcachedConnection>;
  /** Set by `close`: no exchange or dump may open a connection after it. */
  private closed = false;

  /** The largest item the server stores (`stats settings` item_size_max, memcached's -I); 1 MiB, its default, where it does not say. */
  private itemSizeMax = DEFAULT_ITEM_SIZE_MAX;

  private constructor(
    private conn: MemcachedConnection,
    private readonly host: string,
    private readonly port: number,
    private readonly readTimeoutMs: number,
    private readonly wait: (ms: number) => Promise<void>,
  ) {}

  /** `host:port` for people, an IPv6 address bracketed. */
  get address(): string {
    return hostPort(this.host, this.port);
  }

  get description(): string {
    return `memcached://${this.address}`;
  }

  /**
   * Connects; a reply that stops arriving for `readTimeoutMs` fails the exchange instead of hanging.
   * `wait` is how a listing waits out another client's LRU crawl before trying again.
   */
  static async open(location: string, readTimeoutMs: number, wait: (ms: number) => Promise<void> = pause): Promise<MemcachedBackend> {
    const { host, port } = parseMemcachedLocation(location);
    const conn = await MemcachedConnection.open(host, port, readTimeoutMs);
    const backend = new MemcachedBackend(conn, host, port, readTimeoutMs, wait);
    const version = await conn.exclusive(async () => {
      conn.write('version\r\n');
      return conn.readLine();
    });
    const m = /^VERSION (\d+)\.(\d+)/.exec(version);
    if (!m) {
      conn.close();
      // A Redis server answers `version` with an error of its own; anything else is no memcached either.
      throw new StoreError('connection', `The server at ${hostPort(host, port)} is not memcached: it answered "${version.slice(0, 80)}" to "version"${/^-ERR/.test(version) ? ' (that is how Redis answers)' : ''}. Check the URL's host and port.`);
    }
    if (Number(m[1]) < 1 || (Number(m[1]) === 1 && Number(m[2]) < 6)) {
      conn.close();
      throw new StoreError('unsupported', `memcached at ${hostPort(host, port)} reports "${version}"; sessions need memcached 1.6 or later (meta commands). Upgrade memcached.`);
    }
    backend.itemSizeMax = await conn.exclusive(async () => {
      conn.write('stats settings\r\n');
      let size = DEFAULT_ITEM_SIZE_MAX;
      // A server that does not list its settings (a proxy) answers something else than STAT lines: the default stands.
      for (let line = await conn.readLine(); line.startsWith('STAT '); line = await conn.readLine()) {
        const stat = /^STAT item_size_max (\d+)$/.exec(line);
        if (stat) {
          size = Number(stat[1]);
        }
      }
      return size;
    });
    return backend;
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    const [entry] = await this.getMany([key]);
    return entry;
  }

  async getMany(keys: string[]): Promise<(CacheEntry | undefined)[]> {
    const values = await this.metaGet(keys);
    return values.map((v) => (v ? { value: { bytes: v.bytes, flags: v.flags }, ttlMs: v.ttl < 0 ? undefined : v.ttl * 1000 } : undefined));
  }

  async add(key: string, value: CacheValue, ttlSeconds: number): Promise<boolean> {
    return (await this.metaSet(key, value, ttlSeconds, 'E')) === 'HD';
  }

  async replaceIf(key: string, expected: Uint8Array, value: CacheValue, ttlSeconds: number): Promise<boolean> {
    const [current] = await this.metaGet([key]);
    if (!current || !current.bytes.equals(expected)) {
      return false;
    }
    return (await this.metaSet(key, value, ttlSeconds, 'S', current.cas)) === 'HD';
  }

  async deleteIf(key: string, expected?: Uint8Array): Promise<boolean> {
    let cas = '';
    if (expected) {
      const [current] = await this.metaGet([key]);
      if (!current || !current.bytes.equals(expected)) {
        return false;
      }
      cas = ` C${current.cas}`;
    }
    const reply = await this.exchange(async (conn) => {
      conn.write(`md ${checkKey(key)}${cas}\r\n`);
      return written(conn.readLine());
    });
    return reply === 'HD';
  }

  /**
   * One step of listing: the next `count` keys matching `glob` after `cursor` in hash order. Each
   * step dumps the whole server, so only the keys the glob selects are hashed and sorted, and a
   * page takes one step per `count` sessions, however many other entries the cache holds.
   */
  async scan(cursor: string | undefined, count: number, glob = '*'): Promise<ScanBatch> {
    if (cursor !== undefined && !isKeyFingerprint(cursor)) {
      throw new StoreError('bad-cursor', 'The cursor is not one this tool produced for memcached; start again without --cursor.');
    }
    const items: Array<{ hash: string; key: string; expired: boolean }> = [];
    for await (const batch of this.dump(DUMP_BATCH, glob)) {
      for (const key of batch.keys) items.push({ hash: keyFingerprint(key), key, expired: false });
      for (const key of batch.expiredKeys ?? []) items.push({ hash: keyFingerprint(key), key, expired: true });
    }
    const after = items.filter((item) => cursor === undefined || item.hash > cursor).sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
    const page = after.slice(0, count);
    return {
      keys: page.filter((item) => !item.expired).map((item) => item.key),
      expiredKeys: page.filter((item) => item.expired).map((item) => item.key),
      cursor: after.length > count ? page[page.length - 1]!.hash : undefined,
    };
  }

  /** The keys matching `glob`, in batches from one metadump. */
  scanAll(count: number, glob = '*'): AsyncIterable<ScanBatch> {
    return this.dump(count, glob);
  }

  /**
   * Streams a metadump on its own connection (it cannot share one). A batch's cursor only says
   * more may follow in this same dump. `metadump hash` walks the hash table, so it sees every
   * item; `metadump all` walks each slab class's LRU and leaves out any class the background
   * crawler is walking at that moment, so it is only the fallback for a memcached without `hash`.
   */
  private async *dump(count: number, glob: string): AsyncIterable<ScanBatch> {
    this.refuseClosed();
    const selected = globMatcher(glob);
    const started = await this.startDump();
    const conn = started.conn;
    let line = started.line;
    try {
      let keys: string[] = [];
      let expiredKeys: string[] = [];
      let seen = 0;
      for (; ; line = await conn.readLine()) {
        if (line === 'END') {
          yield { keys, expiredKeys };
          return;
        }
        const item = parseMetadumpLine(line);
        if (!item) {
          throw metadumpError(line, this.description);
        }
        seen++;
        if (!selected(item.key)) {
          continue;
        }
        if (item.exp !== undefined && item.exp <= Date.now() / 1000) {
          expiredKeys.push(item.key);
        } else {
          keys.push(item.key);
        }
        if (keys.length + expiredKeys.length >= count) {
          yield { keys, expiredKeys, cursor: String(seen) };
          keys = [];
          expiredKeys = [];
        }
      }
    } finally {
      conn.close();
    }
  }

  /**
   * Opens a connection and starts a metadump on it, answering with its first line. memcached
   * runs one LRU crawl at a time and refuses another with BUSY: another listing's dump is
   * waited out, a few times, before the refusal is reported.
   */
  private async startDump(): Promise<{ conn: MemcachedConnection; line: string }> {
    for (let attempt = 0; ; attempt++) {
      const conn = await MemcachedConnection.open(this.host, this.port, this.readTimeoutMs);
      try {
        conn.write(`lru_crawler metadump ${this.dumpScope}\r\n`);
        let line = await conn.readLine();
        // A memcached without `hash` reads it as a list of slab classes.
        if (this.dumpScope === 'hash' && line.startsWith('BADCLASS')) {
          this.dumpScope = 'all';
          conn.write('lru_crawler metadump all\r\n');
          line = await conn.readLine();
        }
        const pauseMs = CRAWLER_BUSY_PAUSES_MS[attempt];
        if (!/^BUSY/.test(line) || pauseMs === undefined) {
          return { conn, line };
        }
        conn.close();
        await this.wait(pauseMs);
        this.refuseClosed();
      } catch (err) {
        conn.close();
        throw err;
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.conn.close();
    // A reconnection still opening would otherwise leave its socket open after close.
    (await this.reopening?.catch(() => undefined))?.close();
  }

  /**
   * Runs one exchange on the connection, first replacing it when it has failed (a timeout ends
   * it), so a server that answers again is used again by a long-lived store.
   */
  private async exchange<T>(body: (conn: MemcachedConnection) => Promise<T>): Promise<T> {
    this.refuseClosed();
    if (this.conn.failed) {
      // One reconnection for all the exchanges waiting, so no connection is opened and lost.
      this.reopening ??= MemcachedConnection.open(this.host, this.port, this.readTimeoutMs).finally(() => {
        this.reopening = undefined;
      });
      this.conn = await this.reopening;
      if (this.closed) {
        // close() ran while it opened (closing it too, unless it had not yet resolved).
        this.conn.close();
        this.refuseClosed();
      }
    }
    const conn = this.conn;
    return conn.exclusive(() => body(conn));
  }

  private refuseClosed(): void {
    if (this.closed) {
      throw new StoreError('connection', `The connection to memcached at ${this.description} was closed; open the store again.`);
    }
  }

  private metaGet(keys: string[]): Promise<(MetaValue | undefined)[]> {
    return this.exchange(async (conn) => {
      conn.write(keys.map((k) => `mg ${checkKey(k)} v f t c\r\n`).join(''));
      const values: (MetaValue | undefined)[] = [];
      for (let i = 0; i < keys.length; i++) {
        const head = await conn.readLine();
        if (head === 'EN') {
          values.push(undefined);
          continue;
        }
        const m = /^VA (\d+)(.*)$/.exec(head);
        if (!m) {
          throw new StoreError('connection', `memcached at ${this.description} answered "${head.slice(0, 80)}" to a get; is it memcached 1.6 or later?`);
        }
        const bytes = await conn.readBlock(Number(m[1]));
        const flag = (letter: string) => new RegExp(` ${letter}(-?\\d+)`).exec(m[2] ?? '')?.[1];
        values.push({ bytes, flags: Number(flag('f') ?? 0), ttl: Number(flag('t') ?? -1), cas: flag('c') ?? '0' });
      }
      return values;
    });
  }

  /**
   * memcached refuses an item above its size limit, and drops the item already under that key
   * when it does: such a write would lose the session, so it is refused before it is sent.
   */
  private metaSet(key: string, value: CacheValue, ttlSeconds: number, mode: 'E' | 'S', cas?: string): Promise<string> {
    const size = value.bytes.length + Buffer.byteLength(key) + ITEM_OVERHEAD;
    if (size > this.itemSizeMax) {
      return Promise.reject(
        new StoreError('write-refused', `The session would take ${size} bytes in memcached at ${this.description}, above its item size limit of ${this.itemSizeMax} bytes (memcached -I), and memcached drops the stored session when it refuses a write; nothing was written. Store less in the session.`),
      );
    }
    const expiration = memcachedExpiration(ttlSeconds);
    const casFlag = cas ? ` C${cas}` : '';
    return this.exchange(async (conn) => {
      conn.write(`ms ${checkKey(key)} ${value.bytes.length} T${expiration} F${value.flags ?? 0} M${mode}${casFlag}\r\n`, value.bytes, '\r\n');
      return written(conn.readLine());
    });
  }
}

/** The reply to a write already sent: a failure leaves its outcome unknown. */
async function written(reply: Promise<string>): Promise<string> {
  try {
    return await reply;
  } catch (err) {
    throw writeOutcomeUnknown(err);
  }
}

/** memcached's text protocol cannot carry keys with spaces or control characters, or longer than 250 bytes. */
function checkKey(key: string): string {
  if (Buffer.byteLength(key) > 250 || /[\s\x00-\x1f\x7f]/.test(key)) {
    throw new StoreError('invalid-key', 'memcached keys are at most 250 bytes without spaces or control characters; this key cannot be stored there.');
  }
  return key;
}

function metadumpError(line: string, where: string): StoreError {
  if (/^BUSY/.test(line)) {
    return new StoreError('busy', `${where} was still running another client's LRU crawl (a listing in another window or process, such as list --watch) after ${CRAWLER_BUSY_PAUSES_MS.length + 1} tries; try again once that listing is done, or stop it if it keeps listing.`);
  }
  return new StoreError('unsupported', `${where} cannot list its keys ("${line.slice(0, 80)}"): listing needs "lru_crawler metadump all" (memcached 1.4.31 or later, with the LRU crawler enabled). Upgrade memcached or start it without -o no_lru_crawler.`);
}
