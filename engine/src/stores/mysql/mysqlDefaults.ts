import * as fs from 'node:fs';
import * as os from 'node:os';

/** The sockets libmariadb and libmysqlclient are built with: Debian's and MariaDB's, older distributions', upstream MySQL's. */
const SOCKETS = ['/run/mysqld/mysqld.sock', '/var/run/mysqld/mysqld.sock', '/tmp/mysql.sock'];

/** Where a MySQL connection goes: a Unix socket, or a host and port over TCP. */
type MysqlEndpoint = { socket: string } | { host: string; port: number };

/** The target fields that decide the endpoint. */
interface MysqlPlace {
  /** '' when none is given. */
  host: string;
  port?: number;
  socket?: string;
  /** TCP even to `localhost`, as libmariadb's MYSQL_OPT_PROTOCOL (an option file's `protocol = 1`). */
  protocol?: 'tcp';
}

/** libmariadb's socket when none is given: `MYSQL_UNIX_PORT`, else the first of the usual built-in ones that exists. */
export function mysqlDefaultSocket(env: NodeJS.ProcessEnv): string {
  return env.MYSQL_UNIX_PORT || (SOCKETS.find((socket) => fs.existsSync(socket)) ?? SOCKETS[0]!);
}

/**
 * Where libmariadb connects, as mysqlclient gives it Django's settings: with no host or
 * `localhost` (exactly; `127.0.0.1` and `LOCALHOST` go over TCP), through the socket given or
 * its default one, whatever the port, unless told to use TCP; else over TCP to the port,
 * `MYSQL_TCP_PORT` or 3306.
 */
export function mysqlEndpoint(place: MysqlPlace, env: NodeJS.ProcessEnv): MysqlEndpoint {
  if ((place.host === '' || place.host === 'localhost') && place.protocol !== 'tcp' && process.platform !== 'win32') {
    return { socket: place.socket ?? mysqlDefaultSocket(env) };
  }
  return { host: place.host || 'localhost', port: place.port ?? (Number(env.MYSQL_TCP_PORT) || 3306) };
}

/** libmariadb's user when none is given: the name of the user running this process, not an environment variable. */
export function mysqlUser(user: string | undefined): string {
  if (user) {
    return user;
  }
  try {
    return os.userInfo().username;
  } catch {
    return 'root';
  }
}
