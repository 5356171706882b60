import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceLocation } from '../stores/storeDescriptor';

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
 * in the environment or a `.env` file, then the default that manage.py, wsgi.py or asgi.py
 * sets (what `manage.py runserver` would use when the variable is unset).
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
  if (fromProcess && !dotEnv.has('DJANGO_SETTINGS_MODULE')) {
    return { module: fromProcess, via: 'environment' };
  }
  const fromDotEnv = dotEnv.get('DJANGO_SETTINGS_MODULE');
  if (fromDotEnv) {
    return { module: fromDotEnv, via: '.env' };
  }
  const candidates: [string, SettingsModuleSource['via']][] = [[managePy, 'manage.py']];
  for (const entry of safeReaddir(projectRoot)) {
    for (const name of ['wsgi.py', 'asgi.py'] as const) {
      candidates.push([path.join(projectRoot, entry, name), name]);
    }
  }
  for (const [file, via] of candidates) {
    const found = settingsDefaultIn(file);
    if (found) {
      return { module: found.module, via, location: found.location };
    }
  }
  return undefined;
}

function settingsDefaultIn(file: string): { module: string; location: SourceLocation } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  for (const pattern of [SETDEFAULT, ASSIGNMENT]) {
    for (const match of text.matchAll(pattern)) {
      const before = text.slice(0, match.index);
      const lineStart = before.lastIndexOf('\n') + 1;
      if (!/^\s*#/.test(text.slice(lineStart, match.index + 1))) {
        return { module: match[1]!, location: { file, line: before.split('\n').length, column: match.index - lineStart } };
      }
    }
  }
  return undefined;
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name);
  } catch {
    return [];
  }
}
