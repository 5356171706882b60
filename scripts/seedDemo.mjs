// Builds the demo project's SQLite database (demo/db.sqlite3) from demo/seed.sql, which real
// Django generated (demo/tools/make_seed.py). Expiry dates are relative to now, so the demo
// always shows live and expired sessions. Keeps an existing database unless --fresh is given.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const target = path.join(root, 'demo', 'db.sqlite3');

/** Writes demo/db.sqlite3 and returns its path. */
export async function seedDemo({ fresh = false } = {}) {
  if (!fresh && fs.existsSync(target)) {
    return target;
  }
  const initSqlJs = require('sql.js');
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const db = new SQL.Database();
  db.exec(fs.readFileSync(path.join(root, 'demo', 'seed.sql'), 'utf8'));
  const tmp = `${target}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, db.export());
  db.close();
  fs.rmSync(`${target}-journal`, { force: true });
  fs.renameSync(tmp, target);
  return target;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = await seedDemo({ fresh: process.argv.includes('--fresh') });
  console.log(`Demo database ready: ${path.relative(process.cwd(), file)}`);
}
