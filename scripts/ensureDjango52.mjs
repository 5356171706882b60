// Installs Django 5.2 (with asgiref and sqlparse) into the git-ignored .cache/django52, for the
// interop tests that check the codec against a Django newer than the machine's 3.2: ISO-string
// expiries, real SECRET_KEY_FALLBACKS, and the end of legacy and sha1 data. It uses
// `pip install --target` with the machine's configured pip index, so nothing else on the machine
// changes; Python finds it through PYTHONPATH. Idempotent; prints the directory. Importable:
// `ensureDjango52()`, which throws when pip cannot install it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DJANGO52_VERSION = '5.2.17';
/** The interpreter of the interop tests (test/interop/realDjango.ts). */
export const PYTHON = '/usr/bin/python3';
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const DJANGO52_DIR = path.join(root, '.cache', 'django52');

/** Whether the pinned Django is already in the directory (its dist-info names the version). */
export function django52Installed() {
  return fs.existsSync(path.join(DJANGO52_DIR, `django-${DJANGO52_VERSION}.dist-info`)) || fs.existsSync(path.join(DJANGO52_DIR, `Django-${DJANGO52_VERSION}.dist-info`));
}

/** The directory holding Django 5.2 for PYTHONPATH, installing it first when missing or another version. */
export function ensureDjango52() {
  if (django52Installed()) {
    return DJANGO52_DIR;
  }
  // A half-finished or other-version install is replaced whole.
  fs.rmSync(DJANGO52_DIR, { recursive: true, force: true });
  fs.mkdirSync(DJANGO52_DIR, { recursive: true });
  const r = spawnSync(PYTHON, ['-m', 'pip', 'install', '--quiet', '--no-input', '--root-user-action=ignore', '--retries', '0', '--target', DJANGO52_DIR, `Django==${DJANGO52_VERSION}`], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 || !django52Installed()) {
    fs.rmSync(DJANGO52_DIR, { recursive: true, force: true });
    throw new Error(`Could not install Django ${DJANGO52_VERSION} into ${DJANGO52_DIR} with ${PYTHON} -m pip; check that pip can reach its configured index.`);
  }
  return DJANGO52_DIR;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    console.log(ensureDjango52());
  } catch (err) {
    // The last line of stderr is the reason, for the test that skips on it.
    console.error(err.message);
    process.exitCode = 1;
  }
}
