import * as fs from 'node:fs';
import * as path from 'node:path';
import { holdsPyvenvCfg } from '../analysis/pythonPaths';

/**
 * The site-packages directories of the project's virtualenvs: each directory beside manage.py
 * or beside the project's directory (a monorepo's `.venv` next to `backend/`) that holds a
 * `pyvenv.cfg`, as the index tells them. Installed packages are read from there as files, like
 * any settings module; nothing in them is run.
 */
export function virtualenvSitePackages(projectRoot: string): string[] {
  // Reading one project asks several times; a virtualenv made or removed beside it changes a directory's mtime.
  const stamp = [projectRoot, path.dirname(projectRoot)].map((dir) => fs.statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? -1).join('|');
  const known = lastLookup.get(projectRoot);
  if (known?.stamp === stamp) {
    return [...known.found];
  }
  const found = lookUp(projectRoot);
  lastLookup.set(projectRoot, { stamp, found });
  return found;
}

/** The last answer per project directory, with the directory mtimes it was read at. */
const lastLookup = new Map<string, { stamp: string; found: string[] }>();

function lookUp(projectRoot: string): string[] {
  const found: string[] = [];
  for (const dir of new Set([projectRoot, path.dirname(projectRoot)])) {
    for (const venv of childDirectories(dir).filter(holdsPyvenvCfg)) {
      // POSIX venvs keep them under lib/pythonX.Y, Windows ones under Lib.
      const versions = childDirectories(path.join(venv, 'lib')).filter((lib) => /^python\d+\.\d+$/.test(path.basename(lib)));
      for (const candidate of [...versions.map((lib) => path.join(lib, 'site-packages')), path.join(venv, 'Lib', 'site-packages')]) {
        if (fs.statSync(candidate, { throwIfNoEntry: false })?.isDirectory() && !found.includes(candidate)) {
          found.push(candidate);
        }
      }
    }
  }
  return found;
}

function childDirectories(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(dir, entry.name))
      .sort();
  } catch {
    return [];
  }
}
