import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import initSqlJs from 'sql.js';

const made: string[] = [];
process.on('exit', () => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** Builds a SQLite file from a .sql fixture in a fresh temp dir, removed when the process exits; returns its path. */
export async function sqliteFromFixture(name: string): Promise<string> {
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const db = new SQL.Database();
  db.exec(fs.readFileSync(path.resolve(__dirname, '../../../fixtures/sqlite', name), 'utf8'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'djs-sqlite-'));
  made.push(dir);
  const file = path.join(dir, 'db.sqlite3');
  fs.writeFileSync(file, db.export());
  db.close();
  return file;
}

/** Writes `file` as a SQLite database holding Django's empty session table, as `migrate` leaves it. */
export async function writeEmptySessionTable(file: string): Promise<void> {
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const db = new SQL.Database();
  db.exec('CREATE TABLE "django_session" ("session_key" varchar(40) NOT NULL PRIMARY KEY, "session_data" text NOT NULL, "expire_date" datetime NOT NULL);');
  fs.writeFileSync(file, db.export());
  db.close();
}
