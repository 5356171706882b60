import * as fsNow from 'node:fs';
import * as fs from 'node:fs/promises';
import { MAX_STORED_DATA_BYTES } from '../storedDataLimit';

/**
 * What stands for the text of a session file above MAX_STORED_DATA_BYTES, which is never read:
 * its size, mtime and inode, so any save (Django renames a new file over the old one) changes it,
 * and a compare-and-swap still tells a changed file. It starts with U+0100, which no latin1 text holds.
 */
function oversizedText(stat: fsNow.Stats): string {
  return `\u0100${stat.size}:${stat.mtimeMs}:${stat.ino}`;
}

/** The size in bytes of the file that `text`, from fileText or fileTextNow, stands for when it was too large to read. */
export function oversizedBytes(text: string): number | undefined {
  return text.startsWith('\u0100') ? Number(text.slice(1, text.indexOf(':'))) : undefined;
}

/** A session file's text as latin1, or what stands for it when it is too large to read. */
export async function fileText(file: string): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const stat = await handle.stat();
    return stat.size > MAX_STORED_DATA_BYTES ? oversizedText(stat) : await handle.readFile('latin1');
  } finally {
    await handle.close();
  }
}

/** fileText, synchronously. */
export function fileTextNow(file: string): string {
  const fd = fsNow.openSync(file, 'r');
  try {
    const stat = fsNow.fstatSync(fd);
    return stat.size > MAX_STORED_DATA_BYTES ? oversizedText(stat) : fsNow.readFileSync(fd, 'latin1');
  } finally {
    fsNow.closeSync(fd);
  }
}
