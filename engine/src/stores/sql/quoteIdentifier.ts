import type { SqlDriver } from './sqlDriver';

/**
 * Table names come from settings or URLs, so they are quoted rather than trusted. On PostgreSQL
 * a dotted name (`appx.django_session`, from `table=`) names a table in that schema, as an
 * unquoted name does in psql; elsewhere the dot is part of the name.
 */
export function quoteIdentifier(name: string, vendor: SqlDriver['vendor']): string {
  if (vendor === 'mysql') {
    return `\`${name.replace(/`/g, '``')}\``;
  }
  const parts = vendor === 'postgresql' ? name.split('.') : [name];
  return parts.map((part) => `"${part.replace(/"/g, '""')}"`).join('.');
}
