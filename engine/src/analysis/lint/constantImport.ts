import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileAnalysis } from '../fileAnalysis';
import type { ConstantDefinition } from '../keyResolver';
import type { ModuleRef } from '../moduleRef';
import { holds, isBefore, type Position } from '../range';
import type { LintTextEdit } from './lintDiagnostic';

/** How a fix names a constant at a place in a file: by `name`, with `edit` adding an import the file needs, which `importing` describes. */
interface ConstantReference {
  name: string;
  edit?: LintTextEdit;
  importing?: string;
}

/**
 * The name by which the code at `at` can use a module-level constant of the project, as Python
 * looks names up there: a `from … import` of it in a function around it that runs before it,
 * else one directly in the module (or the constant's own module), unless a function around
 * `at` binds that name for itself; else a new import of it, joined to the module's import from
 * its module where there is one, else on a line below the leading imports. Undefined where no
 * name is safe: a function around `at` binds the constant's name to something else, as does
 * the module, or Python could not import it so. `moduleFile` gives the file an import names.
 */
export function constantReference(analysis: FileAnalysis, constant: ConstantDefinition, at: Position, root: string | undefined, moduleFile: (module: ModuleRef) => string | undefined): ConstantReference | undefined {
  if (constant.name.includes('.')) {
    return undefined;
  }
  const imports = (from: ModuleRef, name: string) => name === constant.name && moduleFile(from) === constant.file;
  // Functions around the place, innermost first: a later start is nested deeper.
  const around = (analysis.functionNames ?? []).filter((fn) => holds(fn.range, at)).sort((a, b) => (isBefore(a.range.start, b.range.start) ? 1 : -1));
  const hidden = new Set<string>();
  for (const fn of around) {
    const imported = fn.imports.find((i) => !hidden.has(i.local) && !isBefore(at, i.end) && imports(i.module, i.name));
    if (imported) {
      return { name: imported.local };
    }
    fn.bound.forEach((name) => hidden.add(name));
  }
  if (constant.file === analysis.file) {
    return hidden.has(constant.name) ? undefined : { name: constant.name };
  }
  const moduleImports = analysis.moduleImports ?? [];
  for (const statement of moduleImports) {
    const local = statement.top && statement.from ? statement.names.find(([name, imported]) => !hidden.has(name) && imports(statement.from!, imported))?.[0] : undefined;
    if (local) {
      return { name: local };
    }
  }
  if (hidden.has(constant.name) || nameTaken(analysis, constant.name)) {
    return undefined;
  }
  const joined = moduleImports.find((statement) => statement.joinAt && statement.from && moduleFile(statement.from) === constant.file);
  if (joined) {
    const beside = joined.names[joined.names.length - 1]![1];
    return { name: constant.name, importing: `import it beside ${beside}`, edit: { file: analysis.file, range: { start: joined.joinAt!, end: joined.joinAt! }, newText: `, ${constant.name}` } };
  }
  const line = analysis.importsEnd === undefined ? undefined : constantImport(analysis, constant, root);
  if (line === undefined) {
    return undefined;
  }
  const place = { line: analysis.importsEnd!, character: 0 };
  return { name: constant.name, importing: line, edit: { file: analysis.file, range: { start: place, end: place }, newText: `${line}\n` } };
}

/**
 * The `from … import NAME` line by which `analysis`'s file can use a module-level constant of
 * another file: relative within one package directory, else absolute from the outermost
 * package holding the constant's module (`shop.keys`), not climbing above `root`. Undefined
 * where Python could not import it so (a directory without `__init__.py`).
 */
function constantImport(analysis: FileAnalysis, constant: ConstantDefinition, root: string | undefined): string | undefined {
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

/** Whether the module binds `name` already: as a constant or other value, a class, or by a module-level import (not one in a function). */
function nameTaken(analysis: FileAnalysis, name: string): boolean {
  const m = analysis.module;
  return [m.constants, m.computed, m.aliases, m.settingDefaults, m.classes].some((names) => names.has(name)) || (analysis.moduleImports ?? []).some((statement) => statement.names.some(([local]) => local === name));
}

function isPackage(dir: string): boolean {
  return fs.existsSync(path.join(dir, '__init__.py'));
}
