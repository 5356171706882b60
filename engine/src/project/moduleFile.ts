import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The file of a Python module, seen from `fromFile` for relative names and from the project
 * root (where manage.py puts itself on `sys.path`) for absolute ones.
 */
export function moduleFile(projectRoot: string, fromFile: string | undefined, moduleText: string): string | undefined {
  return moduleFileCandidates(projectRoot, fromFile, moduleText).find((candidate) => fs.existsSync(candidate));
}

/** `moduleFile` over the directories of `sys.path` (see importRoots), the first that has the module. */
export function moduleFileOnPath(roots: readonly string[], fromFile: string | undefined, moduleText: string): string | undefined {
  return firstFound(roots, (root) => moduleFile(root, fromFile, moduleText));
}

/** `namespacePackageDir` over the directories of `sys.path`, as `moduleFileOnPath`. */
export function namespacePackageDirOnPath(roots: readonly string[], fromFile: string | undefined, moduleText: string): string | undefined {
  return firstFound(roots, (root) => namespacePackageDir(root, fromFile, moduleText));
}

function firstFound(roots: readonly string[], find: (root: string) => string | undefined): string | undefined {
  for (const root of roots) {
    const found = find(root);
    if (found) {
      return found;
    }
  }
  return undefined;
}

/** The files `moduleFile` looks for, whether they exist or not: `a/b.py`, then `a/b/__init__.py`. */
export function moduleFileCandidates(projectRoot: string, fromFile: string | undefined, moduleText: string): string[] {
  const stem = moduleStem(projectRoot, fromFile, moduleText);
  return stem === undefined ? [] : [`${stem}.py`, path.join(stem, '__init__.py')];
}

/** The directory of a namespace package (a package without `__init__.py`), found as `moduleFile` finds modules. */
function namespacePackageDir(projectRoot: string, fromFile: string | undefined, moduleText: string): string | undefined {
  const stem = moduleStem(projectRoot, fromFile, moduleText);
  return stem !== undefined && moduleText !== '' && fs.statSync(stem, { throwIfNoEntry: false })?.isDirectory() ? stem : undefined;
}

function moduleStem(projectRoot: string, fromFile: string | undefined, moduleText: string): string | undefined {
  const dots = /^\.*/.exec(moduleText)?.[0].length ?? 0;
  let base = projectRoot;
  if (dots > 0) {
    if (!fromFile) {
      return undefined;
    }
    base = path.dirname(fromFile);
    for (let i = 1; i < dots; i++) {
      base = path.dirname(base);
    }
  }
  const rest = moduleText.slice(dots);
  return rest ? path.join(base, ...rest.split('.')) : base;
}
