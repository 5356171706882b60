import type { Node } from 'web-tree-sitter';
import { readParsedFile } from '../analysis/parsedFile';
import type { PythonParser } from '../analysis/pythonParser';
import { stringLiteralValue } from '../analysis/stringLiteral';

const SETTINGS_VARIABLE = 'DJANGO_SETTINGS_MODULE';

/**
 * Whether a manage.py is Django's: it imports Django or names DJANGO_SETTINGS_MODULE, as the one
 * startproject writes does, and so does any launcher that runs Django (django-configurations').
 * Flask-Script's manage.py, or a project's own task script of that name, does neither. A file
 * that cannot be read is not taken for Django's.
 */
export function isDjangoManagePy(python: PythonParser, file: string): boolean {
  return (
    readParsedFile(
      python,
      file,
      (root) =>
        root.descendantsOfType(['import_statement', 'import_from_statement']).some((statement) => statement !== null && importsDjango(statement)) ||
        root.descendantsOfType('string').some((node) => node !== null && stringLiteralValue(node) === SETTINGS_VARIABLE),
    ) ?? false
  );
}

/** `import django`, `import django.core.management as m`, `from django.core.management import …`. */
function importsDjango(statement: Node): boolean {
  const modules =
    statement.type === 'import_from_statement'
      ? [statement.childForFieldName('module_name')]
      : statement.namedChildren.map((item) => (item?.type === 'aliased_import' ? item.childForFieldName('name') : item));
  return modules.some((module) => module?.type === 'dotted_name' && module.text.split('.')[0] === 'django');
}
