
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '__pycache__', 'migrations', 'site-packages', '.tox', '.nox', '.mypy_cache', '.pytest_cache']);

/**
 * Whether a directory is never part of the project's own code (virtualenvs, caches,
 * migrations) by its name; a virtualenv under another name is told by its `pyvenv.cfg`.
 */
export function isSkippedDirectory(name: string): boolean {
  return SKIPPED_DIRS.has(name) || /^\.?venv|^\.?env$|^virtualenv$/.test(name);
}

/** Whether a Python file path lies under a skipped directory (below `root`), so the index ignores it. */
export function isIndexedPythonPath(file: string, root?: string): boolean {
  if (!file.endsWith('.py')) {
    return false;
  }
  const relative = root && file.startsWith(root) ? file.slice(root.length) : file;
  return !relative.split(/[\\/]/).slice(0, -1).some((segment) => SKIPPED_DIRS.has(segment) || /^\.?venv/.test(segment));
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
