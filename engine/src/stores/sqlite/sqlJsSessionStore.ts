import * as fs from 'node:fs/promises';
import type { Database, SqlValue } from 'sql.js';
import { decodeRecord } from '../decodeRecord';
import { parseNaiveDatetime } from '../djangoDatetime';
import { decodeCursor, encodeCursor } from '../pageCursor';
import type { ListOptions, SessionPage, SessionRecord, SessionStore } from '../sessionStore';
import type { StoreDescriptor } from '../storeDescriptor';
import { StoreError } from '../storeError';
import { loadSqlJs } from './sqlJsRuntime';

/**
 * The db engine on a SQLite file, read through sql.js. sql.js works on an in-memory copy,
 * so this store reads a snapshot taken when it is opened and never writes the file back.
 */
export class SqlJsSessionStore implements SessionStore {
  private constructor(
    readonly descriptor: StoreDescriptor,
    private readonly db: Database,
    private readonly table: string,
  ) {}

  /** Opens a snapshot of the file named by the descriptor. */
  static async open(descriptor: StoreDescriptor): Promise<SqlJsSessionStore> {
    const target = descriptor.database;
    if (target?.vendor !== 'sqlite') {
      throw new StoreError('unsupported', 'SqlJsSessionStore opens SQLite databases only.');
    }
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(target.path);
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(err as Error).message})`;
      throw new StoreError('not-found', `The SQLite database ${target.path} ${reason}. Run "python manage.py migrate" or set djangoSessions.store.url.`);
    }
    const SQL = await loadSqlJs();
    let db: Database;
    try {
      db = new SQL.Database(bytes);
      db.exec('SELECT 1 FROM sqlite_master LIMIT 1');
    } catch (err) {
      throw new StoreError('connection', `${target.path} is not a readable SQLite database: ${(err as Error).message}.`);
    }
    const table = quoteIdentifier(descriptor.table);
    const exists = db.exec('SELECT 1 FROM sqlite_master WHERE type = \'table\' AND name = ?', [descriptor.table]);
    if (exists.length === 0) {
      db.close();
      throw new StoreError('missing-table', `${target.path} has no ${descriptor.table} table. Run "python manage.py migrate" to create it.`);
    }
    return new SqlJsSessionStore(descriptor, db, table);
  }

  async list(options: ListOptions): Promise<SessionPage> {
    const order = options.order ?? 'desc';
    const cmp = order === 'desc' ? '<' : '>';
    const dir = order === 'desc' ? 'DESC' : 'ASC';
    const params: SqlValue[] = [];
    let where = '';
    if (options.cursor) {
      const after = decodeCursor(options.cursor, order);
      where = `WHERE expire_date ${cmp} ? OR (expire_date = ? AND session_key ${cmp} ?)`;
      params.push(after.sortValue, after.sortValue, after.keyBound);
    }
    params.push(options.limit + 1);
    const rows = this.query(
      `SELECT session_key, session_data, expire_date FROM ${this.table} ${where} ORDER BY expire_date ${dir}, session_key ${dir} LIMIT ?`,
      params,
    );
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      sessions: page.map((row) => this.toRecord(row)),
      nextCursor: rows.length > options.limit && last ? encodeCursor({ sortValue: String(last[2]), sessionKey: String(last[0]) }) : undefined,
    };
  }

  async count(): Promise<number> {
    return Number(this.query(`SELECT COUNT(*) FROM ${this.table}`, [])[0]?.[0] ?? 0);
  }

  async get(sessionKey: string): Promise<SessionRecord | undefined> {
    const row = this.query(`SELECT session_key, session_data, expire_date FROM ${this.table} WHERE session_key = ?`, [sessionKey])[0];
    return row ? this.toRecord(row) : undefined;
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private query(sql: string, params: SqlValue[]): SqlValue[][] {
    const stmt = this.db.prepare(sql);
    try {
      stmt.bind(params);
      const rows: SqlValue[][] = [];
      while (stmt.step()) {
        rows.push(stmt.get());
      }
      return rows;
    } finally {
      stmt.free();
    }
  }

  private toRecord(row: SqlValue[]): SessionRecord {
    const raw = String(row[1] ?? '');
    return {
      key: String(row[0]),
      expireDate: parseNaiveDatetime(String(row[2]), this.descriptor),
      raw,
      decoded: decodeRecord(raw, this.descriptor),
    };
  }
}

/** Table names come from settings or URLs, so they are quoted rather than trusted. */
function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
