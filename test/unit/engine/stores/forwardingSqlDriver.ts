import type { SqlDriver, SqlParam, SqlRow } from '../../../../engine/src/stores/sql/sqlDriver';
import type { WriteRefusal } from '../../../../engine/src/stores/sql/writeRefusal';

/**
 * A real SQL driver seen through a wrapper: every call goes to `real`, and a test overrides the
 * statements it watches or steers (`all`, `run`) without repeating the rest of the interface.
 */
export class ForwardingSqlDriver implements SqlDriver {
  constructor(protected readonly real: SqlDriver) {}

  get vendor(): SqlDriver['vendor'] {
    return this.real.vendor;
  }
  get deleteBatch(): number {
    return this.real.deleteBatch;
  }
  all(sql: string, params: readonly SqlParam[]): Promise<SqlRow[]> {
    return this.real.all(sql, params);
  }
  run(sql: string, params: readonly SqlParam[]): Promise<number> {
    return this.real.run(sql, params);
  }
  isUniqueViolation(err: unknown): boolean {
    return this.real.isUniqueViolation(err);
  }
  isConstraintViolation(err: unknown): boolean {
    return this.real.isConstraintViolation(err);
  }
  isPermissionDenied(err: unknown): boolean {
    return this.real.isPermissionDenied(err);
  }
  writeRefusal(err: unknown): WriteRefusal | undefined {
    return this.real.writeRefusal(err);
  }
  hasTable(table: string): Promise<boolean> {
    return this.real.hasTable(table);
  }
  close(): Promise<void> {
    return this.real.close();
  }
}
