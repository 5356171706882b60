import { tcpUnreachable } from './tcpReachable';
import { hostPort } from '../hostPort';
import { unreachableReason } from '../unreachableServer';

/** How long a PostgreSQL or MySQL connection waits for the server to answer it. */
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Why a PostgreSQL or MySQL connection timed out (node-postgres' "timeout expired", mysql2's
 * "connect ETIMEDOUT", both also when the address took the connection and the server then said
 * nothing), by what the address does: a server paused or overloaded, or another service, keeps a
 * connection it never answers on, which a server that cannot be reached does not take at all.
 */
export async function connectTimeoutCause(err: unknown, host: string, port: number, vendor: string): Promise<unknown> {
  if (!/timeout expired|ETIMEDOUT/i.test((err as Error).message)) {
    return err;
  }
  const code = await tcpUnreachable(host, port);
  return code
    ? Object.assign(new Error(unreachableReason({ code }, { host, port }) ?? `nothing answers at ${hostPort(host, port)} (${code})`), { code })
    : Object.assign(new Error(`${hostPort(host, port)} took the connection but did not answer within ${CONNECT_TIMEOUT_MS / 1000} s, where ${vendor} answers at once (is the server paused or overloaded, or is another service listening there?)`), {
        timedOut: true,
      });
}
