import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceLocation } from '../stores/storeDescriptor';
import { type SettingValue, stringOf, truthiness, unknown } from './settingValue';

/**
 * django-environ's `Path`, as older cookiecutter-django settings use it
 * (`ROOT_DIR = environ.Path(__file__) - 3`, `APPS_DIR = ROOT_DIR.path("app")`,
 * `str(APPS_DIR("sessions"))`). It is held as a `path` value: its root, always absolute
 * (`os.path.abspath`, against the project root where manage.py runs). Only an environ.Path
 * is called, subtracted from or has `.path()`, so those operations on a path value are its.
 */
export function environPath(start: SettingValue | undefined, parts: SettingValue[], keywords: ReadonlyMap<string, SettingValue>, projectRoot: string, here: SourceLocation): SettingValue {
  const isFile = keywords.get('is_file');
  const root = start === undefined ? '' : stringOf(start);
  if (root === undefined || (isFile && truthiness(isFile) === undefined)) {
    return notStatic(start?.kind === 'unknown' ? start : isFile, here);
  }
  const joined = absoluteJoin(isFile && truthiness(isFile) ? path.dirname(root) : root, parts, keywords, projectRoot, here);
  return joined.kind === 'str' ? { kind: 'path', value: joined.value } : joined;
}

/** `root(*paths)` on an environ.Path: the absolute joined path, as a str. */
export function environPathCall(root: string, parts: SettingValue[], keywords: ReadonlyMap<string, SettingValue>, projectRoot: string, here: SourceLocation): SettingValue {
  return absoluteJoin(root, parts, keywords, projectRoot, here);
}

/** `root - n`: the directory n levels up (`self.path('../' * n)`). */
export function environPathUp(root: string, levels: number): SettingValue {
  return { kind: 'path', value: path.resolve(root, '../'.repeat(Math.max(levels, 0))) };
}

/** `_absolute_join`: `os.path.abspath(os.path.join(base, *paths))`; with `required=True`, ImproperlyConfigured unless it exists. */
function absoluteJoin(base: string, parts: SettingValue[], keywords: ReadonlyMap<string, SettingValue>, projectRoot: string, here: SourceLocation): SettingValue {
  const strings = parts.map(stringOf);
  const unreadable = parts.find((_part, i) => strings[i] === undefined);
  if (unreadable) {
    return notStatic(unreadable, here);
  }
  const joined = path.resolve(projectRoot, path.join(base, ...(strings as string[])));
  const required = keywords.get('required');
  if (required && truthiness(required) !== false && !fs.existsSync(joined)) {
    return unknown(truthiness(required) ? `environ.Path raises ImproperlyConfigured: ${joined} is required and does not exist` : 'cannot tell whether environ.Path requires the path', here);
  }
  return { kind: 'str', value: joined };
}

function notStatic(value: SettingValue | undefined, here: SourceLocation): SettingValue {
  return value?.kind === 'unknown' ? value : unknown('cannot evaluate this environ.Path statically', here);
}
