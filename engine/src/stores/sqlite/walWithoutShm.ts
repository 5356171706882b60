import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Why SQLite cannot read `file`, when the cause is its directory: a WAL database needs its -shm
 * file, which SQLite creates beside it, even to read, and even opened read-only. Undefined for any
 * other database, or where the -shm file exists or can be created.
 */
export function walWithoutShm(file: string): string | undefined {
  const dir = path.dirname(file);
  if (!inWalMode(file) || fs.existsSync(`${file}-shm`) || writable(dir)) {
    return undefined;
  }
  return `${file} is a WAL-mode database in a directory this user cannot write, so SQLite cannot create the -shm file it needs to read it. Give this user write access to ${dir}, or run this as the user Django runs as, who needs that access too.`;
}

/** The header's read and write versions are 2 in WAL mode. */
function inWalMode(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(20);
      return fs.readSync(fd, head, 0, 20, 0) === 20 && head[18] === 2;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
