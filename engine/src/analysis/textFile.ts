import * as fs from 'node:fs';
import { decodeSource } from './sourceEncoding';

// Python sources are small: one buffer, reused, spares an fstat and an allocation per file.
const buffer = Buffer.allocUnsafe(1 << 16);

/**
 * A file's text as Python and an editor read it (see decodeSource: a Python file's declared
 * encoding, no leading byte-order mark, a lone CR as a line break); throws as
 * `fs.readFileSync` does. A byte-order mark kept, or a lone CR not taken as a line break, would
 * put positions a column or lines off what VS Code shows. Read through a shared buffer: a cold
 * scan reads thousands of small files in a row.
 */
export function readTextFile(file: string): string {
  const fd = fs.openSync(file, 'r');
  let bytes: Buffer;
  try {
    let length = 0;
    let read: number;
    do {
      read = fs.readSync(fd, buffer, length, buffer.length - length, null);
      length += read;
    } while (read > 0 && length < buffer.length);
    bytes = length < buffer.length ? buffer.subarray(0, length) : fs.readFileSync(file);
  } finally {
    fs.closeSync(fd);
  }
  return decodeSource(bytes, file.endsWith('.py'));
}
