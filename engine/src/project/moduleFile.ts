import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The file of a Python module, seen from `fromFile` for relative names and from the project
 * root (where manage.py puts itself on `sys.path`) for absolute ones.
 */
export function moduleFile(projectRoot: string, fromFile: string | undefined, moduleText: string): string | undefined {
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
  const stem = rest ? path.join(base, ...rest.split('.')) : base;
  for (const candidate of [`${stem}.py`, path.join(stem, '__init__.py')]) {
    if (fs.existsSync(candidate)) {
      return candidate;
    }
  }
  return undefined;
}
