import * as path from 'node:path';
import { mysqlEndpoint } from '../stores/mysql/mysqlDefaults';
import { type MysqlOptionSource, readMysqlOptionFiles } from '../stores/mysql/mysqlOptionFile';
import type { SettingsReader } from './settingsReader';
import { type SettingValue, stringOf } from './settingValue';

/** Where and as whom a mysql `DATABASES` entry connects, the password aside. */
interface MysqlConnection {
  /** '' when neither settings nor option file name one: then the Unix socket, as for `localhost`. */
  host: string;
  port?: number;
  socket?: string;
  protocol?: 'tcp';
  user?: string;
  name: string;
  optionSource?: MysqlOptionSource;
}

/** The `OPTIONS` mysqlclient takes as connection arguments, overriding the entry's own fields as Django's `kwargs.update(OPTIONS)` does. */
const CONNECTION_OPTIONS = ['host', 'port', 'user', 'db', 'database', 'unix_socket', 'read_default_file', 'read_default_group'];

function portOf(value: SettingValue | undefined): number | undefined {
  const port = value?.kind === 'int' ? value.value : value?.kind === 'str' && /^\d+$/.test(value.value) ? Number(value.value) : undefined;
  return port || undefined;
}

/**
 * A mysql entry's connection as Django 3.2's mysql backend hands it to mysqlclient and
 * libmariadb resolves it: a HOST starting with `/` is the socket; `OPTIONS` override the
 * fields; what both leave out comes from the option file `read_default_file` and
 * `read_default_group` name (read here, its password only on connecting). `null`, with a
 * problem, when an option cannot be read statically, or the option file asks for TLS over TCP,
 * which is not followed: connecting with less TLS than asked could expose the password.
 */
export function mysqlConnection(reader: SettingsReader, fields: ReadonlyMap<string, SettingValue>, projectRoot: string): MysqlConnection | null {
  const options = fields.get('OPTIONS');
  const option = new Map<string, SettingValue>();
  for (const name of CONNECTION_OPTIONS) {
    const value = options?.kind === 'dict' ? options.entries.get(name) : undefined;
    if (!value || value.kind === 'none') {
      continue;
    }
    if ((name === 'port' ? portOf(value) : stringOf(value)) === undefined) {
      reader.problems.push({
        message: `DATABASES['default']['OPTIONS']['${name}'] cannot be read statically${value.kind === 'unknown' ? ` (${value.reason})` : ''}; it decides where mysqlclient connects, so the store is not opened. Give it as a URL, e.g. mysql://user@/db?unix_socket=/run/mysqld/mysqld.sock.`,
        location: value.kind === 'unknown' && value.location ? value.location : reader.location('DATABASES'),
      });
      return null;
    }
    option.set(name, value);
  }
  const text = (value: SettingValue | undefined) => stringOf(value) || undefined;
  const hostField = stringOf(fields.get('HOST')) ?? '';
  const file = text(option.get('read_default_file'));
  const group = text(option.get('read_default_group'));
  const optionSource: MysqlOptionSource | undefined = file || group ? { ...(file ? { file: path.resolve(projectRoot, file) } : {}), ...(group ? { group } : {}) } : undefined;
  const filed = optionSource ? readMysqlOptionFiles(optionSource, process.env) : {};
  const socket = text(option.get('unix_socket')) ?? (hostField.startsWith('/') ? hostField : undefined) ?? filed.socket;
  const connection: MysqlConnection = {
    host: text(option.get('host')) ?? (hostField.startsWith('/') ? undefined : text(fields.get('HOST'))) ?? filed.host ?? '',
    name: text(option.get('db')) ?? text(option.get('database')) ?? text(fields.get('NAME')) ?? filed.database ?? '',
  };
  const port = portOf(option.get('port')) ?? portOf(fields.get('PORT')) ?? filed.port;
  const user = text(option.get('user')) ?? text(fields.get('USER')) ?? filed.user;
  Object.assign(connection, port ? { port } : {}, socket ? { socket } : {}, filed.protocol ? { protocol: filed.protocol } : {}, user ? { user } : {}, optionSource ? { optionSource } : {});
  if (filed.tls && 'host' in mysqlEndpoint(connection, process.env)) {
    reader.problems.push({
      message: `DATABASES['default'] is not opened: its option file sets ${filed.tls}, and TLS options from an option file are not followed, so the connection could be less secure than it asks. Give the store as a URL with sslmode= instead.`,
      location: reader.location('DATABASES'),
    });
    return null;
  }
  return connection;
}
