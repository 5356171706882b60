import type { DecodeOptions, PyDict } from '../../codec';
import { microsOf } from '../../codec/dateMicros';
import { maskSessionKey } from '../../keyMask';
import { generateSessionKey } from '../../sessionKeys';
import { refuseClearWithAssumedTime, refuseExpiryWriteWithAssumedTime } from '../assumedTimeRefusals';
import { BaseSessionStore, type EncodedSession } from '../baseSessionStore';
import { decodeOptionsOf, decodeWith } from '../decodeRecord';
import { formatDjangoDatetime, formatNaiveDatetime, parseNaiveDatetime, storedDatetimeContext, type DatetimeContext } from '../djangoDatetime';
import { decodeCursor, encodeCursor, type PageBounds } from '../pageCursor';
import { expiryDateOf } from '../sessionExpiry';
import type { ScanOptions } from '../scanOptions';
import { matchesDecoded, needsDecoding } from '../sessionFilter';
import { encodeSignedSession } from '../signedSessionEncoding';
import type { ClearExpiredOptions, EditOptions, ListOptions, CountOptions, SessionFilter, SessionPage, SessionRecord } from '../sessionStore';
import type { StoreDescriptor } from '../storeDescriptor';
import { MAX_STORED_DATA_BYTES, oversizedData } from '../storedDataLimit';
import { StoreError } from '../storeError';
import { causeOf, interruptedCycle } from '../interruptedCycle';
import { clearExpiredByRowidRanges } from '../sqlite/rowidRangeClear';
import { constraintStoreError } from './constraintError';
import { nextEventLoopTurn } from './eventLoopTurn';
import { quoteIdentifier } from './quoteIdentifier';
import { deleteExpiredInBatches } from './expiredBatches';
import type { SqlDriver, SqlParam, SqlRow } from './sqlDriver';
import { writeRefusalError } from './writeRefusal';

const DEFAULT_MAX_SCAN = 10_000;
const SCAN_PAGE = 1000;
/**
 * A user's sessions deleted by one statement: two parameters each (under SQLite's old limit of
 * 999) and one OR term each (under SQLite's expression depth of 1,000). With sql.js every write
 * replaces the whole file, so one statement per session took minutes.
 */
const DELETE_TOGETHER = 400;
const UTC = { useTz: true, timeZone: 'UTC' };

/**
 * The db engine (`django_session` or a custom model's table) on any SQL database. Every
 * statement is parameterized; each write is one short statement or transaction, and updates
 * are compare-and-swap on the stored text, so a concurrent Django write is never overwritten.
 */
export class SqlSessionStore extends BaseSessionStore {
  private readonly table: string;
  private readonly expireSelect: string;
  /** The data as `d` and its length in bytes as `n`, the data left out (NULL) above MAX_STORED_DATA_BYTES. */
  private readonly dataSelect: string;
  private readonly pageSql = new Map<string, string>();
  private readonly countAllSql: string;
  private readonly decodeOptions: DecodeOptions;
  /** The zone of the naive `expire_date` text Django writes in SQLite and MySQL (spec §3.1). */
  private readonly naiveContext: DatetimeContext;
  /** How `expire_date` text reads back: PostgreSQL's is formatted in UTC above, the others are Django's naive text. */
  private readonly expireContext: DatetimeContext;

  private constructor(
    descriptor: StoreDescriptor,
    private readonly driver: SqlDriver,
  ) {
    super(descriptor);
    this.table = quoteIdentifier(descriptor.table, driver.vendor);
    this.expireSelect = driver.vendor === 'postgresql' ? `to_char(expire_date AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')` : 'expire_date';
    const bytes = driver.vendor === 'mysql' ? 'LENGTH(session_data)' : 'octet_length(session_data)';
    this.dataSelect = `CASE WHEN ${bytes} > ${MAX_STORED_DATA_BYTES} THEN NULL ELSE session_data END AS d, ${bytes} AS n`;
    this.naiveContext = storedDatetimeContext(descriptor, descriptor.database?.timeZone);
    this.expireContext = driver.vendor === 'postgresql' ? UTC : this.naiveContext;
    this.decodeOptions = decodeOptionsOf(descriptor);
    this.countAllSql = `SELECT COUNT(*) AS n FROM ${this.table}`;
  }

