import * as fs from 'node:fs';
import * as path from 'node:path';
import { holdsPyvenvCfg, isIndexedDirectory, skipsDirectory } from './pythonPaths';

/**
 * Every `.py` file under a directory, skipping virtualenvs, `node_modules`, VCS dirs and
 * migrations by the rule re-indexing one file applies too (skipsDirectory). Synchronous on
 * purpose: thousands of small `readdir` calls through the libuv thread pool cost several
 * times more than doing them in line.
 */
export function findPythonFiles(root: string): string[] {
  return [...walkPythonFiles(root)].sort();
}

/**
 * The files findPythonFiles finds, in the order the walk meets them, so a caller may stop at
 * the first; `onSkipped` is told each directory the walk skips.
 */
export function* walkPythonFiles(root: string, onSkipped?: (dir: string) => void): Generator<string> {
  const pending: { dir: string; name: string }[] = [{ dir: root, name: '' }];
  while (pending.length > 0) {
    const { dir, name } = pending.pop()!;
    let entries: fs.Dirent[] | undefined;
    // Read once, and only for a directory its name does not skip: its entries tell a virtualenv too.
    const read = (): fs.Dirent[] => (entries ??= readEntries(dir));
    if (dir !== root && skipsDirectory(name, () => read().some((entry) => entry.name === 'pyvenv.cfg' && entry.isFile()))) {
      onSkipped?.(dir);
      continue;
    }
    // Below the root every directory is already normalized, and an entry name holds no
    // separator, so appending is what path.join would give, without its normalizing pass.
    const child = dir === root ? (entry: string) => path.join(dir, entry) : (entry: string) => dir + path.sep + entry;
    for (const entry of read()) {
      if (entry.isDirectory()) {
        pending.push({ dir: child(entry.name), name: entry.name });
      } else if (entry.isFile() && entry.name.endsWith('.py')) {
        yield child(entry.name);
      }
    }
  }
}

/**
 * The `.py` files a scan of `root` would find under `dir`, a directory below it that appeared
 * later (moved or copied in): none when `dir` itself, or a directory between it and `root`, is
 * skipped, such as a virtualenv being created.
 */
export function findPythonFilesBelow(root: string, dir: string): string[] {
  return isIndexedDirectory(dir, root, holdsPyvenvCfg) ? findPythonFiles(dir) : [];
}

function readEntries(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
