import type { DecodeOutcome } from './sessionStore';

/**
 * The most stored session data a store reads, in bytes. Far above any session Django could serve
 * in time, and far below what breaks a Node process: a JavaScript string holds at most about
 * 512 MiB, and a database driver that builds a longer one throws where nothing can catch it,
 * ending the process (the language server with it).
 */
export const MAX_STORED_DATA_BYTES = 64 * 1024 * 1024;

/** The outcome of a session whose stored data is `bytes` long, above the limit: left unread. */
export function oversizedData(bytes: number): DecodeOutcome {
  return {
    ok: false,
    code: 'oversized',
    message: `The stored session data is ${bytes} bytes, more than the ${MAX_STORED_DATA_BYTES} read here; it was left unread`,
  };
}
