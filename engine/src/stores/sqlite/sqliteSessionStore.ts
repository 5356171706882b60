import * as fs from 'node:fs';
import type { StoreDescriptor } from '../storeDescriptor';
import { StoreError } from '../storeError';
import { SqlSessionStore } from '../sql/sqlSessionStore';
import type { SqlDriver } from '../sql/sqlDriver';
import { isInMemoryDatabase } from './inMemoryDatabase';
import { NodeSqliteDriver, nodeSqlite } from './nodeSqliteDriver';
import { openElsewhereCheck } from './openByOthers';
import { SqlJsDriver } from './sqlJsDriver';

/** Which SQLite driver to use: node:sqlite when the runtime has it, unless a caller asks for one. */
export type SqliteDriverChoice = 'auto' | 'node' | 'sqljs';

/**
 * The db engine on a SQLite file: live and locked through `node:sqlite` where the runtime has
 * it, else a guarded sql.js snapshot. Both behave the same to callers. `env` may carry the
 * user's override for processes the sql.js guard cannot inspect (TRUST_UNSEEN_VARIABLE); `urlHint`
 * how the user names a store URL, for the message about a missing file.
 */
export async function openSqliteStore(descriptor: StoreDescriptor, choice: SqliteDriverChoice = 'auto', lockBudgetMs?: number, env: NodeJS.ProcessEnv = process.env, urlHint = 'a store URL'): Promise<SqlSessionStore> {
  const target = descriptor.database;
  if (target?.vendor !== 'sqlite') {
    throw new StoreError('unsupported', 'openSqliteStore opens SQLite databases only.');
  }
  if (isInMemoryDatabase(target.path)) {
    // No file to migrate: the database lives and dies with the Django process that opened it.
    throw new StoreError('connection', `The SQLite database ${target.path} is in memory: it holds sessions only inside the running Django process (a test run's settings), never outside it; read the settings a normal run uses, or name a database file with ${urlHint}, e.g. sqlite:///abs/path/db.sqlite3.`);
  }
  try {
    fs.accessSync(target.path, fs.constants.R_OK);
  } catch (err) {
    // A store that cannot be reached, not a session that is missing.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new StoreError('connection', `The SQLite database ${target.path} does not exist. Run "python manage.py migrate", or name the right file with ${urlHint}, e.g. sqlite:///abs/path/db.sqlite3.`);
    }
    throw new StoreError('connection', `The SQLite database ${target.path} cannot be read (${(err as Error).message}); give this user read access to it (and write access to change sessions).`);
  }
  if (fs.statSync(target.path).isDirectory()) {
    throw new StoreError('connection', `${target.path} is a directory, not a SQLite database; name the database file with ${urlHint}, e.g. sqlite:///abs/path/db.sqlite3.`);
  }
  if (lockBudgetMs !== undefined && !(lockBudgetMs > 0 && Number.isFinite(lockBudgetMs))) {
    throw new StoreError('bad-input', `A lock budget is a positive number of milliseconds, not ${lockBudgetMs}.`);
  }
  const mod = choice === 'sqljs' ? undefined : nodeSqlite();
  if (choice === 'node' && !mod) {
    throw new StoreError('unsupported', `This runtime (Node ${process.versions.node}) has no node:sqlite; it needs Node ≥ 22.5.`);
  }
  let driver: SqlDriver;
  if (mod) {
    try {
      driver = NodeSqliteDriver.open(target.path, mod, lockBudgetMs);
    } catch (err) {
      throw err instanceof StoreError ? err : new StoreError('connection', `${target.path} is not a readable SQLite database: ${(err as Error).message}.`);
    }
  } else {
    try {
      driver = await SqlJsDriver.open(target.path, openElsewhereCheck(env));
    } catch (err) {
      throw err instanceof StoreError ? err : new StoreError('connection', `${target.path} is not a readable SQLite database: ${(err as Error).message}.`);
    }
  }
  try {
    return await SqlSessionStore.open(descriptor, driver, target.path);
  } catch (err) {
    if (err instanceof StoreError) {
      throw err;
    }
    await driver.close();
    throw new StoreError('connection', `${target.path} is not a readable SQLite database: ${(err as Error).message}.`);
  }
}
