import * as path from 'node:path';
import { isKnownTimeZone } from '../stores/djangoDatetime';
import type { DatabaseTarget } from '../stores/storeDescriptor';
import { isInMemoryDatabase } from '../stores/sqlite/inMemoryDatabase';
import { databaseTls } from './databaseTlsSettings';
import { mysqlConnection } from './mysqlConnectionSettings';
import { postgresOptions } from './postgresOptionsSetting';
import type { SettingsReader } from './settingsReader';
import { pythonTypeName, type SettingValue, stringOf } from './settingValue';

/**
 * Django's PostgreSQL backend connects to the 'postgres' database for a NAME of None
 * (`settings_dict['NAME'] or 'postgres'`), as it is where a variable read without a default is
 * unset: that database, said, rather than none.
 */
function postgresDefaultName(reader: SettingsReader, engine: string, value: SettingValue | undefined): string | undefined {
  const none = value?.kind === 'none' || (value?.kind === 'unknown' && value.unsetIsNone);
  if (!none || !/postg/.test(engine)) {
    return undefined;
  }
  const why = value.kind === 'unknown' ? ` (${value.reason})` : '';
  reader.problems.push({ message: `DATABASES['default']['NAME'] is None${why}, so Django connects to PostgreSQL's default database 'postgres'`, location: value.kind === 'unknown' && value.location ? value.location : reader.location('DATABASES') });
  return 'postgres';
}

/** The session table's database: the `DATABASES` alias Django's router gives sessions, as a target the SQL adapters open. */
export function database(reader: SettingsReader, projectRoot: string, useTz: boolean): DatabaseTarget | undefined {
  const databases = reader.value('DATABASES', { kind: 'unknown', reason: 'DATABASES is not set in the settings' });
  const entry = databases?.kind === 'dict' ? databases.entries.get('default') : databases;
  if (!entry || entry.kind !== 'dict') {
    reader.problems.push({
      message: `DATABASES['default']: ${entry?.kind === 'unknown' ? entry.reason : 'not found'}`,
      location: entry?.kind === 'unknown' && entry.location ? entry.location : reader.location('DATABASES'),
    });
    return undefined;
  }
  const field = (name: string): SettingValue | undefined => entry.entries.get(name);
  const optionsValue = field('OPTIONS');
  if (optionsValue && optionsValue.kind !== 'dict' && optionsValue.kind !== 'none' && optionsValue.kind !== 'unknown') {
    // Django passes OPTIONS to the driver as keyword arguments: anything but a dict fails to connect.
    reader.problems.push({ message: `DATABASES['default']['OPTIONS'] should be a dict, not ${pythonTypeName(optionsValue)}: Django cannot connect with it, so the store is not opened`, location: reader.location('DATABASES') });
    return undefined;
  }
  if (!field('ENGINE')) {
    const why = entry.emptyBecause === undefined ? '' : ` (${entry.emptyBecause})`;
    reader.problems.push({ message: `DATABASES['default'] has no ENGINE, so Django cannot connect to it${why}`, location: reader.location('DATABASES') });
    return undefined;
  }
  const engine = reader.expect("DATABASES['default']['ENGINE']", field('ENGINE'), 'a string', stringOf) ?? '';
  const name = postgresDefaultName(reader, engine, field('NAME')) ?? reader.expect("DATABASES['default']['NAME']", field('NAME'), 'a string or path', stringOf);
  if (name === undefined) {
    return undefined;
  }
  const timeZone = databaseTimeZone(reader, field('TIME_ZONE'), useTz);
  if (/sqlite3|spatialite/.test(engine)) {
    if (name === '') {
      reader.problems.push({ message: "DATABASES['default']['NAME'] is empty, and Django refuses to open SQLite without one (\"Please supply the NAME value\")", location: reader.location('DATABASES') });
      return undefined;
    }
    return { vendor: 'sqlite', path: isInMemoryDatabase(name) ? name : path.resolve(projectRoot, name), ...(timeZone ? { timeZone } : {}) };
  }
  const vendor = /postg/.test(engine) ? 'postgresql' : /mysql/.test(engine) ? 'mysql' : undefined;
  if (!vendor) {
    reader.problems.push({ message: `DATABASES['default']['ENGINE'] '${engine}' is not SQLite, PostgreSQL or MySQL`, location: reader.location('DATABASES') });
    return undefined;
  }
  // A server, port or user that cannot be read is no empty one: that would connect to the local
  // server's default database under the wrong name (djangoproject.com's values from secrets.json).
  for (const part of ['HOST', 'PORT', 'USER']) {
    const value = field(part);
    if (value?.kind === 'unknown') {
      reader.expect(`DATABASES['default']['${part}']`, value, 'a string', stringOf);
      return undefined;
    }
  }
  const target: DatabaseTarget = { vendor, host: '', name, ...(timeZone ? { timeZone } : {}) };
  if (vendor === 'mysql') {
    const connection = mysqlConnection(reader, entry.entries, projectRoot);
    if (!connection) {
      return undefined;
    }
    Object.assign(target, connection);
  } else {
    // Django passes no host to psycopg for an empty HOST, so libpq's default (PGHOST, else the Unix socket) applies: '' says so.
    target.host = stringOf(field('HOST')) ?? '';
    const port = field('PORT');
    const portNumber = port?.kind === 'int' ? port.value : port?.kind === 'str' && /^\d+$/.test(port.value) ? Number(port.value) : undefined;
    if (portNumber !== undefined) {
      target.port = portNumber;
    }
    const user = stringOf(field('USER'));
    if (user) {
      target.user = user;
    }
  }
  const tls = databaseTls(reader, vendor, field('OPTIONS'), projectRoot);
  if (tls === null) {
    reader.problems.push({
      message: "DATABASES['default'] is not opened: its TLS options cannot all be read statically, and connecting with less TLS than it asks for could expose its password. Give the store as a URL with sslmode= instead.",
      location: reader.location('DATABASES'),
    });
    return undefined;
  }
  if (tls) {
    target.tls = tls;
  }
  const options = vendor === 'postgresql' ? postgresOptions(reader, field('OPTIONS')) : undefined;
  if (options === null) {
    return undefined;
  }
  if (options) {
    target.options = options;
  }
  const password = field('PASSWORD');
  if (password?.kind === 'str' && password.envVar) {
    target.passwordRef = password.envVar;
  } else if (password?.kind === 'str' && password.value !== '') {
    target.password = password.value;
  } else if (password?.kind === 'unknown') {
    target.passwordRef = /needs environment variable (\S+)/.exec(password.reason)?.[1] ?? 'DATABASES.default.PASSWORD';
  }
  return target;
}

/**
 * `DATABASES['default']['TIME_ZONE']`, the zone SQLite and MySQL keep naive datetimes in when
 * `USE_TZ = True` (spec §3.1). Django refuses it without USE_TZ, so it is a problem then.
 */
function databaseTimeZone(reader: SettingsReader, value: SettingValue | undefined, useTz: boolean): string | undefined {
  const setting = "DATABASES['default']['TIME_ZONE']";
  if (!value || value.kind === 'none') {
    return undefined;
  }
  const zone = reader.expect(setting, value, 'a time zone name', stringOf);
  if (zone === undefined) {
    return undefined;
  }
  if (!useTz) {
    reader.problems.push({ message: `${setting} is set but USE_TZ is False; Django refuses to connect then`, location: reader.location('DATABASES') });
    return undefined;
  }
  if (!isKnownTimeZone(zone)) {
    reader.problems.push({ message: `${setting} '${zone}' is not a time zone name`, location: reader.location('DATABASES') });
    return undefined;
  }
  return zone;
}
