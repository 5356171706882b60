import type { ServerDatabase } from '../storeDescriptor';
import { UNREACHABLE } from '../unreachableServer';

/**
 * What to check after a PostgreSQL or MySQL connection failed, by what went wrong last (after a
 * TLS attempt, the attempt without): the password only when the server refused it, naming where
 * the one tried came from (`passwordVariable`, the driver's own variable, where the settings give none).
 */
export function connectionHint(failures: string, target: ServerDatabase, passwordVariable: string): string {
  const message = failures.replace(/^.*\b(?:with|without) TLS: /s, '').replace(/ \(sslmode=[a-z-]+\)$/, '');
  if (/nothing answers|did not answer|cannot be reached|host name .* (is not known|could not be looked up)|server listening|timeout/i.test(message) || [...UNREACHABLE].some((code) => message.includes(code))) {
    return "Check that the server runs and the URL's host and port are right.";
  }
  if (/(database|role) "[^"]*" does not exist|Unknown database/i.test(message)) {
    return "Check the URL's user and database name.";
  }
  if (/password|authentication|Access denied/i.test(message)) {
    return target.password !== undefined
      ? "Check the user, and the password: the one tried is the PASSWORD the settings give in DATABASES (or the store URL's), as Django would use it."
      : `Check the user and $${target.passwordRef ?? passwordVariable} (in VS Code: Set Store Password…).`;
  }
  // The server's own access rules refused the address, user and database before any password: its TLS may be fine.
  if (/no pg_hba\.conf entry/.test(message)) {
    return "Check that the server's pg_hba.conf has a line letting this user reach this database from this machine's address (with TLS where it lists only hostssl lines); Django is refused alike.";
  }
  if (/certificate|SSL|TLS|secure (connection|transport)/i.test(message)) {
    return 'Check the TLS settings (sslmode, sslrootcert) and that the server offers TLS.';
  }
  return "Check that the server runs and the URL's host, port and database are right.";
}