  /** Wraps an open driver; closes it and explains when the session table is missing. */
  static async open(descriptor: StoreDescriptor, driver: SqlDriver, where: string): Promise<SqlSessionStore> {
    let exists: boolean;
    try {
      exists = await driver.hasTable(descriptor.table);
    } catch (err) {
      // A name the server cannot resolve (`table=a.b.c` on PostgreSQL): a one-line error, and no connection left open.
      await driver.close().catch(() => undefined);
      throw err instanceof StoreError ? err : new StoreError('bad-url', `${where} cannot look up the table ${descriptor.table}: ${(err as Error).message}. Give the table as name or schema.name (table=).`);
    }
    if (!exists) {
      await driver.close();
      const fix = descriptor.sessionsAppMissing
        ? 'django.contrib.sessions is not in INSTALLED_APPS, so no migration creates it: add the app and run "python manage.py migrate"'
        : 'Run "python manage.py migrate" to create it';
      // libpq's options may set the search_path the unqualified table is looked up in (a schema per tenant).
      const options = descriptor.database?.vendor === 'postgresql' ? descriptor.database.options : undefined;
      const searched = options !== undefined && /search_path/.test(options) && !descriptor.table.includes('.') ? ` in the search_path its options set (${options})` : '';
      throw new StoreError('missing-table', `${where} has no ${descriptor.table} table${searched}. ${fix}, or pass table= for a custom session model.`);
    }
    await probeSessionColumns(descriptor, driver, where);
    return new SqlSessionStore(descriptor, driver);
  }

  async list(options: ListOptions): Promise<SessionPage> {
    const filter = options.filter;
    const decoding = needsDecoding(filter);
    const maxScan = Math.max(1, options.maxScan ?? DEFAULT_MAX_SCAN);
    const order = options.order ?? 'desc';
    let bounds: PageBounds | undefined = options.cursor ? decodeCursor(options.cursor, order) : undefined;
    const sessions: SessionRecord[] = [];
    let scanned = 0;
    const now = new Date();
    for (;;) {
      const want = decoding ? Math.min(SCAN_PAGE, maxScan - scanned) : options.limit - sessions.length;
      const rows = await this.page(order, bounds, filter?.state, now, want + 1);
      const available = Math.min(rows.length, want);
      let consumed = 0;
      while (consumed < available && sessions.length < options.limit) {
        const record = this.toRecord(rows[consumed++]!);
        if (!decoding || matchesDecoded(record, filter!)) {
          sessions.push(record);
        }
      }
      scanned += consumed;
      if (rows.length === consumed) {
        return { sessions, scanned };
      }
      if (consumed === 0) {
        return { sessions, scanned, nextCursor: options.cursor };
      }
      const last = rows[consumed - 1]!;
      const position = { sortValue: String(last.e), sessionKey: String(last.k) };
      if (sessions.length === options.limit || scanned >= maxScan) {
        return { sessions, scanned, nextCursor: encodeCursor(position) };
      }
      bounds = { sortValue: position.sortValue, keyBound: position.sessionKey };
    }
  }

  async count(filter?: SessionFilter, options?: CountOptions): Promise<number> {
    if (needsDecoding(filter)) {
      return this.countScanned((record, now) => inState(record, filter!.state, now) && matchesDecoded(record, filter!), filter!, options);
    }
    const params: SqlParam[] = [];
    const where = this.stateCondition(filter?.state, new Date(), params);
    if (!where && this.driver.exactCount) {
      return this.driver.exactCount(this.countAllSql);
    }
    const rows = await this.driver.all(`SELECT COUNT(*) AS n FROM ${this.table}${where ? ` WHERE ${where}` : ''}`, params);
    return Number(rows[0]?.n ?? 0);
  }

  async get(sessionKey: string): Promise<SessionRecord | undefined> {
    const rows = await this.driver.all(`SELECT session_key AS k, ${this.dataSelect}, ${this.expireSelect} AS e FROM ${this.table} WHERE session_key = ?`, [sessionKey]);
    return rows[0] ? this.toRecord(rows[0]) : undefined;
  }

  async clearExpired(options: ClearExpiredOptions = {}): Promise<number> {
    refuseClearWithAssumedTime(this.descriptor);
    const now = this.compareParam(new Date());
    const driver = this.driver;
    const budget = driver.deleteBatchMs;
    const clear = () =>
      driver.vendor === 'sqlite' && budget !== undefined
        ? clearExpiredByRowidRanges(driver, budget, this.table, now, options)
        : deleteExpiredInBatches(driver, this.table, now, options);
    try {
      return await (driver.bulkWrites ? driver.bulkWrites(clear) : clear());
    } catch (err) {
      throw this.writeError(err, false);
    }
  }

