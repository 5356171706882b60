import * as path from 'node:path';
import type { SettingValue } from './settingValue';

/** `sys.path` as the settings see it: a list they may change, whose directories imports search. */
export type SysPath = Extract<SettingValue, { kind: 'list' }>;

/**
 * `sys.path` when the settings start: the directory of manage.py, which Python puts first. The
 * rest (the standard library, site-packages) is not the project's, so it is left out: a module
 * found there is not part of the project either way.
 */
export function initialSysPath(projectRoot: string): SysPath {
  return { kind: 'list', items: [{ kind: 'str', value: projectRoot }] };
}

/** The directories absolute imports are looked up in, in order; a relative entry is taken from the project root, where manage.py runs. */
export function importRoots(sysPath: SysPath, projectRoot: string): string[] {
  return sysPath.items.flatMap((item) => (item.kind === 'str' || item.kind === 'path' ? [path.resolve(projectRoot, item.value)] : []));
}
