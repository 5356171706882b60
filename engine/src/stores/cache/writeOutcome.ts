import { StoreError } from '../storeError';

/**
 * A write whose connection failed after it was sent may have been applied: the server can run a
 * command and then stop answering. So a connection error on a write says its outcome is unknown
 * instead of reading as "nothing changed".
 */
export function writeOutcomeUnknown(err: unknown): unknown {
  if (!(err instanceof StoreError) || err.code !== 'connection') {
    return err;
  }
  return new StoreError('connection', `${err.message.replace(/\.$/, '')}. The write may or may not have been applied; read the session again before retrying.`);
}
