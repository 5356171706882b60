/** Why a session string or value could not be decoded or encoded. */
export type CodecErrorCode =
  | 'bad-base64'
  | 'bad-zlib'
  | 'bad-json'
  | 'bad-signature'
  | 'expired'
  | 'unsupported-pickle-global'
  | 'bad-pickle'
  | 'truncated'
  | 'not-a-dict'
  | 'bad-format'
  | 'too-large'
  | 'unserializable'
  | 'unhashable'
  | 'missing-secret';

/** The only error the codec throws; `code` is stable and meant for the UI to branch on. */
export class CodecError extends Error {
  constructor(
    readonly code: CodecErrorCode,
    message: string,
    /** Set when a signature had verified the data before it failed to decode (Django 3.1/3.2 then try the pre-3.1 format on it). */
    readonly afterValidSignature = false,
  ) {
    super(message);
    this.name = 'CodecError';
  }
}
