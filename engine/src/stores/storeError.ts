/** Why a store operation failed, so each adapter can say what to do about it. */
export type StoreErrorCode =
  | 'not-found'
  | 'missing-table'
  | 'unsupported'
  | 'connection'
  | 'bad-url'
  | 'bad-cursor'
  | 'conflict'
  | 'untrusted'
  | 'exists'
  | 'write-refused'
  | 'permission-denied'
  | 'constraint'
  | 'busy'
  | 'cancelled'
  | 'invalid-key'
  | 'undecodable'
  | 'missing-secret'
  | 'bad-input';

/** A store failure with a message that names the cause and the fix. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
