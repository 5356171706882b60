import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { readParsedFile } from '../analysis/parsedFile';
import type { PythonParser } from '../analysis/pythonParser';
import { stringLiteralValue } from '../analysis/stringLiteral';
import { moduleFile } from './moduleFile';

const SETTINGS_VARIABLE = 'DJANGO_SETTINGS_MODULE';

/**
 * Whether a manage.py is Django's: it imports Django or names DJANGO_SETTINGS_MODULE, as the one
 * startproject writes does, and so does any launcher that runs Django (django-configurations').
 * A manage.py that leaves both to a module of the project it imports (`from mysite.boot import
 * main`, a helper setting DJANGO_SETTINGS_MODULE) counts where that module does either. Flask-Script's
 * manage.py, or a project's own task script of that name, does neither. A file that cannot be
 * read is not taken for Django's.
 */
export function isDjangoManagePy(python: PythonParser, file: string): boolean {
  const imported = readParsedFile(python, file, (root) => (runsDjango(root) ? true : importedModules(root)));
  if (imported === undefined || imported === true) {
    return imported ?? false;
  }
  return imported.some((module) => {
    const source = moduleFile(path.dirname(file), file, module);
    return source !== undefined && (readParsedFile(python, source, runsDjango) ?? false);
  });
}

/** Whether a module imports Django (`import django…`, `from django… import …`) or names DJANGO_SETTINGS_MODULE. */
function runsDjango(root: Node): boolean {
  return (
    importStatements(root).some((statement) => {
      const names = importedNames(statement);
      const modules = statement.type === 'import_from_statement' ? names.slice(0, 1) : names;
      return modules.some((name) => name.split('.')[0] === 'django');
    }) || root.descendantsOfType('string').some((node) => node !== null && stringLiteralValue(node) === SETTINGS_VARIABLE)
  );
}

/** The modules a file imports, `a.b` of `from a import b` included as it may name a submodule. */
function importedModules(root: Node): string[] {
  return importStatements(root).flatMap((statement) => {
    const names = importedNames(statement);
    if (statement.type !== 'import_from_statement') {
      return names;
    }
    const [from, ...items] = names;
    return from === undefined ? [] : [from, ...items.map((item) => `${from}${from.endsWith('.') ? '' : '.'}${item}`)];
  });
}

function importStatements(root: Node): Node[] {
  return root.descendantsOfType(['import_statement', 'import_from_statement']).filter((statement): statement is Node => statement !== null);
}

/**
 * The dotted names in an import: `import django.core.management as m` gives the module, `from
 * django.core import management` the module first, then the names it imports.
 */
function importedNames(statement: Node): string[] {
  const names = statement.namedChildren.map((item) => (item?.type === 'aliased_import' ? item.childForFieldName('name') : item));
  return names.flatMap((name) => (name?.type === 'dotted_name' || name?.type === 'relative_import' ? [name.text] : []));
}
