import * as fs from 'node:fs';
import * as path from 'node:path';
import { StoreError } from '../storeError';
import { unreachableReason } from '../unreachableServer';

/** libpq's `sslmode` names; MySQL stores use them too (`ssl_mode=REQUIRED` is `require`). */
export const TLS_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

/** How a PostgreSQL or MySQL connection is secured; paths are absolute. */
export interface DatabaseTls {
  /** Absent when the settings give certificate files but no mode: the driver's default then (PGSSLMODE, else prefer). */
  mode?: TlsMode;
  /** The CA certificates the server's certificate must chain to (libpq's `system`: the bundled CAs); Node's bundled CAs otherwise. */
  rootCert?: string;
  /** A client certificate and its key, for servers that ask for one. */
  cert?: string;
  key?: string;
}

/** One way to connect: in the clear, or over TLS checking the server as far as `verify` says. */
export type ConnectAttempt =
  | { tls: false }
  | { tls: true; verify: 'none' | 'chain' | 'identity'; ca?: Buffer; cert?: Buffer; key?: Buffer };

/** libpq 16's `sslrootcert=system`: the platform's trusted CAs (Node's bundled ones), and verify-full unless told otherwise. */
export const SYSTEM_ROOTS = 'system';

/** A certificate file as given, against `baseDir` when relative; libpq's `system` root certificates stay a name. */
export function certificatePath(file: string, baseDir: string, root: boolean): string {
  return root && file === SYSTEM_ROOTS ? file : path.resolve(baseDir, file);
}

/** Whether text names one of libpq's sslmodes. */
export function isTlsMode(value: string): value is TlsMode {
  return (TLS_MODES as readonly string[]).includes(value);
}

/**
 * The connections to try, in order, as libpq tries them for each `sslmode`: `prefer` tries TLS
 * without checking the certificate and then the clear (only if the server has no TLS; see
 * connectWithTls), `allow` the other way round, and `require` checks the chain when a root
 * certificate is given. Certificate files are read here, so a
 * missing one is a clear error before anything is sent.
 */
export function connectAttempts(tls: DatabaseTls & { mode: TlsMode }): ConnectAttempt[] {
  const ownRoots = tls.rootCert !== undefined && tls.rootCert !== SYSTEM_ROOTS;
  const secure = (verify: 'none' | 'chain' | 'identity'): ConnectAttempt => ({
    tls: true,
    verify,
    ...(ownRoots ? { ca: readPem(tls.rootCert!, 'root certificate (sslrootcert)') } : {}),
    ...(tls.cert ? { cert: readPem(tls.cert, 'client certificate (sslcert)') } : {}),
    ...(tls.key ? { key: readPem(tls.key, 'client key (sslkey)') } : {}),
  });
  switch (tls.mode) {
    case 'disable':
      return [{ tls: false }];
    case 'allow':
      return [{ tls: false }, secure('none')];
    case 'prefer':
      return [secure('none'), { tls: false }];
    case 'require':
      return [secure(ownRoots ? 'chain' : 'none')];
    case 'verify-ca':
      return [secure('chain')];
    case 'verify-full':
      return [secure('identity')];
  }
}

/**
 * Connects with each attempt in turn until one succeeds. When all fail, the error names what
 * each attempt met, since the first may be the telling one (a certificate refused) or the last
 * (a password refused once the server said it has no TLS), and the sslmode; where the server
 * has no TLS and the mode went on without it (prefer), what the connection without TLS met alone.
 */
export async function connectWithTls<T>(tls: DatabaseTls & { mode: TlsMode }, connect: (attempt: ConnectAttempt) => Promise<T>): Promise<T> {
  const failures: { tls: boolean; message: string }[] = [];
  let withoutTls = false;
  const attempts = connectAttempts(tls);
  for (const [i, attempt] of attempts.entries()) {
    try {
      return await connect(attempt);
    } catch (err) {
      const message = (err as Error).message;
      // A server that cannot be reached will not be reached the other way either, and with or without TLS does not matter.
      const unreachable = unreachableReason(err);
      if (unreachable) {
        throw Object.assign(new Error(unreachable), { code: (err as NodeJS.ErrnoException).code });
      }
      // Nor does it matter for a server that took the connection and never answered it (see connectTimeoutCause).
      if ((err as { timedOut?: boolean }).timedOut) {
        throw err;
      }
      // A server without TLS, where the mode goes on without it, is what the mode allows for: no failure.
      if (attempt.tls && tlsRefused(err) && i < attempts.length - 1) {
        withoutTls = true;
      } else {
        failures.push({ tls: attempt.tls, message });
      }
      // Each try may wait out a timeout.
      if (/timeout/i.test(message)) {
        break;
      }
      // Falling back from TLS to the clear only when the server says it has no TLS: after any other failure
      // (one someone in the middle could cause) the password would go out unprotected.
      if (attempt.tls && !tlsRefused(err)) {
        break;
      }
    }
  }
  if (withoutTls && !failures.some((failure) => failure.tls)) {
    throw new Error(failures.map((failure) => failure.message).join('; '));
  }
  const said = failures.map((failure) => (attempts.length > 1 ? `${failure.tls ? 'with TLS' : 'without TLS'}: ${failure.message}` : failure.message));
  throw new Error(`${said.join('; ')} (sslmode=${tls.mode})`);
}

/** The server answered that it does not do TLS at all: PostgreSQL's 'N' to SSLRequest, or MySQL's greeting without the SSL flag. */
function tlsRefused(err: unknown): boolean {
  return (err as { code?: string }).code === 'HANDSHAKE_NO_SSL_SUPPORT' || /server does not support SSL connections/i.test((err as Error).message);
}

function readPem(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new StoreError('connection', `Cannot read the ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
}
