import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { assetPath } from '../../assets';

let runtime: Promise<SqlJsStatic> | undefined;

/** Loads the sql.js wasm once per process. */
export function loadSqlJs(): Promise<SqlJsStatic> {
  runtime ??= initSqlJs({ locateFile: () => assetPath('sql-wasm.wasm', 'sql.js/dist/sql-wasm.wasm') });
  return runtime;
}
