import { tableOnlyCache, TableOnlyCachedDbStore } from './cachedDb/tableOnlyCachedDbStore';
import type { CacheSecrets } from './cache/openCacheStore';
import { FileSessionStore } from './file/fileSessionStore';
import type { SessionStore } from './sessionStore';
import { SqlSessionStore } from './sql/sqlSessionStore';
import { openSqliteStore, type SqliteDriverChoice } from './sqlite/sqliteSessionStore';
import type { StoreDescriptor } from './storeDescriptor';
import { StoreError } from './storeError';

export interface OpenStoreOptions {
  /** SQLite only: force a driver; by default node:sqlite where the runtime has it, else sql.js. */
  sqliteDriver?: SqliteDriverChoice;
  /**
   * SQLite through node:sqlite: about how long one batch of `clearExpired` holds the write lock,
   * and with it this thread (2 s by default). An interactive process asks for less.
   */
  lockBudgetMs?: number;
  /** Where password variables (and the sql.js override TRUST_UNSEEN_VARIABLE) are looked up; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /**
   * How the caller's user names a store URL, for messages about a missing file or directory,
   * e.g. `--store URL` in the CLI; "a store URL" by default.
   */
  urlHint?: string;
}

/** The db engine's table on the descriptor's database, whatever the vendor. */
async function openDbStore(descriptor: StoreDescriptor, options: OpenStoreOptions): Promise<SqlSessionStore | undefined> {
  const target = descriptor.database;
  if (target?.vendor === 'sqlite') {
    return openSqliteStore(descriptor, options.sqliteDriver, options.lockBudgetMs, options.env, options.urlHint);
  }
  // Network drivers load on first use, so commands that never connect (scan, lint, decode) start fast.
  if (target?.vendor === 'postgresql') {
    const { PgDriver } = await import('./postgres/pgDriver');
    return SqlSessionStore.open(descriptor, await PgDriver.open(target, options.env), `PostgreSQL database ${target.name}`);
  }
  if (target?.vendor === 'mysql') {
    const { MysqlDriver } = await import('./mysql/mysqlDriver');
    return SqlSessionStore.open(descriptor, await MysqlDriver.open(target, options.env), `MySQL database ${target.name}`);
  }
  return undefined;
}

/** Opens the adapter for a descriptor's engine and database. */
export async function openStore(descriptor: StoreDescriptor, options: OpenStoreOptions = {}): Promise<SessionStore> {
  const env = options.env ?? process.env;
  const passwordVariable = descriptor.cache?.passwordRef;
  // The variable the settings read the password from wins; REDISCLI_AUTH, redis-cli's own, still works.
  const secrets: CacheSecrets = { password: (passwordVariable !== undefined ? env[passwordVariable] : undefined) ?? env.REDISCLI_AUTH, ...(passwordVariable ? { passwordVariable } : {}) };
  if (descriptor.engine === 'cached_db') {
    const tableOnly = descriptor.tableOnlyRefusal !== undefined ? { refusal: descriptor.tableOnlyRefusal } : tableOnlyCache(descriptor);
    if (tableOnly) {
      return new TableOnlyCachedDbStore(descriptor, await openStore({ ...descriptor, engine: 'db' }, options), tableOnly.refusal);
    }
    const { openCachedDbStore } = await import('./cachedDb/openCachedDbStore');
    return openCachedDbStore(descriptor, (db) => openStore(db, options), secrets);
  }
  if (descriptor.engine === 'cache') {
    const { openCacheStore } = await import('./cache/openCacheStore');
    return openCacheStore(descriptor, secrets);
  }
  if (descriptor.engine === 'db') {
    const store = await openDbStore(descriptor, options);
    if (store) {
      return store;
    }
  }
  if (descriptor.engine === 'file') {
    return FileSessionStore.open(descriptor, options.urlHint);
  }
  if (descriptor.engine === 'signed_cookies') {
    throw new StoreError('unsupported', 'The signed_cookies engine keeps sessions in the browser, so there is no store to open; use decode-cookie and sign-cookie on a cookie value.');
  }
  if (descriptor.engine === 'db') {
    // The settings named the db engine but not statically which database (DATABASES unresolved).
    throw new StoreError('unsupported', `${descriptor.id} keeps sessions in a database the settings do not name statically (DATABASES could not be read); name it with a store URL, e.g. postgres://user@host/db.`);
  }
  throw new StoreError('unsupported', `Sessions of the engine ${descriptor.enginePath} are not supported; name a store of a built-in engine with a store URL.`);
}
