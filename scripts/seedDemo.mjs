// Builds the demo project's SQLite database (demo/db.sqlite3) from demo/seed.sql, which real
// Django generated (demo/tools/make_seed.py). Expiry dates are relative to now, so the demo
// always shows live and expired sessions. An existing database is kept, with the expiries of the
// seed's sessions set again from now (a demo seeded weeks ago would show every session
// expired); --fresh builds it anew from the seed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const demoDatabase = path.join(root, 'demo', 'db.sqlite3');

async function loadSqlJs() {
  const initSqlJs = require('sql.js');
  return initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
}

/** The seed's database, with its expiry dates computed from now. */
function seeded(SQL) {
  const db = new SQL.Database();
  db.exec(fs.readFileSync(path.join(root, 'demo', 'seed.sql'), 'utf8'));
  return db;
}

/** Replaces `target` with the database's bytes in one rename, so no reader sees half a file. */
function replaceWith(db, target) {
  const tmp = `${target}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, db.export());
  db.close();
  fs.renameSync(tmp, target);
}

/**
 * Sets the expiry of each seed session still in `target` to what a fresh seed gives it now,
 * leaving its data and every other session as they are. Skipped while a journal or WAL file
 * says a connection (runserver, the extension) may be writing the database.
 */
function refreshExpiries(SQL, target) {
  if (['-journal', '-wal'].some((suffix) => fs.existsSync(`${target}${suffix}`))) {
    return 'in use (it has a journal or WAL file), so its expiries were left as they are';
  }
  const seed = seeded(SQL);
  const [expiries] = seed.exec('SELECT session_key, expire_date FROM django_session');
  seed.close();
  const db = new SQL.Database(fs.readFileSync(target));
  const update = db.prepare('UPDATE django_session SET expire_date = ? WHERE session_key = ?');
  for (const [key, expireDate] of expiries.values) update.run([expireDate, key]);
  update.free();
  replaceWith(db, target);
  return 'ready, the demo sessions expiring from now as seeded';
}

/**
 * Makes the demo database `target` (demo/db.sqlite3 by default) and returns what it did: built
 * from the seed when missing or `fresh`, else its seed sessions' expiries set again from now.
 */
export async function seedDemo({ fresh = false, target = demoDatabase } = {}) {
  const SQL = await loadSqlJs();
  if (!fresh && fs.existsSync(target)) {
    return refreshExpiries(SQL, target);
  }
  const db = seeded(SQL);
  fs.rmSync(`${target}-journal`, { force: true });
  replaceWith(db, target);
  return 'built from demo/seed.sql';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Not a top-level await: the unit tests load this module as CommonJS.
  void seedDemo({ fresh: process.argv.includes('--fresh') }).then(
    (outcome) => console.log(`Demo database ${path.relative(process.cwd(), demoDatabase)}: ${outcome}.`),
    (err) => {
      console.error(`Could not seed the demo database ${path.relative(process.cwd(), demoDatabase)}: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