  /**
   * Refuses a change before reading for it where the row's date would be written under assumed
   * time settings: read under them too, an active session may look expired, and the refusal
   * would name the wrong cause.
   */
  protected override async editBase(sessionKey: string, options: EditOptions): Promise<SessionRecord> {
    refuseExpiryWriteWithAssumedTime(this.descriptor);
    return super.editBase(sessionKey, options);
  }

  /**
   * Moves the row to a new key in one compare-and-swap UPDATE, so every other column of a custom
   * session model (`table=`) stays as it was, and the old key is gone in the same statement.
   */
  override async cycleKey(sessionKey: string, options: EditOptions = {}): Promise<SessionRecord> {
    const record = await this.editBase(sessionKey, options);
    const now = new Date();
    this.refuseExpired(record, now);
    const data = this.editableData(record);
    const { raw, decoded } = this.encode(data, now);
    const expireDate = expiryDateOf(data, this.descriptor, now);
    for (let attempt = 0; attempt < 10; attempt++) {
      const newKey = generateSessionKey();
      let moved: number;
      try {
        moved = await this.runWrite(
          `UPDATE ${this.table} SET session_key = ?, session_data = ?, expire_date = ? WHERE session_key = ? AND ${this.sameData()}`,
          [newKey, raw, this.writeParam(expireDate), sessionKey, record.raw],
        );
      } catch (err) {
        if (this.driver.isUniqueViolation(err)) {
          continue;
        }
        if (err instanceof StoreError && err.code === 'connection') {
          return this.cycledDespite(err, record, { key: newKey, expireDate, raw, decoded });
        }
        throw err;
      }
      if (moved === 0) {
        throw (await this.get(sessionKey)) ? this.conflict(sessionKey) : this.missing(sessionKey, 'write');
      }
      return { key: newKey, expireDate, raw, decoded };
    }
    throw new StoreError('exists', 'Could not find a free session key in 10 tries; the store may be refusing writes.');
  }

