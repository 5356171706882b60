import * as fs from 'node:fs';

// Python sources are small: one buffer, reused, spares an fstat and an allocation per file.
const buffer = Buffer.allocUnsafe(1 << 16);

/**
 * A file's text as `fs.readFileSync(file, 'utf8')` gives it (and throws as it does), read
 * through a shared buffer: a cold scan reads thousands of small files in a row.
 */
export function readTextFile(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    let length = 0;
    let read: number;
    do {
      read = fs.readSync(fd, buffer, length, buffer.length - length, null);
      length += read;
    } while (read > 0 && length < buffer.length);
    return length < buffer.length ? buffer.toString('utf8', 0, length) : fs.readFileSync(file, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}
