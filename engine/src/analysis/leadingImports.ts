import type { Node } from 'web-tree-sitter';

const IMPORTS = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

/**
 * The 0-based line where a new import goes: below the last import of the module's leading
 * block (past its docstring and comments), which is where a developer adds one. In a module
 * without such imports, below its docstring, else above its first statement: below the comments
 * that open it, as an encoding line must stay first.
 */
export function leadingImportsEnd(root: Node): number {
  let end: number | undefined;
  let docstringEnd: number | undefined;
  let docstringAllowed = true;
  for (const statement of root.namedChildren) {
    if (!statement || statement.type === 'comment') {
      continue;
    }
    if (IMPORTS.has(statement.type)) {
      end = statement.endPosition.row + 1;
    } else if (docstringAllowed && statement.type === 'expression_statement' && statement.firstNamedChild?.type === 'string') {
      docstringEnd = statement.endPosition.row + 1;
    } else {
      return end ?? docstringEnd ?? statement.startPosition.row;
    }
    docstringAllowed = false;
  }
  return end ?? docstringEnd ?? root.endPosition.row + 1;
}
