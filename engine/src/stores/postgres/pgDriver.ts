import * as path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { Client, type ClientConfig, type QueryResult } from 'pg';
import { type ConnectAttempt, connectWithTls, type DatabaseTls, isTlsMode, SYSTEM_ROOTS, type TlsMode } from '../sql/databaseTls';
import { hostPort } from '../hostPort';
import { unreachableReason } from '../unreachableServer';
import { quoteIdentifier } from '../sql/quoteIdentifier';
import { cancellableStatement } from '../sql/cancellableStatement';
import { connectionHint } from '../sql/connectionHint';
import { CONNECT_TIMEOUT_MS, connectTimeoutCause } from '../sql/connectTimeout';
import { LOCK_WAIT_MS } from '../sql/lockWait';
import type { SqlDriver, SqlParam, SqlRow } from '../sql/sqlDriver';
import { READ_ONLY_SERVER, type WriteRefusal } from '../sql/writeRefusal';
import { DEFAULT_REPLY_TIMEOUT_MS, replyWithin } from '../sql/replyTimeout';
import { tcpUnreachable } from '../sql/tcpReachable';
import type { ServerDatabase } from '../storeDescriptor';
import { StoreError } from '../storeError';
import { isSocketHost, libpqHost, libpqPort, libpqUser } from './libpqDefaults';
import { SnapshotCounts } from './snapshotCounts';

/**
 * Bounds how long our statements wait for a row another transaction holds, as SQLite's busy
 * timeout bounds the wait for its lock: PostgreSQL waits forever by default, so a change would
 * hang on a row a long transaction locked. A shorter lock_timeout the connection sets is kept.
 * Returns the bound in force, as PostgreSQL shows it ("5s").
 */
const BOUND_LOCK_WAIT = `SELECT set_config('lock_timeout', CASE WHEN current_setting('lock_timeout')::interval = '0' OR current_setting('lock_timeout')::interval > '${LOCK_WAIT_MS}ms' THEN '${LOCK_WAIT_MS}ms' ELSE current_setting('lock_timeout') END, false) AS t`;

/** SQLSTATE query_canceled: a cancel request (or statement_timeout) stopped the statement. */
const QUERY_CANCELED = '57014';

/** `?` placeholders as PostgreSQL's `$1, $2, …`; our SQL has no `?` in literals. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * The TLS libpq would use: each of `sslmode`, `sslrootcert`, `sslcert` and `sslkey` from the
 * connection settings, else from its PGSSL… variable; the mode then defaults to `prefer`, or to
 * `verify-full` with `sslrootcert=system`, which refuses anything weaker, as libpq 16 does.
 */
