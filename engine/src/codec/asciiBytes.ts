let buffer = Buffer.allocUnsafeSlow(1024);
const MAX_KEPT = 1 << 20;

/**
 * The bytes of `text` when it is all ASCII (as session data and cookies are), in a reused
 * buffer valid until the next call; undefined otherwise. One native copy lets the signature
 * check and the base64 decoding read a byte array instead of a (often sliced) string.
 */
export function asciiBytes(text: string): Buffer | undefined {
  const size = text.length * 3;
  // Only buffers of usual session sizes are kept for reuse.
  const target = size <= buffer.length ? buffer : size <= MAX_KEPT ? (buffer = Buffer.allocUnsafeSlow(size)) : Buffer.allocUnsafeSlow(size);
  // UTF-8 takes one byte per char exactly when every char is ASCII.
  const n = target.write(text, 0, 'utf8');
  return n === text.length ? target.subarray(0, n) : undefined;
}
