// Installs a pinned Node 22 runtime into the git-ignored .cache/node22, for the tests of the
// node:sqlite driver (this project's own Node may be 20, which has no node:sqlite). It comes from
// the npm registry as the platform package (node-<os>-<arch>), which is the binary itself with no
// install script. It never lands in the root node_modules, where it would shadow the system Node
// for every npm script. Idempotent; prints the binary's path. Importable: `ensureNode22()`.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE22_VERSION = '22.23.3';
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const prefix = path.join(root, '.cache', 'node22');
const pkg = `node-${process.platform}-${process.arch}`;

/** The path of the pinned Node 22 binary, installing it first when missing or another version. */
export function ensureNode22() {
  const bin = path.join(prefix, 'node_modules', pkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (fs.existsSync(bin)) {
    const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    if (v.stdout.trim() === `v${NODE22_VERSION}`) {
      return bin;
    }
  }
  fs.mkdirSync(prefix, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `${pkg}@${NODE22_VERSION}`], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 || !fs.existsSync(bin)) {
    throw new Error(`Could not install ${pkg}@${NODE22_VERSION} into ${prefix}; check network access to the npm registry.`);
  }
  return bin;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  console.log(ensureNode22());
}
