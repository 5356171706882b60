import * as fs from 'node:fs';

/**
 * Gives a file being written (`fd`) the owner and group of the file it will replace, as a store
 * that replaces a file by rename must: a Django running as another user, or writing through the
 * group, could not use the file otherwise. False where they cannot be kept (not root, and the
 * file another user's): the caller then refuses the write.
 */
export function keepFileOwner(fd: number, original: fs.Stats): boolean {
  if (original.uid === process.getuid?.() && original.gid === process.getgid?.()) {
    return true;
  }
  try {
    fs.fchownSync(fd, original.uid, original.gid);
    return true;
  } catch {
    return false;
  }
}