  /**
   * Finds out, on the connection the driver opens again, whether the move whose connection was lost was applied:
   * the server may have committed it before its reply was lost. Returns the session under its new
   * key when it was, and otherwise says which key holds it, or that neither could be read.
   */
  private async cycledDespite(lost: StoreError, record: SessionRecord, cycled: SessionRecord): Promise<SessionRecord> {
    const during = interruptedCycle(lost, record.key);
    let atOld: SessionRecord | undefined;
    try {
      // The new key holding what the move wrote settles it, whatever the old key's read would do.
      if ((await this.get(cycled.key))?.raw === cycled.raw) {
        return cycled;
      }
      atOld = await this.get(record.key);
    } catch (again) {
      throw new StoreError('connection', `${during}, and reading it again failed (${causeOf(again)}): the session is under its old key or under ${maskSessionKey(cycled.key)}, never both. Refresh once the database answers to see which.`);
    }
    if (atOld !== undefined) {
      throw new StoreError('connection', `${during}, before the database applied it: the session is still under its key, and nothing was written. Cycle its key again.`);
    }
    throw new StoreError('not-found', `${during}, and the session is now under neither key (Django deleted it meanwhile); nothing was written.`);
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  protected encode(data: PyDict, now: Date): EncodedSession<string> {
    return encodeSignedSession(data, this.descriptor, now);
  }

  protected async insertRaw(sessionKey: string, raw: string, expireDate: Date): Promise<void> {
    try {
      await this.runWrite(`INSERT INTO ${this.table} (session_key, session_data, expire_date) VALUES (?, ?, ?)`, [sessionKey, raw, this.writeParam(expireDate)]);
    } catch (err) {
      if (this.driver.isUniqueViolation(err)) {
        throw new StoreError('exists', `Session ${maskSessionKey(sessionKey)} already exists; nothing was overwritten.`);
      }
      throw err;
    }
  }

  protected async replaceRaw(sessionKey: string, expectedRaw: string, raw: string, expireDate: Date): Promise<boolean> {
    const n = await this.runWrite(`UPDATE ${this.table} SET session_data = ?, expire_date = ? WHERE session_key = ? AND ${this.sameData()}`, [
      raw,
      this.writeParam(expireDate),
      sessionKey,
      expectedRaw,
    ]);
    return n > 0;
  }

  protected async deleteRaw(sessionKey: string, expectedRaw?: string): Promise<boolean> {
    if (expectedRaw === undefined) {
      return (await this.runWrite(`DELETE FROM ${this.table} WHERE session_key = ?`, [sessionKey])) > 0;
    }
    return (await this.runWrite(`DELETE FROM ${this.table} WHERE session_key = ? AND ${this.sameData()}`, [sessionKey, expectedRaw])) > 0;
  }

  protected override readonly deletionsGathered = DELETE_TOGETHER;

  /**
   * One compare-and-delete statement per DELETE_TOGETHER of them. The rows left after it are the
   * ones that changed; a row gone that it did not delete, Django deleted (counted by the statement).
   */
  protected override async deleteUnchanged(records: readonly SessionRecord[]): Promise<{ deleted: number; gone: Set<string> }> {
    let deleted = 0;
    const gone = new Set<string>();
    for (let at = 0; at < records.length; at += DELETE_TOGETHER) {
      const batch = records.slice(at, at + DELETE_TOGETHER);
      const n = await this.runWrite(
        `DELETE FROM ${this.table} WHERE ${batch.map(() => `(session_key = ? AND ${this.sameData()})`).join(' OR ')}`,
        batch.flatMap((r) => [r.key, r.raw]),
        false,
      );
      deleted += n;
      const left = n === batch.length ? [] : await this.driver.all(`SELECT session_key AS k FROM ${this.table} WHERE session_key IN (${batch.map(() => '?').join(', ')})`, batch.map((r) => r.key));
      const changed = new Set(left.map((row) => String(row.k)));
      batch.filter((r) => !changed.has(r.key)).forEach((r) => gone.add(r.key));
    }
    return { deleted, gone };
  }

  protected async *scanPages({ signal, onEnd }: ScanOptions = {}): AsyncIterable<SessionRecord[]> {
    let after = '';
    for (;;) {
      // SQLite runs each page synchronously: this turn is where Ctrl-C's handler gets to abort.
      await nextEventLoopTurn();
      const rows = await this.driver.all(
        `SELECT session_key AS k, ${this.dataSelect}, ${this.expireSelect} AS e FROM ${this.table} WHERE session_key > ? ORDER BY session_key LIMIT ?`,
        [after, SCAN_PAGE],
      );
      if (rows.length === 0) {
        break;
      }
      // Checked once rows are known to be left, so a cancellation after a last full page still ends the scan.
      if (signal?.aborted) {
        return;
      }
      after = String(rows[rows.length - 1]!.k);
      yield rows.map((r) => this.toRecord(r));
      if (rows.length < SCAN_PAGE) {
        break;
      }
    }
    onEnd?.();
  }

  /**
   * One write statement; a refusal becomes a one-line StoreError instead of a driver error.
   * `single` false for a statement of a bulk deletion (see writeRefusalError).
   */
  private async runWrite(sql: string, params: readonly SqlParam[], single = true): Promise<number> {
    try {
      return await this.driver.run(sql, params);
    } catch (err) {
      throw this.writeError(err, single);
    }
  }

  /** A refused write as a one-line StoreError that says what to change; anything else as it is. */
  private writeError(err: unknown, single = true): unknown {
    if (this.driver.isConstraintViolation(err)) {
      return constraintStoreError(this.descriptor.table, err);
    }
    if (this.driver.isPermissionDenied(err)) {
      return permissionError(this.descriptor.table, 'change', err);
    }
    const refusal = this.driver.writeRefusal(err);
    return refusal ? writeRefusalError(refusal, err, single) : err;
  }

  private page(order: 'asc' | 'desc', position: PageBounds | undefined, state: SessionFilter['state'], now: Date, limit: number): Promise<SqlRow[]> {
    const params: SqlParam[] = [];
    this.stateCondition(state, now, params);
    if (position) {
      const sort = this.cursorParam(position.sortValue);
      params.push(sort, sort, position.keyBound);
    }
    params.push(limit);
    const shape = `${order}:${state ?? ''}:${position ? 'after' : 'first'}`;
    let sql = this.pageSql.get(shape);
    if (!sql) {
      sql = this.pageStatement(order, state, position !== undefined);
      this.pageSql.set(shape, sql);
    }
    return this.driver.all(sql, params);
  }

  /** The page query for one shape; built once, so drivers can reuse their prepared statement. */
  private pageStatement(order: 'asc' | 'desc', state: SessionFilter['state'], after: boolean): string {
    const cmp = order === 'desc' ? '<' : '>';
    const dir = order === 'desc' ? 'DESC' : 'ASC';
    const conditions: string[] = state ? [stateSql(state)] : [];
    if (after) {
      conditions.push(`(expire_date ${cmp} ? OR (expire_date = ? AND session_key ${cmp} ?))`);
    }
    return `SELECT session_key AS k, ${this.dataSelect}, ${this.expireSelect} AS e FROM ${this.table}${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''} ORDER BY expire_date ${dir}, session_key ${dir} LIMIT ?`;
  }

  /** Django's own tests: `load` wants `expire_date > now`, `clearsessions` deletes `expire_date < now`. Binds `now` when there is a state. */
  private stateCondition(state: SessionFilter['state'], now: Date, params: SqlParam[]): string | undefined {
    if (!state) {
      return undefined;
    }
    params.push(this.compareParam(now));
    return stateSql(state);
  }

  /** MySQL compares text case-insensitively under the usual collations; the stored text must match exactly. */
  private sameData(): string {
    return this.driver.vendor === 'mysql' ? 'BINARY session_data = BINARY ?' : 'session_data = ?';
  }

  /** `expire_date` as Django writes it for this vendor (spec §3.1); every write of a row passes here. */
  private writeParam(date: Date): string {
    refuseExpiryWriteWithAssumedTime(this.descriptor);
    return this.driver.vendor === 'postgresql' ? isoUtc(date) : formatDjangoDatetime(date, this.naiveContext);
  }

  /** `now` as Django binds it in comparisons: microsecond text in the stored zone. */
  private compareParam(date: Date): string {
    return this.driver.vendor === 'postgresql' ? isoUtc(date) : formatNaiveDatetime(date, this.naiveContext);
  }

  private cursorParam(sortValue: string): string {
    return this.driver.vendor === 'postgresql' ? `${sortValue.replace(' ', 'T')}+00:00` : sortValue;
  }

  private toRecord(row: SqlRow): SessionRecord {
    const key = String(row.k);
    const expireDate = parseNaiveDatetime(String(row.e), this.expireContext);
    const bytes = Number(row.n);
    if (bytes > MAX_STORED_DATA_BYTES) {
      // No stored text is '', so a compare-and-swap write on this record never matches; delete needs none.
      return { key, expireDate, raw: '', decoded: oversizedData(bytes) };
    }
    const raw = row.d === null || row.d === undefined ? '' : String(row.d);
    return { key, expireDate, raw, decoded: decodeWith(raw, this.decodeOptions) };
  }
}

function stateSql(state: 'active' | 'expired'): string {
  return state === 'active' ? 'expire_date > ?' : 'expire_date <= ?';
}

/** `stateSql` for a record already read: the same comparisons, on its parsed expiry. */
function inState(record: SessionRecord, state: SessionFilter['state'], now: Date): boolean {
  if (!state) {
    return true;
  }
  if (!record.expireDate) {
    return false;
  }
  return state === 'active' ? record.expireDate > now : record.expireDate <= now;
}

function isoUtc(date: Date): string {
  return `${date.toISOString().slice(0, 23)}${String(microsOf(date)).padStart(3, '0')}+00:00`;
}

/**
 * Reads no row, to tell at open what would otherwise fail at the first statement with a bare
 * driver error: a user who may not read the table, or `table=` naming a table that is no
 * session model's (a count would count its rows).
 */
async function probeSessionColumns(descriptor: StoreDescriptor, driver: SqlDriver, where: string): Promise<void> {
  try {
    await driver.all(`SELECT session_key, session_data, expire_date FROM ${quoteIdentifier(descriptor.table, driver.vendor)} WHERE 1 = 0`, []);
  } catch (err) {
    await driver.close().catch(() => undefined);
    if (driver.isPermissionDenied(err)) {
      throw permissionError(descriptor.table, 'read', err);
    }
    throw new StoreError('missing-table', `${where}: ${descriptor.table} is not a session table: it needs the columns session_key, session_data and expire_date (${(err as Error).message}). Pass table= naming your session model's table.`);
  }
}

/** A statement the database user has no privilege for, with the grant that fixes it. */
function permissionError(table: string, action: 'read' | 'change', err: unknown): StoreError {
  return new StoreError(
    'permission-denied',
    `The database user may not ${action} ${table} (${(err as Error).message}). Grant it SELECT${action === 'change' ? ', INSERT, UPDATE and DELETE' : ''} on the table, as Django's own database user has, or connect as that user.`,
  );
}
