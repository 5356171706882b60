import * as fs from 'node:fs';

// Python sources are small: one buffer, reused, spares an fstat and an allocation per file.
const buffer = Buffer.allocUnsafe(1 << 16);

const BYTE_ORDER_MARK = '\uFEFF';

/**
 * A file's text as an editor shows it: `fs.readFileSync(file, 'utf8')` (which it throws as),
 * less a leading byte-order mark. VS Code drops the mark from a document's text, so positions
 * found in text that kept it would be a column off on the first line. Read through a shared
 * buffer: a cold scan reads thousands of small files in a row.
 */
export function readTextFile(file: string): string {
  const fd = fs.openSync(file, 'r');
  let text: string;
  try {
    let length = 0;
    let read: number;
    do {
      read = fs.readSync(fd, buffer, length, buffer.length - length, null);
      length += read;
    } while (read > 0 && length < buffer.length);
    text = length < buffer.length ? buffer.toString('utf8', 0, length) : fs.readFileSync(file, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
  return text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
}
