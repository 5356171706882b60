import * as fs from 'node:fs';
import * as path from 'node:path';

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__', 'migrations', 'site-packages', 'dist-packages', '.tox', '.nox', '.mypy_cache', '.pytest_cache']);
const VIRTUALENV_NAME = /^\.?venv|^\.?env$|^virtualenv$/;

/**
 * Whether a directory is never part of the project's own code (virtualenvs, caches,
 * migrations) by its name; a virtualenv under another name is told by its `pyvenv.cfg`.
 */
export function isSkippedDirectory(name: string): boolean {
  return SKIPPED_DIRS.has(name) || isVirtualenvName(name);
}

/** Whether a directory's name is one virtualenvs are usually given: `venv`, `.venv`, `env`, `virtualenv`. */
export function isVirtualenvName(name: string): boolean {
  return VIRTUALENV_NAME.test(name);
}

/**
 * The one rule by which the index skips a directory below a root, shared by the full scan
 * (findPythonFiles) and re-indexing one file: by its name, or as a virtualenv under any name,
 * which holds a `pyvenv.cfg`. `hasPyvenvCfg` is asked only when the name does not tell.
 */
export function skipsDirectory(name: string, hasPyvenvCfg: () => boolean): boolean {
  return isSkippedDirectory(name) || hasPyvenvCfg();
}

/** Whether a directory on disk holds a `pyvenv.cfg`, as every virtualenv does. */
export function holdsPyvenvCfg(dir: string): boolean {
  try {
    return fs.statSync(path.join(dir, 'pyvenv.cfg')).isFile();
  } catch {
    return false;
  }
}

/**
 * Whether the index takes a Python file: no directory between `root` (exclusive) and the file
 * is skipped (see skipsDirectory). `hasPyvenvCfg` tells whether a directory holds a
 * `pyvenv.cfg`; by default none is looked for, as when the files come from findPythonFiles,
 * whose walk has already left virtualenvs out. Re-indexing one file passes `holdsPyvenvCfg`.
 */
export function isIndexedPythonPath(file: string, root?: string, hasPyvenvCfg: (dir: string) => boolean = () => false): boolean {
  return file.endsWith('.py') && isIndexedDirectory(path.dirname(file), root, hasPyvenvCfg);
}

/** Whether the index takes Python files in `directory`: neither it nor a directory above it, up to `root` (exclusive), is skipped. */
export function isIndexedDirectory(directory: string, root?: string, hasPyvenvCfg: (dir: string) => boolean = () => false): boolean {
  const stop = root && directory.startsWith(root) ? root.length : 0;
  for (let dir = directory; dir.length > stop; dir = path.dirname(dir)) {
    if (skipsDirectory(path.basename(dir), () => hasPyvenvCfg(dir))) {
      return false;
    }
    if (path.dirname(dir) === dir) {
      break;
    }
  }
  return true;
}

/**
 * Whether a file is test code: under a `tests` package or named like a test module. Only
 * the part below `root` counts, so a project that itself lives under a `tests` folder is not all test code.
 */
export function isTestPath(file: string, root?: string): boolean {
  const relative = root && file.startsWith(root) ? file.slice(root.length) : file;
  const segments = relative.split(/[\\/]/).filter(Boolean);
  const base = segments[segments.length - 1] ?? '';
  if (/^(test_.*|.*_tests?|tests?|conftest)\.py$/.test(base)) {
    return true;
  }
  return segments.slice(0, -1).some((segment) => segment === 'tests' || segment === 'test');
}
