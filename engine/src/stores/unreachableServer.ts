/**
 * Node's socket errors for a server that cannot be reached at all, each as a Django developer
 * reads it, by the address the connection was for: `connect ECONNREFUSED 127.0.0.1:5432`
 * becomes `nothing answers at 127.0.0.1:5432 (the connection was refused)`.
 */
const MEANINGS: Record<string, (host: string, port: string) => string> = {
  ECONNREFUSED: (host, port) => `nothing answers at ${host}:${port} (the connection was refused: no server listens on that port)`,
  ETIMEDOUT: (host, port) => `nothing answers at ${host}:${port} (the connection timed out)`,
  EHOSTUNREACH: (host) => `${host} cannot be reached from this machine (no route to the host)`,
  ENETUNREACH: (host) => `${host} cannot be reached from this machine (no route to its network)`,
  ENOTFOUND: (host) => `the host name ${host} is not known here (DNS finds no such host)`,
  EAI_AGAIN: (host) => `the host name ${host} could not be looked up (DNS did not answer)`,
};

/** The socket errors of a server that cannot be reached at all. */
export const UNREACHABLE: ReadonlySet<string> = new Set(Object.keys(MEANINGS));

/**
 * What a connection that reached no server met, as a sentence's part naming the address, or
 * undefined for any other failure. The address is the error's own (Node's `address`/`port`,
 * `hostname` for a name not found), else `fallback`'s.
 */
export function unreachableReason(err: unknown, fallback?: { host: string; port: number | string }): string | undefined {
  const { code, address, hostname, port } = err as NodeJS.ErrnoException & { address?: string; hostname?: string; port?: number };
  const meaning = code === undefined ? undefined : MEANINGS[code];
  const host = hostname ?? address ?? fallback?.host;
  return meaning && host !== undefined ? meaning(host, String(port ?? fallback?.port ?? '')) : undefined;
}
