import { isIP } from 'node:net';
import { createConnection, type Connection, type ResultSetHeader, type RowDataPacket, type SslOptions } from 'mysql2/promise';
import { type ConnectAttempt, connectWithTls, type DatabaseTls, type TlsMode } from '../sql/databaseTls';
import type { SqlDriver, SqlParam, SqlRow } from '../sql/sqlDriver';
import { StoreError } from '../storeError';
import { mysqlEndpoint, mysqlUser } from './mysqlDefaults';
import { type MysqlOptionSource, readMysqlOptionFiles } from './mysqlOptionFile';

/**
 * Where to connect; the password comes from the environment or the client's own option file,
 * never from a URL or settings.
 */
export interface MysqlTarget {
  /** '' when none is given: then, as with `localhost`, the Unix socket. */
  host: string;
  port?: number;
  /** The socket for a host of '' or `localhost`; libmariadb's default otherwise. */
  socket?: string;
  /** TCP even to `localhost`. */
  protocol?: 'tcp';
  name: string;
  user?: string;
  /** The environment variable holding the password; else the option file's password, else MYSQL_PWD. */
  passwordRef?: string;
  /** The password a typed URL or the settings give as a value, which wins as it does for Django. */
  password?: string;
  /** The option file settings name, read for its password as libmariadb reads it. */
  optionSource?: MysqlOptionSource;
  /** From the URL or settings; `prefer` otherwise, as MySQL's own client does. */
  tls?: DatabaseTls;
}

/** The password libmariadb would send: settings' PASSWORD (its value, or the variable standing for it), else the option file's, else MYSQL_PWD. */
function mysqlPassword(target: MysqlTarget, env: NodeJS.ProcessEnv): string {
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

export class MysqlDriver implements SqlDriver {
  readonly vendor = 'mysql';
  readonly deleteBatch = 10_000;

  /** Set when the connection failed (the server restarted, the laptop slept): the next statement connects again first. */
  private lost = false;

  private constructor(
    private conn: Connection,
    private readonly reconnect: () => Promise<Connection>,
  ) {
    this.watch(conn);
  }

  static async open(target: MysqlTarget, env: NodeJS.ProcessEnv = process.env): Promise<MysqlDriver> {
    const user = mysqlUser(target.user);
    const endpoint = mysqlEndpoint(target, env);
    const where = 'socket' in endpoint ? `through the socket ${endpoint.socket}, database ${target.name},` : `at ${endpoint.host}:${endpoint.port}/${target.name}`;
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
          return createConnection({
            ...('socket' in endpoint ? { socketPath: endpoint.socket } : endpoint),
            user,
            database: target.name,
            password: mysqlPassword(target, env),
            dateStrings: true,
            supportBigNumbers: true,
            bigNumberStrings: true,
            connectTimeout: 10_000,
            ...(ssl ? { ssl } : {}),
          });
        });
      } catch (err) {
        throw err instanceof StoreError
          ? err
          : new StoreError(
              'connection',
              `Cannot connect to MySQL ${where} as ${user}: ${(err as Error).message}. Check that the server runs and the URL, user, ${target.password !== undefined ? "the password the store URL, or the PASSWORD the settings give in DATABASES" : `$${target.passwordRef ?? 'MYSQL_PWD'}`} and TLS settings are right.`,
            );
      }
    };
    return new MysqlDriver(await open(), open);
  }

  async all(sql: string, params: readonly SqlParam[]): Promise<SqlRow[]> {
    const [rows] = await this.query<RowDataPacket[]>(sql, params);
    return rows as SqlRow[];
  }

  async run(sql: string, params: readonly SqlParam[]): Promise<number> {
    const [result] = await this.query<ResultSetHeader>(sql, params);
    return result.affectedRows;
  }

  /** A failed connection is replaced on the next statement, instead of failing every one after it. */
  private watch(conn: Connection): void {
    conn.on('error', () => {
      if (conn === this.conn) {
        this.lost = true;
      }
    });
  }

  private async query<T extends RowDataPacket[] | ResultSetHeader>(sql: string, params: readonly SqlParam[]): Promise<[T, unknown]> {
    if (this.lost) {
      const replaced = this.conn;
      this.conn = await this.reconnect();
      this.watch(this.conn);
      this.lost = false;
      replaced.destroy();
    }
    try {
      return await this.conn.query<T>(sql, params as SqlParam[]);
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
