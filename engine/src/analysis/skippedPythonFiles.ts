import * as fs from 'node:fs';
import * as path from 'node:path';
import { walkPythonFiles } from './pythonFiles';
import { holdsPyvenvCfg, isVirtualenvName } from './pythonPaths';

/** A directory the index skips as not the project's own code, though it holds Python files. */
export interface SkippedPythonDirectory {
  dir: string;
  reason: 'installed packages' | 'a virtualenv' | 'migrations' | 'tool files';
  /** Its `.py` files, at any depth. */
  files: number;
}

const INSTALLED_PACKAGES = new Set(['site-packages', 'dist-packages']);

/**
 * Why the index takes no Python file under `root`: undefined when it takes one; else the
 * skipped directories below it that hold `.py` files, most first (none when it holds no Python
 * at all). For `lint` and `scan`, which would otherwise report a clean tree they never read.
 * Stops at the first file it takes, so a project with code costs a few directory reads.
 */
export function skippedPythonFiles(root: string): SkippedPythonDirectory[] | undefined {
  const skipped: string[] = [];
  if (!walkPythonFiles(root, (dir) => skipped.push(dir)).next().done) {
    return undefined;
  }
  return skipped
    .map((dir) => ({ dir, reason: skipReason(dir), files: countPythonFiles(dir) }))
    .filter((skippedDir) => skippedDir.files > 0)
    .sort((a, b) => b.files - a.files || a.dir.localeCompare(b.dir));
}

function skipReason(dir: string): SkippedPythonDirectory['reason'] {
  const name = path.basename(dir);
  if (INSTALLED_PACKAGES.has(name)) {
    return 'installed packages';
  }
  if (name === 'migrations') {
    return 'migrations';
  }
  return isVirtualenvName(name) || holdsPyvenvCfg(dir) ? 'a virtualenv' : 'tool files';
}

/** Every `.py` file below a directory, none skipped; symlinked directories are not followed. */
function countPythonFiles(dir: string): number {
  let count = 0;
  const pending = [dir];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(next, { withFileTypes: true });
    } catch {
      // An unreadable directory counts none, as the index reads none of it.
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        pending.push(path.join(next, entry.name));
      } else if (entry.isFile() && entry.name.endsWith('.py')) {
        count++;
      }
    }
  }
  return count;
}
