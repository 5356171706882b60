/**
 * The Django session codec: signing, serializers and the value model, byte-compatible with
 * Django 3.2 → 5.2. Everything here is pure (no I/O) and throws only CodecError.
 */
export type { PyValue } from './pyValue';
export { PyDate, PyDatetime, PyDecimal, PySet, PyTime, PyTimedelta, PyTimezone, PyTuple, PyUuid } from './pyValue';
export { PyDict } from './pyDict';
export { MAX_SESSION_NESTING, TOO_DEEP, valueNesting } from './valueNesting';
export { PyOrderedDict } from './pyOrderedDict';
export { CodecError, type CodecErrorCode } from './codecError';
export { microsInText, withMicros } from './dateMicros';
export {
  decodeSessionData,
  encodeSessionData,
  DEFAULT_SESSION_SALT,
  SIGNED_COOKIES_SALT,
  type DecodeOptions,
  type DecodedSession,
  type EncodeOptions,
  type SessionDeserializer,
  type SessionSerializer,
} from './sessionDataCodec';
export { pyRepr, pyTypeName, pyChildren } from './pyRepr';
export { pyEquals } from './pyEquals';
export { pyFloatRepr } from './pyFloatRepr';
export { pythonJsonStringify } from './pythonJsonStringify';
export { pythonJsonParse } from './pythonJsonParse';
export { pickleLoads } from './pickleReader';
export { pickleDumps } from './pickleWriter';
export { saltedHmac, signerSignature, type HashAlgorithm } from './saltedHmac';
export { signatureRejection, type SignatureRejection, type SignatureRejectionReason } from './signatureRules';
export { timestampSign, timestampUnsign, type UnsignResult } from './timestampSigner';
export { b62Decode, b62Encode } from './base62';
export { b64urlDecode, b64urlEncode } from './base64url';
export { parsePyIsoformat } from './pyIsoformat';
export { isJsonShaped, parseSessionJson, sessionToDisplayJson } from './sessionJson';
