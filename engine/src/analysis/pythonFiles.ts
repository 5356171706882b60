import * as fs from 'node:fs';
import * as path from 'node:path';
import { holdsPyvenvCfg, isIndexedDirectory, skipsDirectory } from './pythonPaths';
import { isTemplatePath } from './templateSessionReads';

type Takes = (name: string, file: string) => boolean;

const PYTHON: Takes = (name) => name.endsWith('.py');
const INDEXED: Takes = (name, file) => name.endsWith('.py') || isTemplatePath(file);

/**
 * Every `.py` file under a directory, skipping virtualenvs, `node_modules`, VCS dirs and
 * migrations by the rule re-indexing one file applies too (skipsDirectory); a symlinked file
 * counts, a symlinked directory is not entered. Synchronous on
 * purpose: thousands of small `readdir` calls through the libuv thread pool cost several
 * times more than doing them in line.
 */
export function findPythonFiles(root: string): string[] {
  return [...walkFiles(root, PYTHON)].sort();
}

/** What the index reads under a directory: its `.py` files (as findPythonFiles) and templates (see isTemplatePath). */
export function findIndexedFiles(root: string): string[] {
  return [...walkFiles(root, INDEXED)].sort();
}

/**
 * The files findPythonFiles finds, in the order the walk meets them, so a caller may stop at
 * the first; `onSkipped` is told each directory the walk skips.
 */
export function walkPythonFiles(root: string, onSkipped?: (dir: string) => void): Generator<string> {
  return walkFiles(root, PYTHON, onSkipped);
}

function* walkFiles(root: string, takes: Takes, onSkipped?: (dir: string) => void): Generator<string> {
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
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        const file = child(entry.name);
        // A link to a module (Python imports it as any file) counts; a link to a directory is not
        // followed, so no loop or link to / can make the walk endless.
        if (takes(entry.name, file) && (entry.isFile() || linksToFile(file))) {
          yield file;
        }
      }
    }
  }
}

/**
 * The files a scan of `root` would index under `dir`, a directory below it that appeared
 * later (moved or copied in): none when `dir` itself, or a directory between it and `root`, is
 * skipped, such as a virtualenv being created.
 */
export function findIndexedFilesBelow(root: string, dir: string): string[] {
  return isIndexedDirectory(dir, root, holdsPyvenvCfg) ? findIndexedFiles(dir) : [];
}

function linksToFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function readEntries(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
