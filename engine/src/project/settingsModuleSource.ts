import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceLocation } from '../stores/storeDescriptor';
import { readTextFile } from '../analysis/textFile';

/** Which settings module a project uses and where that was read. */
export interface SettingsModuleSource {
  /** Dotted module, or an explicit file path. */
  module: string;
  via: 'explicit' | 'environment' | '.env' | 'manage.py' | 'wsgi.py' | 'asgi.py';
  location?: SourceLocation;
}

const SETDEFAULT = /environ\s*\.\s*setdefault\(\s*['"]DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]/g;
const ASSIGNMENT = /environ\s*\[\s*['"]DJANGO_SETTINGS_MODULE['"]\s*\]\s*=\s*['"]([\w.]+)['"]/g;

/**
 * Finds the settings module, first match wins: an explicit choice, `DJANGO_SETTINGS_MODULE`
 * in the process environment, then in a `.env` file (which, loaded with python-dotenv's or
 * django-environ's defaults, never overrides the process), then the default that manage.py,
 * wsgi.py or asgi.py sets (what `manage.py runserver` would use when the variable is unset).
 */
export function findSettingsModule(
  projectRoot: string,
  managePy: string,
  explicit: string | undefined,
  env: ReadonlyMap<string, string>,
  dotEnv: ReadonlyMap<string, string>,
): SettingsModuleSource | undefined {
  if (explicit) {
    return { module: explicit, via: 'explicit' };
  }
  const fromProcess = env.get('DJANGO_SETTINGS_MODULE');
  if (fromProcess) {
    return { module: fromProcess, via: 'environment' };
  }
  const fromDotEnv = dotEnv.get('DJANGO_SETTINGS_MODULE');
  if (fromDotEnv) {
    return { module: fromDotEnv, via: '.env' };
  }
  return entryPointSettingsModules(projectRoot, managePy)[0];
}

/**
 * Every settings module manage.py, `*\/wsgi.py` and `*\/asgi.py` name as their default, in
 * that order and each once: a deployment may run wsgi.py with other settings than manage.py.
 */
export function entryPointSettingsModules(projectRoot: string, managePy: string): SettingsModuleSource[] {
  const candidates: [string, SettingsModuleSource['via']][] = [[managePy, 'manage.py']];
  for (const entry of safeReaddir(projectRoot)) {
    for (const name of ['wsgi.py', 'asgi.py'] as const) {
      candidates.push([path.join(projectRoot, entry, name), name]);
    }
  }
  const found = new Map<string, SettingsModuleSource>();
  for (const [file, via] of candidates) {
    for (const { module, location } of settingsDefaultsIn(file)) {
      if (!found.has(module)) {
        found.set(module, { module, via, location });
      }
    }
  }
  return [...found.values()];
}

/** The modules a file sets DJANGO_SETTINGS_MODULE to, outside comments, first assignment form first. */
function settingsDefaultsIn(file: string): { module: string; location: SourceLocation }[] {
  let text: string;
  try {
    text = readTextFile(file);
  } catch {
    return [];
  }
  const found: { module: string; location: SourceLocation }[] = [];
  for (const pattern of [SETDEFAULT, ASSIGNMENT]) {
    for (const match of text.matchAll(pattern)) {
      const before = text.slice(0, match.index);
      const lineStart = before.lastIndexOf('\n') + 1;
      if (!/^\s*#/.test(text.slice(lineStart, match.index + 1))) {
        found.push({ module: match[1]!, location: { file, line: before.split('\n').length, column: match.index - lineStart } });
      }
    }
  }
  return found;
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name);
  } catch {
    return [];
  }
}
