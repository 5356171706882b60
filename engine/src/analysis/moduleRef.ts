import * as path from 'node:path';

/**
 * A module an import names: relative imports are fixed to a path without extension at
 * analysis time; absolute ones stay dotted and are matched against file paths by suffix.
 */
export type ModuleRef = { kind: 'path'; path: string } | { kind: 'dotted'; name: string };

/** The module a `from X import …` names, seen from `file`. */
export function moduleRefFor(file: string, moduleText: string): ModuleRef {
  const dots = /^\.*/.exec(moduleText)?.[0].length ?? 0;
  if (dots === 0) {
    return { kind: 'dotted', name: moduleText };
  }
  let dir = path.dirname(file);
  for (let i = 1; i < dots; i++) {
    dir = path.dirname(dir);
  }
  const rest = moduleText.slice(dots);
  return { kind: 'path', path: rest ? path.join(dir, ...rest.split('.')) : dir };
}

/** The submodule `name` of a module. */
export function childModule(ref: ModuleRef, name: string): ModuleRef {
  return ref.kind === 'path' ? { kind: 'path', path: path.join(ref.path, name) } : { kind: 'dotted', name: `${ref.name}.${name}` };
}
