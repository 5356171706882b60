import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Copies a fixture project to a temp dir and adds the directories that must be skipped
 * (a virtualenv, node_modules) there, since git ignores such folders in the repository.
 */
export function copyFixtureWithSkippedDirs(fixture: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-keys-'));
  fs.cpSync(fixture, dir, { recursive: true });
  const venv = path.join(dir, '.venv', 'lib', 'python3.11', 'site-packages', 'pkg');
  fs.mkdirSync(venv, { recursive: true });
  fs.writeFileSync(path.join(dir, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\n');
  fs.writeFileSync(path.join(venv, 'x.py'), 'request.session["from_venv"] = 1\n');
  fs.mkdirSync(path.join(dir, 'node_modules', 'pkg'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'node_modules', 'pkg', 'x.py'), 'request.session["from_node_modules"] = 1\n');
  fs.mkdirSync(path.join(dir, 'env2'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'env2', 'pyvenv.cfg'), 'home = /usr/bin\n');
  fs.writeFileSync(path.join(dir, 'env2', 'y.py'), 'request.session["from_named_venv"] = 1\n');
  return dir;
}
