import { isIP } from 'node:net';
import { createConnection, type Connection, type ResultSetHeader, type RowDataPacket, type SslOptions } from 'mysql2/promise';
import { type ConnectAttempt, connectWithTls, type DatabaseTls } from '../sql/databaseTls';
import type { SqlDriver, SqlParam, SqlRow } from '../sql/sqlDriver';
import { StoreError } from '../storeError';

/** Where to connect; the password comes from the environment, never from a URL or settings. */
export interface MysqlTarget {
  host: string;
  port?: number;
  name: string;
  user?: string;
  /** The environment variable holding the password; MYSQL_PWD otherwise. */
  passwordRef?: string;
  /** From the URL or settings; `prefer` otherwise, as MySQL's own client does. */
  tls?: DatabaseTls;
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
export class MysqlDriver implements SqlDriver {
  readonly vendor = 'mysql';
  readonly deleteBatch = 10_000;

  private constructor(private readonly conn: Connection) {}

  static async open(target: MysqlTarget, env: NodeJS.ProcessEnv = process.env): Promise<MysqlDriver> {
    const user = target.user ?? env.MYSQL_USER ?? 'root';
    const port = target.port ?? 3306;
    const tls = { ...target.tls, mode: target.tls?.mode ?? 'prefer' };
    // mysql2 names no server to TLS for an IP address, so its check of the certificate's names happens only
    // after logging in, when the password has gone to whoever answered: verify-full needs a host name.
    if (tls.mode === 'verify-full' && isIP(target.host)) {
      throw new StoreError(
        'connection',
        `sslmode=verify-full cannot check a MySQL server's certificate against the address ${target.host} before logging in; connect by the host name the certificate names, or use verify-ca.`,
      );
    }
    let conn: Connection;
    try {
      conn = await connectWithTls(tls, async (attempt) => {
        const ssl = mysqlSsl(attempt);
        return createConnection({
          host: target.host,
          port,
          user,
          database: target.name,
          password: (target.passwordRef ? env[target.passwordRef] : env.MYSQL_PWD) ?? '',
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
            `Cannot connect to MySQL at ${target.host}:${port}/${target.name} as ${user}: ${(err as Error).message}. Check that the server runs and the URL, user, MYSQL_PWD and TLS settings are right.`,
          );
    }
    conn.on('error', () => undefined);
    return new MysqlDriver(conn);
  }

  async all(sql: string, params: readonly SqlParam[]): Promise<SqlRow[]> {
    const [rows] = await this.conn.query<RowDataPacket[]>(sql, params as SqlParam[]);
    return rows as SqlRow[];
  }

  async run(sql: string, params: readonly SqlParam[]): Promise<number> {
    const [result] = await this.conn.query<ResultSetHeader>(sql, params as SqlParam[]);
    return result.affectedRows;
  }

  isUniqueViolation(err: unknown): boolean {
    return (err as { code?: string }).code === 'ER_DUP_ENTRY';
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
