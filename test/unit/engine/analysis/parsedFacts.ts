import { fileSyntax } from '../../../../engine/src/analysis/fileSyntax';
import { moduleFacts, type ModuleFacts } from '../../../../engine/src/analysis/moduleFacts';
import type { PythonParser } from '../../../../engine/src/analysis/pythonParser';

/** A module's facts as parsing reads them, which the line readers must match. */
export function parsedModuleFacts(python: PythonParser, text: string): ModuleFacts {
  const tree = python.parser.parse(text)!;
  try {
    return moduleFacts(fileSyntax(tree.rootNode, text), '/p/keys.py');
  } finally {
    tree.delete();
  }
}
