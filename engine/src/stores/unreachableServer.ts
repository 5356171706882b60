import { hostPort } from './hostPort';

/**
 * Node's socket errors for a server that cannot be reached at all, each as a Django developer
 * reads it, by the address the connection was for: `connect ECONNREFUSED 127.0.0.1:5432`
 * becomes `nothing answers at 127.0.0.1:5432 (the connection was refused)`.
 */
const MEANINGS: Record<string, (host: string, port: string) => string> = {
  ECONNREFUSED: (host, port) => `nothing answers at ${hostPort(host, port)} (the connection was refused: no server listens on that port)`,
  ETIMEDOUT: (host, port) => `nothing answers at ${hostPort(host, port)} (the connection timed out)`,
  EHOSTUNREACH: (host) => `${host} cannot be reached from this machine (no route to the host)`,
  ENETUNREACH: (host) => `${host} cannot be reached from this machine (no route to its network)`,
  ENOTFOUND: (host) => `the host name ${host} is not known here (DNS finds no such host)`,
  EAI_AGAIN: (host) => `the host name ${host} could not be looked up (DNS did not answer)`,
};

/**
 * The same for a Unix socket (a PostgreSQL HOST that is a directory, MySQL's unix_socket, Redis'
 * unix:// URL), which has a path where a server has a port: a missing file is Node's ENOENT.
 */
const SOCKET_MEANINGS: Record<string, (socket: string) => string> = {
  ECONNREFUSED: (socket) => `nothing answers at the socket ${socket} (the connection was refused: the file is there but no server listens on it)`,
  ENOENT: (socket) => `nothing answers at the socket ${socket} (there is no such file: no server made it there)`,
};

/** The socket errors of a server that cannot be reached at all. */
export const UNREACHABLE: ReadonlySet<string> = new Set([...Object.keys(MEANINGS), ...Object.keys(SOCKET_MEANINGS)]);

/**
 * What a connection that reached no server met, as a sentence's part naming the address, or
 * undefined for any other failure. The address is the error's own (a Unix socket's path), (Node's `address`/`port`,
 * `hostname` for a name not found), else `fallback`'s.
 */
export function unreachableReason(err: unknown, fallback?: { host: string; port: number | string }): string | undefined {
  const { code, address, hostname, port } = err as NodeJS.ErrnoException & { address?: string; hostname?: string; port?: number };
  if (address?.includes('/') && port === undefined) {
    const socketMeaning = code === undefined ? undefined : SOCKET_MEANINGS[code];
    return socketMeaning?.(address);
  }
  const meaning = code === undefined ? undefined : MEANINGS[code];
  const host = hostname ?? address ?? fallback?.host;
  return meaning && host !== undefined ? meaning(host, String(port ?? fallback?.port ?? '')) : undefined;
}
