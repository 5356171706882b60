import type { Node } from 'web-tree-sitter';
import type { PythonParser } from './pythonParser';
import { readTextFile } from './textFile';

/**
 * What `read` finds in a Python file's syntax tree, which is freed after (its memory is the
 * parser's, not the garbage collector's); undefined where the file cannot be read or parsed.
 */
export function readParsedFile<T>(python: PythonParser, file: string, read: (root: Node, text: string) => T): T | undefined {
  let text: string;
  try {
    text = readTextFile(file);
  } catch {
    return undefined;
  }
  const tree = python.parser.parse(text);
  if (!tree) {
    return undefined;
  }
  try {
    return read(tree.rootNode, text);
  } finally {
    tree.delete();
  }
}
