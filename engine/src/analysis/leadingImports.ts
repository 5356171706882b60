import type { Node } from 'web-tree-sitter';

const IMPORTS = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

/**
 * The 0-based line where a new import goes: below the last import of the module's leading
 * block (past its docstring and comments), which is where a developer adds one. Undefined for a
 * module without such imports: the place is then less certain (an encoding line must stay first).
 */
export function leadingImportsEnd(root: Node): number | undefined {
  let end: number | undefined;
  let docstringAllowed = true;
  for (const statement of root.namedChildren) {
    if (!statement || statement.type === 'comment') {
      continue;
    }
    if (IMPORTS.has(statement.type)) {
      end = statement.endPosition.row + 1;
    } else if (!(docstringAllowed && statement.type === 'expression_statement' && statement.firstNamedChild?.type === 'string')) {
      break;
    }
    docstringAllowed = false;
  }
  return end;
}
