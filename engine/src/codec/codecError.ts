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
  ) {
    super(message);
    this.name = 'CodecError';
  }
}
