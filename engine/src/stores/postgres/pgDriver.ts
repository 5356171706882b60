import { Client, type ClientConfig } from 'pg';
import type { SqlDriver, SqlExecutor, SqlParam, SqlRow } from '../sql/sqlDriver';
import { StoreError } from '../storeError';

/** Where to connect; the password comes from the environment, never from a URL or settings. */
export interface PgTarget {
  host: string;
  port?: number;
  name: string;
  user?: string;
  /** The environment variable holding the password; PGPASSWORD otherwise. */
  passwordRef?: string;
}

/** `?` placeholders as PostgreSQL's `$1, $2, …`; our SQL has no `?` in literals. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** The db engine's SQL on PostgreSQL through `pg`, one connection per store. */
export class PgDriver implements SqlDriver {
  readonly vendor = 'postgresql';
  readonly deleteBatch = 10_000;

  private constructor(private readonly client: Client) {}

  static async open(target: PgTarget, env: NodeJS.ProcessEnv = process.env): Promise<PgDriver> {
    const config: ClientConfig = {
      host: target.host,
      port: target.port ?? 5432,
      database: target.name,
      user: target.user ?? env.PGUSER ?? 'postgres',
      password: target.passwordRef ? env[target.passwordRef] : env.PGPASSWORD,
      connectionTimeoutMillis: 10_000,
      application_name: 'django-sessions',
    };
    const client = new Client(config);
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      throw new StoreError(
        'connection',
        `Cannot connect to PostgreSQL at ${config.host}:${config.port}/${config.database} as ${config.user}: ${(err as Error).message}. Check that the server runs and the URL, user and PGPASSWORD are right.`,
      );
    }
    client.on('error', () => undefined);
    return new PgDriver(client);
  }

  async all(sql: string, params: readonly SqlParam[]): Promise<SqlRow[]> {
    return (await this.client.query(numbered(sql), params as SqlParam[])).rows as SqlRow[];
  }

  async run(sql: string, params: readonly SqlParam[]): Promise<number> {
    return (await this.client.query(numbered(sql), params as SqlParam[])).rowCount ?? 0;
  }

  async transaction<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    await this.client.query('BEGIN');
    try {
      const result = await body(this);
      await this.client.query('COMMIT');
      return result;
    } catch (err) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  isUniqueViolation(err: unknown): boolean {
    return (err as { code?: string }).code === '23505';
  }

  async hasTable(table: string): Promise<boolean> {
    const rows = await this.all('SELECT 1 AS x FROM information_schema.tables WHERE table_name = ? AND table_schema = ANY(current_schemas(false))', [table]);
    return rows.length > 0;
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
