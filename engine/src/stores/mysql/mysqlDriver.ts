import { isIP } from 'node:net';
import { createConnection, type Connection, type ResultSetHeader, type RowDataPacket, type SslOptions } from 'mysql2/promise';
import { type ConnectAttempt, connectWithTls, type DatabaseTls, type TlsMode } from '../sql/databaseTls';
import { cancellableStatement } from '../sql/cancellableStatement';
import { connectionHint } from '../sql/connectionHint';
import { hostPort } from '../hostPort';
import { CONNECT_TIMEOUT_MS, connectTimeoutCause } from '../sql/connectTimeout';
import { LOCK_WAIT_MS } from '../sql/lockWait';
import { DEFAULT_REPLY_TIMEOUT_MS, replyWithin } from '../sql/replyTimeout';
import type { SqlDriver, SqlParam, SqlRow } from '../sql/sqlDriver';
import { READ_ONLY_SERVER, type WriteRefusal } from '../sql/writeRefusal';
import type { ServerDatabase } from '../storeDescriptor';
import { StoreError } from '../storeError';
import { mysqlEndpoint, mysqlUser } from './mysqlDefaults';
import { readMysqlOptionFiles } from './mysqlOptionFile';

/** The password libmariadb would send: settings' PASSWORD (its value, or the variable standing for it), else the option file's, else MYSQL_PWD. */
function mysqlPassword(target: ServerDatabase, env: NodeJS.ProcessEnv): string {
  if (target.password !== undefined) {
    return target.password;
  }
  if (target.passwordRef) {
    return env[target.passwordRef] ?? '';
  }
  const filed = target.optionSource ? readMysqlOptionFiles(target.optionSource, env).password : undefined;
  return filed ?? env.MYSQL_PWD ?? '';
}

/** mysql2's `ssl` option for one attempt. */
function mysqlSsl(attempt: ConnectAttempt): SslOptions | undefined {
  if (!attempt.tls) {
    return undefined;
  }
  const { ca, cert, key } = attempt;
  return {
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    rejectUnauthorized: attempt.verify !== 'none',
    verifyIdentity: attempt.verify === 'identity',
  };
}

/**
 * The db engine's SQL on MySQL or MariaDB through `mysql2`, one connection per store. Dates
 * stay text (`dateStrings`), because Django stores naive `datetime(6)` values and any driver
 * time zone conversion would shift them.
 */
/** The errors MySQL and MariaDB give a user without the privilege a statement needs. */
const MYSQL_DENIALS = new Set(['ER_TABLEACCESS_DENIED_ERROR', 'ER_COLUMNACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_SPECIFIC_ACCESS_DENIED_ERROR']);

/** Error numbers of the writes a server refuses for no fault of the statement or the user. */
const ER_RECORD_FILE_FULL = 1114;
const ER_DISK_FULL = 1021;
const ER_LOCK_WAIT_TIMEOUT = 1205;
const ER_LOCK_DEADLOCK = 1213;
/** The server runs with --read-only (or super_read_only). */
const ER_OPTION_PREVENTS_STATEMENT = 1290;
const ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION = 1792;
/** KILL QUERY stopped the statement. */
const ER_QUERY_INTERRUPTED = 1317;

/**
 * Bounds how long our statements wait for a row another transaction holds (50 s by default),
 * keeping a shorter bound the server sets; see LOCK_WAIT_MS.
 */
const BOUND_LOCK_WAIT = `SET SESSION innodb_lock_wait_timeout = LEAST(@@SESSION.innodb_lock_wait_timeout, ${LOCK_WAIT_MS / 1000})`;

export class MysqlDriver implements SqlDriver {
  readonly vendor = 'mysql';
  readonly deleteBatch = 10_000;

  /** Set when the connection failed (the server restarted, the laptop slept): the next statement connects again first. */
  private lost = false;
  /** How long a statement waits for another transaction's row lock; unknown on a server without InnoDB's setting. */
  private lockWait = 'the lock wait timeout';

  private constructor(
    private conn: Connection,
    private readonly reconnect: () => Promise<Connection>,
    /** The server as messages name it: `MySQL at host:port/db`. */
    private readonly server: string,
    private readonly replyTimeoutMs: number,
  ) {
    this.watch(conn);
  }

  /** Sets the bound on lock waits on the connection now in use (see BOUND_LOCK_WAIT). */
  private async boundLockWait(): Promise<void> {
    try {
      await this.answered(this.conn.query(BOUND_LOCK_WAIT));
      const [rows] = await this.answered(this.conn.query<RowDataPacket[]>('SELECT @@SESSION.innodb_lock_wait_timeout AS t'));
      this.lockWait = `${String(rows[0]!.t)} s`;
    } catch {
      // A MySQL-compatible server without the setting: its statements wait as it decides.
    }
  }

