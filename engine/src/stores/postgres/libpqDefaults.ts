import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The socket directories libpq is built with: /var/run/postgresql on Debian and Ubuntu, /tmp upstream. */
const SOCKET_DIRS = ['/var/run/postgresql', '/tmp'];

/**
 * Where libpq connects for an empty HOST, which Django does not pass on: `PGHOST`, else on
 * Unix the default socket directory (the first of libpq's usual ones holding the server's
 * socket for `port`), else localhost. A host starting with `/` is a socket directory.
 */
export function libpqHost(host: string, port: number, env: NodeJS.ProcessEnv): string {
  if (host) {
    return host;
  }
  if (env.PGHOST) {
    return env.PGHOST;
  }
  if (process.platform === 'win32') {
    return 'localhost';
  }
  return SOCKET_DIRS.find((dir) => fs.existsSync(path.join(dir, `.s.PGSQL.${port}`))) ?? SOCKET_DIRS[0]!;
}

/** libpq's port when none is given: `PGPORT`, else 5432. */
export function libpqPort(port: number | undefined, env: NodeJS.ProcessEnv): number {
  return port ?? (Number(env.PGPORT) || 5432);
}

/** libpq's user when none is given: `PGUSER`, else the name of the user running this process (whom peer authentication checks). */
export function libpqUser(user: string | undefined, env: NodeJS.ProcessEnv): string {
  if (user) {
    return user;
  }
  if (env.PGUSER) {
    return env.PGUSER;
  }
  try {
    return os.userInfo().username;
  } catch {
    return env.USER ?? 'postgres';
  }
}

/** Whether a libpq host names a Unix socket directory, over which libpq never uses TLS (sslmode is ignored there). */
export function isSocketHost(host: string): boolean {
  return host.startsWith('/');
}
