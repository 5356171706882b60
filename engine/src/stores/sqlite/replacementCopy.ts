import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where this process writes the copy that replaces `file`: beside it, so the rename stays on one file system. */
export function replacementCopyPath(file: string): string {
  return path.join(path.dirname(file), `${copyPrefix(file)}${process.pid}-${Date.now()}`);
}

/** A copy is named `.<name>.djs-<pid>-<ms>`: hidden beside the database, and naming the process that writes it. */
function copyPrefix(file: string): string {
  return `.${path.basename(file)}.djs-`;
}

/**
 * Removes the copies of `file` that a process which no longer runs left behind (killed, or the
 * machine stopped, while it wrote one): each is as large as the database. A copy of a live
 * process, or of this one, may still be renamed over the file, so it stays. (A writer in another
 * container is out of sight: its rename then fails, and it reports that nothing was written.)
 */
export function sweepAbandonedCopies(file: string): void {
  const dir = path.dirname(file);
  const prefix = copyPrefix(file);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) ? Number(/^(\d+)-\d+$/.exec(name.slice(prefix.length))?.[1]) : 0;
    if (pid && pid !== process.pid && !isRunning(pid)) {
      try {
        fs.rmSync(path.join(dir, name), { force: true });
      } catch {
        // Another user's copy in a shared directory: it is theirs to remove.
      }
    }
  }
}

/** Whether a process runs: signal 0 checks without sending; EPERM means it runs as another user. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
