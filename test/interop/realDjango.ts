import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { skipOrFail } from './localServices';

/** Debian's Python, which has python3-django; another python3 may come first on PATH. */
export const PYTHON = '/usr/bin/python3';

let available: boolean | undefined;

/**
 * Skips the calling suite, loudly, when real Django is missing, unless DJS_REQUIRE_SERVICES=1
 * (set by CI), where a missing Django fails the run instead.
 */
export function requireDjango(suite: Mocha.Context): void {
  available ??= spawnSync(PYTHON, ['-c', 'import django'], { stdio: 'ignore' }).status === 0;
  if (available) {
    return;
  }
  skipOrFail(suite, `real Django is missing (${PYTHON} cannot import django): install Debian's python3-django to run the interop tests`);
}

/**
 * Runs a script from test/interop/python with JSON on stdin; returns its JSON stdout. `djangoPath`
 * puts another Django (such as .cache/django52) before the machine's 3.2.
 */
export function runDjangoScript<T>(script: string, args: string[], input: unknown, djangoPath?: string): T {
  const result = spawnSync(PYTHON, [path.join(__dirname, 'python', script), ...args], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    ...(djangoPath ? { env: { ...process.env, PYTHONPATH: djangoPath } } : {}),
  });
  if (result.status !== 0) {
    throw new Error(`${script} failed (${result.status}): ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as T;
}

/** Django 5.2 in .cache/django52 (scripts/ensureDjango52.mjs installs it when missing), or why it is missing. */
export function django52(): { dir?: string; why?: string } {
  const r = spawnSync(process.execPath, [path.join(__dirname, '../../scripts/ensureDjango52.mjs')], { encoding: 'utf8' });
  return r.status === 0 ? { dir: r.stdout.trim() } : { why: r.stderr.trim().split('\n').pop() };
}

/**
 * Django 5.2's directory; when it cannot be installed, skips the calling suite or test loudly,
 * or fails it under DJS_REQUIRE_SERVICES=1 (set by CI), so CI never passes without 5.2's checks.
 */
export function requireDjango52(suite: Mocha.Context): string {
  const { dir, why } = django52();
  if (!dir) {
    skipOrFail(suite, `Django 5.2 could not be installed into .cache/django52 (node scripts/ensureDjango52.mjs): ${why}`);
  }
  return dir;
}

/**
 * Django 5.2's directory for a suite that also has cases for 3.2, whose 5.2 cases skip when it
 * cannot be installed (one loud line); under DJS_REQUIRE_SERVICES=1 that fails the suite instead.
 */
export function django52ForCases(): string | undefined {
  const { dir, why } = django52();
  if (!dir) {
    const message = `Django 5.2 could not be installed into .cache/django52 (node scripts/ensureDjango52.mjs): ${why}`;
    if (process.env.DJS_REQUIRE_SERVICES === '1') {
      throw new Error(message);
    }
    console.warn(`SKIPPED (the Django 5.2 cases): ${message}`);
  }
  return dir;
}

/**
 * One test per Django version, 3.2 (the machine's) and 5.2 (.cache/django52): `body` gets the
 * directory to put on PYTHONPATH, undefined for 3.2 (and may be async). 5.2's test is skipped, or fails under
 * DJS_REQUIRE_SERVICES=1, when it cannot be installed.
 */
export function itOnEachDjango(body: (djangoPath: string | undefined) => void | Promise<void>): void {
  for (const version of ['3.2', '5.2'] as const) {
    it(`Django ${version}`, function () {
      return body(version === '5.2' ? requireDjango52(this) : undefined);
    });
  }
}

/**
 * Runs `code` in the project at `root` as `manage.py shell` would (its `proj.settings`, Django set
 * up), with the Django on `djangoPath` (the machine's 3.2 when undefined); returns its stdout.
 */
export function runInProject(root: string, code: string, djangoPath: string | undefined): string {
  const script = ['import os, sys', `sys.path.insert(0, ${JSON.stringify(root)})`, 'os.environ["DJANGO_SETTINGS_MODULE"] = "proj.settings"', 'import django', 'django.setup()', code].join('\n');
  const run = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8', ...(djangoPath ? { env: { ...process.env, PYTHONPATH: djangoPath } } : {}) });
  if (run.status !== 0) {
    throw new Error(`Django failed (${run.status}): ${run.stderr}`);
  }
  return run.stdout.trim();
}

/**
 * The opening lines of a script that runs real Django in this process: `dir` importable, the
 * contenttypes, auth and sessions apps on an in-memory SQLite database, migrated.
 */
export function inMemoryDjango(dir: string, secretPrefix: string): string[] {
  return [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(dir)})`,
    'import django',
    'from django.conf import settings',
    'settings.configure(',
    `    SECRET_KEY=${JSON.stringify(secretPrefix)} + "x" * 40,`,
    '    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"],',
    '    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},',
    ')',
    'django.setup()',
    'from django.core.management import call_command',
    'call_command("migrate", verbosity=0)',
  ];
}
