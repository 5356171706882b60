import { StoreError } from '../../engine/src';
import { CliError, ExitCode } from './exitCodes';
import { writeError } from './terminalText';

/**
 * Writes a failed command's one-line message to stderr and returns its exit code. Each CLI
 * bundle holds its own copy of this and of the error classes it tells apart (see
 * sessionCommands), so it is called in the bundle that threw.
 */
export function failureExit(err: unknown): number {
  if (err instanceof CliError) {
    writeError(`django-sessions: ${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof StoreError) {
    writeError(`django-sessions: ${err.message}\n`);
    return storeErrorExit(err);
  }
  writeError(`django-sessions: unexpected failure: ${(err as Error).stack ?? String(err)}\n`);
  return ExitCode.store;
}

function storeErrorExit(err: StoreError): number {
  switch (err.code) {
    case 'not-found':
      return ExitCode.notFound;
    case 'bad-cursor':
    case 'invalid-key':
    case 'bad-url':
    case 'bad-input':
      return ExitCode.usage;
    case 'undecodable':
      return ExitCode.decode;
    default:
      return ExitCode.store;
  }
}
