import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { importStatements } from '../analysis/fileSyntax';
import { importBindings, type ImportBinding } from '../analysis/moduleFacts';
import { childModule, type ModuleRef } from '../analysis/moduleRef';
import { readParsedFile } from '../analysis/parsedFile';
import type { PythonParser } from '../analysis/pythonParser';
import { stringLiteralValue } from '../analysis/stringLiteral';
import { moduleFile } from './moduleFile';

const SETTINGS_VARIABLE = 'DJANGO_SETTINGS_MODULE';

/** How many imports from manage.py the link to Django may be: `manage.py` → `mysite/cli.py` → `mysite/boot.py`. */
const IMPORT_DEPTH = 2;

/**
 * Whether a manage.py is Django's: it imports Django or names DJANGO_SETTINGS_MODULE, as the one
 * startproject writes does, and so does any launcher that runs Django (django-configurations').
 * A manage.py that leaves both to a module of the project it imports (`from mysite.boot import
 * main`, a helper setting DJANGO_SETTINGS_MODULE), or to one such a module imports, counts where
 * that module does either; each module is read once, so modules that import each other end the
 * search. Flask-Script's manage.py, or a project's own task script of that name, does neither. A
 * file that cannot be read is not taken for Django's.
 */
export function isDjangoManagePy(python: PythonParser, file: string): boolean {
  const projectRoot = path.dirname(file);
  const seen = new Set([file]);
  let files = [file];
  for (let depth = 0; files.length > 0; depth++) {
    const next: string[] = [];
    for (const source of files) {
      const imported = readParsedFile(python, source, (root, text) => {
        const bindings = fileImports(root, text, source);
        return runsDjango(root, bindings) ? true : depth < IMPORT_DEPTH ? importedModules(bindings) : [];
      });
      if (imported === true) {
        return true;
      }
      for (const module of imported ?? []) {
        const found = moduleSource(projectRoot, module);
        if (found !== undefined && !seen.has(found)) {
          seen.add(found);
          next.push(found);
        }
      }
    }
    files = next;
  }
  return false;
}

/** A file's imports, as the index reads them (see importBindings). */
function fileImports(root: Node, text: string, file: string): ImportBinding[] {
  return importStatements(root, text).flatMap((statement) => importBindings(statement, file));
}

/** Whether a module imports Django (`import django…`, `from django… import …`) or names DJANGO_SETTINGS_MODULE. */
function runsDjango(root: Node, bindings: readonly ImportBinding[]): boolean {
  return (
    bindings.some(({ module }) => module.kind === 'dotted' && module.name.split('.')[0] === 'django') ||
    root.descendantsOfType('string').some((node) => node !== null && stringLiteralValue(node) === SETTINGS_VARIABLE)
  );
}

/** The modules a file imports, `a.b` of `from a import b` included as it may name a submodule. */
function importedModules(bindings: readonly ImportBinding[]): ModuleRef[] {
  return bindings.flatMap((binding) => (binding.kind === 'name' ? [binding.module, childModule(binding.module, binding.name)] : [binding.module]));
}

/** The file of a module of the project: a relative import's from its path, an absolute one's from the project root. */
function moduleSource(projectRoot: string, module: ModuleRef): string | undefined {
  if (module.kind === 'dotted') {
    return moduleFile(projectRoot, undefined, module.name);
  }
  return [`${module.path}.py`, path.join(module.path, '__init__.py')].find((candidate) => fs.existsSync(candidate));
}
