import { certificatePath, type DatabaseTls, isTlsMode, type TlsMode } from '../stores/sql/databaseTls';
import type { SettingsReader } from './settingsReader';
import { type SettingValue, stringOf } from './settingValue';

/** mysqlclient's `ssl_mode` names in libpq's terms. */
const MYSQL_MODES = new Map<string, TlsMode>([
  ['DISABLED', 'disable'],
  ['PREFERRED', 'prefer'],
  ['REQUIRED', 'require'],
  ['VERIFY_CA', 'verify-ca'],
  ['VERIFY_IDENTITY', 'verify-full'],
]);
const WHERE = "DATABASES['default']['OPTIONS']";

/**
 * The TLS a PostgreSQL or MySQL `DATABASES` entry asks for in its `OPTIONS`: psycopg's
 * `sslmode`, `sslrootcert`, `sslcert` and `sslkey`, or mysqlclient's `ssl_mode` and `ssl` dict.
 * `undefined` leaves the choice to the driver's defaults, as Django does; `null` means it asks
 * for something that cannot be read statically, which is a problem, since connecting with less
 * than the project asks for could send its password to anyone.
 */
export function databaseTls(reader: SettingsReader, vendor: 'postgresql' | 'mysql', options: SettingValue | undefined, projectRoot: string): DatabaseTls | undefined | null {
  if (!options || options.kind === 'none') {
    return undefined;
  }
  if (options.kind !== 'dict') {
    reader.expect(WHERE, options, 'a dict', () => undefined);
    return null;
  }
  const file = (name: string, value: SettingValue | undefined, root = false): string | null | undefined => {
    if (!value) {
      return undefined;
    }
    const text = reader.expect(name, value, 'a file path', stringOf);
    return text === undefined ? null : certificatePath(text, projectRoot, root);
  };
  return vendor === 'postgresql' ? postgresTls(reader, options.entries, file) : mysqlTls(reader, options.entries, file);
}

type FileReader = (name: string, value: SettingValue | undefined, root?: boolean) => string | null | undefined;

function postgresTls(reader: SettingsReader, options: ReadonlyMap<string, SettingValue>, file: FileReader): DatabaseTls | undefined | null {
  const modeValue = options.get('sslmode');
  const files = {
    rootCert: file(`${WHERE}['sslrootcert']`, options.get('sslrootcert'), true),
    cert: file(`${WHERE}['sslcert']`, options.get('sslcert')),
    key: file(`${WHERE}['sslkey']`, options.get('sslkey')),
  };
  if (!modeValue && Object.values(files).every((f) => f === undefined)) {
    return undefined;
  }
  // No sslmode: libpq's default, which PGSSLMODE may set where the store is opened.
  let mode: TlsMode | undefined;
  if (modeValue) {
    const text = reader.expect(`${WHERE}['sslmode']`, modeValue, 'an sslmode', stringOf);
    if (text === undefined) {
      return null;
    }
    if (!isTlsMode(text)) {
      reader.expect(`${WHERE}['sslmode']`, modeValue, 'one of disable, allow, prefer, require, verify-ca, verify-full', () => undefined);
      return null;
    }
    mode = text;
  }
  return withFiles(mode, files);
}

function mysqlTls(reader: SettingsReader, options: ReadonlyMap<string, SettingValue>, file: FileReader): DatabaseTls | undefined | null {
  const modeValue = options.get('ssl_mode');
  const ssl = options.get('ssl');
  if (!modeValue && !ssl) {
    return undefined;
  }
  let files: Record<'rootCert' | 'cert' | 'key', string | null | undefined> = { rootCert: undefined, cert: undefined, key: undefined };
  if (ssl) {
    if (ssl.kind !== 'dict') {
      reader.expect(`${WHERE}['ssl']`, ssl, 'a dict', () => undefined);
      return null;
    }
    const unsupported = [...ssl.entries.keys()].filter((name) => !['ca', 'cert', 'key'].includes(name));
    if (unsupported.length > 0) {
      reader.expect(`${WHERE}['ssl']`, ssl, `a dict of ca, cert and key (${unsupported.join(', ')} cannot be used here)`, () => undefined);
      return null;
    }
    files = {
      rootCert: file(`${WHERE}['ssl']['ca']`, ssl.entries.get('ca')),
      cert: file(`${WHERE}['ssl']['cert']`, ssl.entries.get('cert')),
      key: file(`${WHERE}['ssl']['key']`, ssl.entries.get('key')),
    };
  }
  // MySQL's client checks the server against a CA it is given, unless told otherwise.
  let mode: TlsMode = files.rootCert ? 'verify-ca' : 'require';
  if (modeValue) {
    const text = reader.expect(`${WHERE}['ssl_mode']`, modeValue, 'an ssl_mode', stringOf);
    const named = text === undefined ? undefined : MYSQL_MODES.get(text.toUpperCase());
    if (!named) {
      if (text !== undefined) {
        reader.expect(`${WHERE}['ssl_mode']`, modeValue, `one of ${[...MYSQL_MODES.keys()].join(', ')}`, () => undefined);
      }
      return null;
    }
    mode = named;
  }
  return withFiles(mode, files);
}

function withFiles(mode: TlsMode | undefined, files: Record<'rootCert' | 'cert' | 'key', string | null | undefined>): DatabaseTls | null {
  if (Object.values(files).some((f) => f === null)) {
    return null;
  }
  const tls: DatabaseTls = mode ? { mode } : {};
  for (const [name, value] of Object.entries(files)) {
    if (value) {
      tls[name as keyof typeof files] = value;
    }
  }
  return tls;
}