  /** Connects as libmariadb would for Django: with the password mysqlPassword finds, and over TCP, TLS `prefer` where the target names none, as MySQL's own client does. */
  static async open(target: ServerDatabase, env: NodeJS.ProcessEnv = process.env): Promise<MysqlDriver> {
    const user = mysqlUser(target.user);
    const endpoint = mysqlEndpoint(target, env);
    const where = 'socket' in endpoint ? `through the socket ${endpoint.socket}, database ${target.name},` : `at ${hostPort(endpoint.host, endpoint.port)}/${target.name}`;
    // Over a Unix socket the connection never leaves this machine, so no TLS is negotiated.
    const tls: DatabaseTls & { mode: TlsMode } = 'socket' in endpoint ? { mode: 'disable' } : { ...target.tls, mode: target.tls?.mode ?? 'prefer' };
    // mysql2 names no server to TLS for an IP address, so its check of the certificate's names happens only
    // after logging in, when the password has gone to whoever answered: verify-full needs a host name.
    if (tls.mode === 'verify-full' && 'host' in endpoint && isIP(endpoint.host)) {
      throw new StoreError(
        'connection',
        `sslmode=verify-full cannot check a MySQL server's certificate against the address ${endpoint.host} before logging in; connect by the host name the certificate names, or use verify-ca.`,
      );
    }
    const open = async (): Promise<Connection> => {
      try {
        return await connectWithTls(tls, async (attempt) => {
          const ssl = mysqlSsl(attempt);
          try {
            return await createConnection({
              ...('socket' in endpoint ? { socketPath: endpoint.socket } : endpoint),
              user,
              database: target.name,
              password: mysqlPassword(target, env),
              dateStrings: true,
              supportBigNumbers: true,
              bigNumberStrings: true,
              connectTimeout: CONNECT_TIMEOUT_MS,
              ...(ssl ? { ssl } : {}),
            });
          } catch (err) {
            throw 'socket' in endpoint ? err : await connectTimeoutCause(err, endpoint.host, endpoint.port, 'MySQL');
          }
        });
      } catch (err) {
        throw err instanceof StoreError
          ? err
          : new StoreError(
              'connection',
              `Cannot connect to MySQL ${where} as ${user}: ${(err as Error).message}. ${connectionHint((err as Error).message, target, 'MYSQL_PWD')}`,
            );
      }
    };
    const driver = new MysqlDriver(await open(), open, `MySQL ${where.replace(/,$/, '')}`, target.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS);
    await driver.boundLockWait();
    return driver;
  }

  async all(sql: string, params: readonly SqlParam[]): Promise<SqlRow[]> {
    const [rows] = await this.query<RowDataPacket[]>(sql, params);
    return rows as SqlRow[];
  }

  async run(sql: string, params: readonly SqlParam[], signal?: AbortSignal): Promise<number> {
    return cancellableStatement(
      async () => (await this.query<ResultSetHeader>(sql, params))[0].affectedRows,
      signal,
      () => this.cancelRunning(),
      (err) => (err as { errno?: number }).errno === ER_QUERY_INTERRUPTED,
    );
  }

  /**
   * Stops the statement this connection is running with KILL QUERY from a connection of its
   * own: the server reads nothing more from this one until the statement ends.
   */
  private async cancelRunning(): Promise<void> {
    const threadId = this.conn.threadId;
    try {
      const other = await this.reconnect();
      try {
        await other.query(`KILL QUERY ${Number(threadId)}`);
      } finally {
        other.destroy();
      }
    } catch {
      // Not cancelled: the statement ends within the lock bound anyway.
    }
  }

  /** A failed connection is replaced on the next statement, instead of failing every one after it. */
  private watch(conn: Connection): void {
    conn.on('error', () => {
      if (conn === this.conn) {
        this.lost = true;
      }
    });
  }

  /** The reply of a statement on the connection now in use, which is ended when none comes in time. */
  private answered<T>(reply: Promise<T>): Promise<T> {
    const conn = this.conn;
    return replyWithin(reply, this.replyTimeoutMs, this.server, () => {
      if (conn === this.conn) {
        this.lost = true;
      }
      conn.destroy();
    });
  }

  private async query<T extends RowDataPacket[] | ResultSetHeader>(sql: string, params: readonly SqlParam[]): Promise<[T, unknown]> {
    if (this.lost) {
      const replaced = this.conn;
      this.conn = await this.reconnect();
      this.watch(this.conn);
      this.lost = false;
      replaced.destroy();
      await this.boundLockWait();
    }
    try {
      return await this.answered(this.conn.query<T>(sql, params as SqlParam[]));
    } catch (err) {
      const e = err as { fatal?: boolean; message: string };
      if (e.fatal) {
        // The connection itself failed: what the statement did is unknown.
        this.lost = true;
        throw new StoreError('connection', `The connection to MySQL was lost (${e.message}); the next action connects again. Refresh to see what the store holds now.`);
      }
      throw err;
    }
  }

  isUniqueViolation(err: unknown): boolean {
    return (err as { code?: string }).code === 'ER_DUP_ENTRY';
  }

  isPermissionDenied(err: unknown): boolean {
    return MYSQL_DENIALS.has((err as { code?: string }).code ?? '');
  }

  writeRefusal(err: unknown): WriteRefusal | undefined {
    switch ((err as { errno?: number }).errno) {
      case ER_LOCK_WAIT_TIMEOUT:
        return { kind: 'lock-timeout', waited: this.lockWait };
      case ER_LOCK_DEADLOCK:
        return { kind: 'deadlock' };
      case ER_OPTION_PREVENTS_STATEMENT:
      case ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION:
        return { kind: 'read-only', ...READ_ONLY_SERVER };
      case ER_RECORD_FILE_FULL:
      case ER_DISK_FULL:
        return { kind: 'disk-full' };
      default:
        return undefined;
    }
  }

  /** SQLSTATE 23000 (NULL, foreign key, CHECK), or a strict-mode column with no default. */
  isConstraintViolation(err: unknown): boolean {
    const e = err as { code?: string; sqlState?: string };
    return (e.sqlState?.startsWith('23') === true && e.code !== 'ER_DUP_ENTRY') || e.code === 'ER_NO_DEFAULT_FOR_FIELD';
  }

  async hasTable(table: string): Promise<boolean> {
    return (await this.all('SELECT 1 AS x FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?', [table])).length > 0;
  }

  async close(): Promise<void> {
    await this.conn.end();
  }
}
