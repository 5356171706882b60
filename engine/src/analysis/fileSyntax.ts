import type { Node } from 'web-tree-sitter';
import { isExpressionNode, nodesSpelled } from './textAnchors';

/** A class definition with the parts the analysis reads. */
interface ClassSyntax {
  node: Node;
  name: Node;
  /** The `(…)` after the name, when there is one. */
  bases?: Node;
  body: Node;
}

/** The definitions and imports of one parsed file, each list in source order. */
export interface FileSyntax {
  functions: Node[];
  classes: ClassSyntax[];
  /** `import …` and `from … import …` statements anywhere, including inside functions. */
  imports: Node[];
  /** `NAME = value` statements directly at module level. */
  moduleAssignments: { name: Node; value: Node }[];
}

/**
 * Finds the definitions and imports of a file from their keywords in the text, so only the
 * few nodes that matter cross from WASM into JavaScript.
 */
export function fileSyntax(root: Node, text: string): FileSyntax {
  const functions = nodesSpelled(root, text, 'def').flatMap((keyword) => {
    const parent = keyword.type === 'def' ? keyword.parent : null;
    return parent?.type === 'function_definition' ? [parent] : [];
  });
  const classes = nodesSpelled(root, text, 'class').flatMap((keyword) => {
    const parent = keyword.type === 'class' ? keyword.parent : null;
    const syntax = parent?.type === 'class_definition' ? classSyntax(parent) : undefined;
    return syntax ? [syntax] : [];
  });
  return { functions, classes, imports: importStatements(root, text), moduleAssignments: moduleAssignments(root) };
}

/** The `import …` and `from … import …` statements of a file, anywhere in it, in source order (FileSyntax.imports). */
export function importStatements(root: Node, text: string): Node[] {
  return nodesSpelled(root, text, 'import').flatMap((keyword) => {
    const parent = keyword.type === 'import' ? keyword.parent : null;
    return parent?.type === 'import_statement' || parent?.type === 'import_from_statement' ? [parent] : [];
  });
}

function classSyntax(node: Node): ClassSyntax | undefined {
  const name = node.childForFieldName('name');
  const body = node.childForFieldName('body');
  if (name?.type !== 'identifier' || body?.type !== 'block') {
    return undefined;
  }
  const bases = node.childForFieldName('superclasses');
  return bases?.type === 'argument_list' ? { node, name, bases, body } : { node, name, body };
}

function moduleAssignments(root: Node): { name: Node; value: Node }[] {
  const found: { name: Node; value: Node }[] = [];
  for (const statement of root.namedChildren) {
    if (statement?.type !== 'expression_statement') {
      continue;
    }
    for (const assignment of statement.namedChildren) {
      if (assignment?.type !== 'assignment') {
        continue;
      }
      const name = assignment.childForFieldName('left');
      const value = assignment.childForFieldName('right');
      if (name?.type === 'identifier' && isExpressionNode(value)) {
        found.push({ name, value });
      }
    }
  }
  return found;
}
