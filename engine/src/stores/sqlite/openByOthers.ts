import * as fs from 'node:fs';

/**
 * Whether another process we can see holds the file open (Linux, via /proc). A process with an
 * open SQLite connection would keep writing to the old inode after a rename-over, losing its
 * writes, so a snapshot driver must not replace the file then. Processes of other users are not
 * visible; elsewhere this answers undefined ("cannot tell").
 */
export function openByOtherProcess(file: string): boolean | undefined {
  if (process.platform !== 'linux') {
    return undefined;
  }
  let target: string;
  let pids: string[];
  try {
    target = fs.realpathSync(file);
    pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid);
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === target) {
          return true;
        }
      } catch {
        // The process closed it or exited meanwhile.
      }
    }
  }
  return false;
}