function resolvedTls(given: DatabaseTls | undefined, env: NodeJS.ProcessEnv): DatabaseTls & { mode: TlsMode } {
  const envMode = env.PGSSLMODE?.toLowerCase();
  if (envMode !== undefined && !isTlsMode(envMode)) {
    throw new StoreError('connection', `PGSSLMODE "${env.PGSSLMODE}" is not an sslmode; use disable, allow, prefer, require, verify-ca or verify-full.`);
  }
  const rootCert = given?.rootCert ?? env.PGSSLROOTCERT;
  const cert = given?.cert ?? env.PGSSLCERT;
  const key = given?.key ?? env.PGSSLKEY;
  const mode = given?.mode ?? envMode ?? (rootCert === SYSTEM_ROOTS ? 'verify-full' : 'prefer');
  if (rootCert === SYSTEM_ROOTS && mode !== 'verify-full') {
    throw new StoreError('connection', `sslrootcert=system needs sslmode=verify-full, as libpq 16 has it; sslmode is ${mode}.`);
  }
  return { mode, ...(rootCert ? { rootCert } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}

/**
 * node-postgres reports a connection that ended before the server answered (an unreachable
 * host, another service on the port) as an SSL failure or an unexpected end; whether the address
 * takes a connection at all tells which.
 */
async function withNetworkCause(err: unknown, host: string, port: number): Promise<unknown> {
  if (!/error establishing an SSL connection|Connection terminated unexpectedly/i.test((err as Error).message)) {
    return err;
  }
  const code = await tcpUnreachable(host, port);
  return code
    ? Object.assign(new Error(unreachableReason({ code }, { host, port }) ?? `nothing answers at ${hostPort(host, port)} (${code})`), { code })
    : new Error(`${hostPort(host, port)} took the connection but closed it without answering as PostgreSQL does (is a PostgreSQL server listening there?)`);
}

/** node-postgres's `ssl` option for one attempt. */
function pgSsl(attempt: ConnectAttempt): false | ConnectionOptions {
  if (!attempt.tls) {
    return false;
  }
  const { ca, cert, key } = attempt;
  const files = { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
  switch (attempt.verify) {
    case 'none':
      return { ...files, rejectUnauthorized: false };
    case 'chain':
      return { ...files, checkServerIdentity: () => undefined };
    case 'identity':
      return files;
  }
}

/** The db engine's SQL on PostgreSQL through `pg`, one connection per store. */
export class PgDriver implements SqlDriver {
  readonly vendor = 'postgresql';
  readonly deleteBatch = 10_000;
  private readonly counts = new SnapshotCounts();
  private readonly statements = new Map<string, { name: string; text: string }>();
  private prepared = 0;
  private prepare = true;
  /** Set when the connection failed (the server restarted, the laptop slept): the next statement connects again first. */
  private lost = false;
  /** How long a statement waits for another transaction's lock, in PostgreSQL's words; unknown on a server without lock_timeout. */
  private lockWait = 'the lock timeout';

  private constructor(
    private client: Client,
    private readonly reconnect: () => Promise<Client>,
    /** The server as messages name it: `PostgreSQL at host:port/db`. */
    private readonly server: string,
    private readonly replyTimeoutMs: number,
  ) {
    this.watch(client);
  }

  /** Sets the bound on lock waits on the connection now in use (see BOUND_LOCK_WAIT). */
  private async boundLockWait(): Promise<void> {
    try {
      const client = this.client;
      const { rows } = await replyWithin(client.query<{ t: string }>(BOUND_LOCK_WAIT), this.replyTimeoutMs, this.server, () => this.drop(client));
      this.lockWait = rows[0]!.t.replace(/^(\d+)(\D+)$/, '$1 $2');
    } catch {
      // A PostgreSQL-compatible server without lock_timeout: its statements wait as it decides.
    }
  }

  /**
   * Connects as libpq would for Django: with the target's password, else $passwordRef, else
   * PGPASSWORD; TLS the target leaves out comes from libpq's PGSSL… variables (see resolvedTls).
   */
  static async open(target: ServerDatabase, env: NodeJS.ProcessEnv = process.env): Promise<PgDriver> {
    // What settings leave empty, libpq fills in as it does for Django: PGHOST or the Unix socket, PGPORT, PGUSER or this user.
    const port = libpqPort(target.port, env);
    const host = libpqHost(target.host, port, env);
    const config: ClientConfig = {
      host,
      port,
      database: target.name,
      user: libpqUser(target.user, env),
      password: target.password ?? (target.passwordRef ? env[target.passwordRef] : env.PGPASSWORD),
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: 'django-sessions',
    };
    // A search_path set here decides which schema's session table unqualified names find, as for Django.
    const options = target.options ?? env.PGOPTIONS;
    if (options) {
      config.options = options;
    }
    const connect = async (attempt: ConnectAttempt): Promise<Client> => {
      const client = new Client({ ...config, ssl: pgSsl(attempt) });
      try {
        await client.connect();
      } catch (err) {
        await client.end().catch(() => undefined);
        throw isSocketHost(host) ? err : await connectTimeoutCause(await withNetworkCause(err, host, port), host, port, 'PostgreSQL');
      }
      return client;
    };
    const where = isSocketHost(host)
      ? `through the socket ${path.join(host, `.s.PGSQL.${port}`)}${target.host ? '' : " (no HOST is given, so libpq's default)"}, database ${config.database},`
      : `at ${hostPort(host, port)}/${config.database}`;
    const open = async (): Promise<Client> => {
      try {
        // libpq ignores sslmode over a Unix socket: the connection never leaves this machine.
        return isSocketHost(host) ? await connect({ tls: false }) : await connectWithTls(resolvedTls(target.tls, env), connect);
      } catch (err) {
        throw err instanceof StoreError
          ? err
          : new StoreError('connection', `Cannot connect to PostgreSQL ${where} as ${config.user}: ${(err as Error).message}. ${connectionHint((err as Error).message, target, 'PGPASSWORD')}`);
      }
    };
    const driver = new PgDriver(await open(), open, `PostgreSQL ${where.replace(/,$/, '')}`, target.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS);
    await driver.boundLockWait();
    return driver;
  }

  /** A failed connection is replaced on the next statement, instead of failing every one after it. */
  private watch(client: Client): void {
    client.on('error', () => {
      if (client === this.client) {
        this.lost = true;
      }
    });
  }

  /** Ends a connection that stopped answering; `end()` would wait for the reply first. */
  private drop(client: Client): void {
    if (client === this.client) {
      this.lost = true;
    }
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  }

  async all(sql: string, params: readonly SqlParam[]): Promise<SqlRow[]> {
    return (await this.query(sql, params)).rows as SqlRow[];
  }

  async run(sql: string, params: readonly SqlParam[], signal?: AbortSignal): Promise<number> {
    return cancellableStatement(
      async () => (await this.query(sql, params)).rowCount ?? 0,
      signal,
      () => this.cancelRunning(),
      (err) => (err as { code?: string }).code === QUERY_CANCELED,
    );
  }

  /**
   * Stops the statement this connection is running, from a connection of its own: the server
   * reads the next message only once the statement ends, and waits on a lock until then.
   */
  private async cancelRunning(): Promise<void> {
    const pid = (this.client as unknown as { processID?: number }).processID;
    try {
      const other = await this.reconnect();
      try {
        await other.query('SELECT pg_cancel_backend($1)', [pid]);
      } finally {
        await other.end();
      }
    } catch {
      // Not cancelled: the statement ends within the lock bound anyway.
    }
  }

  /** Every statement autocommits, so a count never sees a write of ours that could still roll back. */
  async exactCount(countSql: string): Promise<number> {
    return this.counts.count((sql, params) => this.all(sql, params), countSql);
  }

  isUniqueViolation(err: unknown): boolean {
    return (err as { code?: string }).code === '23505';
  }

  /** SQLSTATE 42501, insufficient_privilege. */
  isPermissionDenied(err: unknown): boolean {
    return (err as { code?: string }).code === '42501';
  }

  /** SQLSTATE lock_not_available, deadlock_detected, read_only_sql_transaction, disk_full. */
  writeRefusal(err: unknown): WriteRefusal | undefined {
    switch ((err as { code?: string }).code) {
      case '55P03':
        return { kind: 'lock-timeout', waited: this.lockWait };
      case '40P01':
        return { kind: 'deadlock' };
      case '25006':
        return { kind: 'read-only', ...READ_ONLY_SERVER };
      case '53100':
        return { kind: 'disk-full' };
      default:
        return undefined;
    }
  }

  /** SQLSTATE class 23, integrity constraint violation (not_null, foreign_key, check, …). */
  isConstraintViolation(err: unknown): boolean {
    const code = (err as { code?: string }).code;
    return typeof code === 'string' && code.startsWith('23') && code !== '23505';
  }

  /** Resolved as the store's statements resolve it: through the connection's search_path, or in the schema a qualified name gives. */
  async hasTable(table: string): Promise<boolean> {
    const rows = await this.all('SELECT to_regclass(?) IS NOT NULL AS x', [quoteIdentifier(table, 'postgresql')]);
    return rows[0]?.x === true;
  }

  /**
   * Ends the connection. end() waits for the server to close its side, which one that went quiet
   * while the connection was idle (a paused container) never does: past the reply bound the
   * connection is dropped instead, so a CLI still exits and the view still lets the store go.
   */
  async close(): Promise<void> {
    const client = this.client;
    await replyWithin(client.end(), this.replyTimeoutMs, this.server, () => this.drop(client)).catch((err: unknown) => {
      if (!(err instanceof StoreError)) {
        throw err;
      }
    });
  }

  /**
   * Each distinct statement (the store has a few dozen) is prepared once per connection under a
   * name, so repeated pages skip parsing and planning. The server refuses a prepared plan whose
   * result type a schema change altered: it is prepared again. A transaction-pooling proxy
   * (PgBouncer) may not keep prepared statements: they are given up. Either refusal comes before
   * the statement runs, so running it again cannot apply a write twice.
   */
  private async query(sql: string, params: readonly SqlParam[], retry = true): Promise<QueryResult> {
    if (this.lost) {
      const replaced = this.client;
      this.client = await this.reconnect();
      this.watch(this.client);
      this.lost = false;
      this.statements.clear();
      await this.boundLockWait();
      await replaced.end().catch(() => undefined);
    }
    const values = params as SqlParam[];
    const statement = this.statement(sql);
    try {
      const client = this.client;
      const reply = this.prepare ? client.query({ name: statement.name, text: statement.text, values }) : client.query(statement.text, values);
      return await replyWithin(reply, this.replyTimeoutMs, this.server, () => this.drop(client));
    } catch (err) {
      const code = (err as { code?: string }).code;
      // A reset or broken socket comes as Node's system error (code ECONNRESET, syscall read), not as a SQLSTATE.
      const socketFailed = typeof (err as NodeJS.ErrnoException).syscall === 'string';
      if (socketFailed || (code === undefined && /terminated|not queryable|ECONNRESET|EPIPE|ETIMEDOUT|socket/i.test((err as Error).message)) || code === '57P01' || code === '57P02' || code === '57P03') {
        // The connection itself failed (the socket, or the server shutting down): what the statement did is unknown.
        this.lost = true;
        throw new StoreError('connection', `The connection to PostgreSQL was lost (${(err as Error).message}); the next action connects again. Refresh to see what the store holds now.`);
      }
      if (!this.prepare) {
        throw err;
      }
      if (code === '0A000') {
        this.statements.delete(sql);
      } else if (code === '26000' || code === '42P05') {
        this.prepare = false;
      } else {
        throw err;
      }
      if (!retry) {
        throw err;
      }
      return this.query(sql, params, false);
    }
  }

  private statement(sql: string): { name: string; text: string } {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = { name: `djs_${++this.prepared}`, text: numbered(sql) };
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
