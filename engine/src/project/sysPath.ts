import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SettingValue } from './settingValue';

/** `sys.path` as the settings see it: a list they may change, whose directories imports search. */
export type SysPath = Extract<SettingValue, { kind: 'list' }>;

/**
 * `sys.path` when the settings start: the directory of manage.py, which Python puts first, then
 * where an editable install of the project itself (`pip install -e .`) puts its code (see
 * installedRoots). The rest (the standard library, site-packages) is not the project's, so it is
 * left out: a module found there is not part of the project either way.
 */
export function initialSysPath(projectRoot: string): SysPath {
  const roots = [...new Set([projectRoot, ...installedRoots(projectRoot)])];
  return { kind: 'list', items: roots.map((value) => ({ kind: 'str', value })) };
}

/** How many directories above manage.py's the project's own packaging (pyproject.toml, setup.py) is looked for. */
const PACKAGING_LEVELS = 3;

/**
 * The directories an install of the project's own code adds to `sys.path`: the `src/` of the
 * nearest directory at or above manage.py's that packages it (django-oscar's `src/oscar`), else
 * that directory itself (Label Studio, whose `label_studio/` holds manage.py and is imported as
 * `label_studio.core…`); and the parent of a manage.py directory that is itself a package.
 */
function installedRoots(projectRoot: string): string[] {
  const roots: string[] = [];
  if (fs.existsSync(path.join(projectRoot, '__init__.py'))) {
    roots.push(path.dirname(projectRoot));
  }
  let dir = projectRoot;
  for (let level = 0; level <= PACKAGING_LEVELS; level++) {
    if (packagesProject(dir)) {
      const src = path.join(dir, 'src');
      roots.push(isDirectory(src) ? src : dir);
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      break;
    }
    dir = parent;
  }
  return roots;
}

/** Whether a directory holds packaging that installs its code: setup.py, setup.cfg, or a pyproject.toml with a project or build system. */
function packagesProject(dir: string): boolean {
  if (fs.existsSync(path.join(dir, 'setup.py')) || fs.existsSync(path.join(dir, 'setup.cfg'))) {
    return true;
  }
  try {
    return /^\[(project|build-system|tool\.poetry)\]/m.test(fs.readFileSync(path.join(dir, 'pyproject.toml'), 'utf8'));
  } catch {
    return false;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** The directories absolute imports are looked up in, in order; a relative entry is taken from the project root, where manage.py runs. */
export function importRoots(sysPath: SysPath, projectRoot: string): string[] {
  return sysPath.items.flatMap((item) => (item.kind === 'str' || item.kind === 'path' ? [path.resolve(projectRoot, item.value)] : []));
}
