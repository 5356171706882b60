import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The nearest directory above `dir` that holds a manage.py, as a linter run on one app of a
 * project (`lint shop/`, a pre-commit hook's files) must read the whole project for its keys and
 * settings. The search stops at the repository's root (a directory holding `.git`), so a project
 * in a checkout never borrows one from the directories that hold the checkout.
 */
export function enclosingProjectRoot(dir: string): string | undefined {
  for (let at = path.dirname(dir), below = dir; at !== below; below = at, at = path.dirname(at)) {
    if (fs.existsSync(path.join(below, '.git'))) {
      return undefined;
    }
    if (fs.existsSync(path.join(at, 'manage.py'))) {
      return at;
    }
  }
  return undefined;
}
