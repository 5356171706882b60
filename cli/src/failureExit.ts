import { StoreError } from '../../engine/src';
import { CliError, ExitCode } from './exitCodes';
import { writeError } from './terminalText';

/** Set, an unexpected failure also prints its stack trace. */
export const TRACE_VARIABLE = 'DJANGO_SESSIONS_TRACE';

/**
 * Writes a failed command's one-line message to stderr and returns its exit code. Each CLI
 * bundle holds its own copy of this and of the error classes it tells apart (see
 * sessionCommands), so it is called in the bundle that threw.
 */
export function failureExit(err: unknown, env: NodeJS.ProcessEnv): number {
  if (err instanceof CliError) {
    writeError(`django-sessions: ${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof StoreError) {
    writeError(`django-sessions: ${err.message}\n`);
    return storeErrorExit(err);
  }
  // Still one line, as every error is; the stack is for a bug report, on request.
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  const trace = env[TRACE_VARIABLE] ? `\n${(err as Error).stack ?? ''}` : ` (set ${TRACE_VARIABLE}=1 for the stack trace)`;
  writeError(`django-sessions: unexpected failure: ${message}. This is a bug; please report it with the command that led to it${trace}\n`);
  return ExitCode.store;
}

/** The exit code design.md gives a store's error. */
export function storeErrorExit(err: StoreError): number {
  switch (err.code) {
    case 'not-found':
      return ExitCode.notFound;
    case 'bad-cursor':
    case 'invalid-key':
    case 'bad-url':
    case 'bad-input':
    case 'missing-secret':
      return ExitCode.usage;
    case 'undecodable':
      return ExitCode.decode;
    default:
      return ExitCode.store;
  }
}
