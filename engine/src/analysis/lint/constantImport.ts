import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileAnalysis } from '../fileAnalysis';
import type { ConstantDefinition } from '../keyResolver';

/**
 * The `from … import NAME` line by which `analysis`'s file can use a module-level constant of
 * another file: relative within one package directory, else absolute from the outermost
 * package holding the constant's module (`shop.keys`), not climbing above `root`. Undefined
 * where Python could not import it so (a directory without `__init__.py`), or where the name is
 * already bound in the file to something else.
 */
export function constantImport(analysis: FileAnalysis, constant: ConstantDefinition, root: string | undefined): string | undefined {
  if (nameTaken(analysis, constant.name)) {
    return undefined;
  }
  const dir = path.dirname(constant.file);
  if (!isPackage(dir)) {
    return undefined;
  }
  const moduleName = path.basename(constant.file, '.py');
  if (path.dirname(analysis.file) === dir) {
    return moduleName === '__init__' ? `from . import ${constant.name}` : `from .${moduleName} import ${constant.name}`;
  }
  let top = dir;
  while (path.dirname(top) !== top && isPackage(path.dirname(top)) && (root === undefined || path.dirname(top).startsWith(root))) {
    top = path.dirname(top);
  }
  const parts = path.relative(path.dirname(top), dir).split(path.sep);
  if (moduleName !== '__init__') {
    parts.push(moduleName);
  }
  return parts.every((part) => /^[A-Za-z_]\w*$/.test(part)) ? `from ${parts.join('.')} import ${constant.name}` : undefined;
}

function nameTaken(analysis: FileAnalysis, name: string): boolean {
  const m = analysis.module;
  return [m.constants, m.computed, m.aliases, m.settingDefaults, m.classes, m.imports, m.moduleAliases].some((names) => names.has(name));
}

function isPackage(dir: string): boolean {
  return fs.existsSync(path.join(dir, '__init__.py'));
}
