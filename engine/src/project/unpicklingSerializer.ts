import type { Node } from 'web-tree-sitter';
import type { PythonParser } from '../analysis/pythonParser';
import { readTextFile } from '../analysis/textFile';
import type { SourceLocation } from '../stores/storeDescriptor';
import { moduleFileOnPath } from './moduleFile';

/** A call that unpickles: `pickle.loads(data)`, `cPickle.load(f)`, dill's and cloudpickle's alike. */
const UNPICKLES = /^(?:c?pickle|_pickle|dill|cloudpickle)\.loads?$/i;

/**
 * Where a project's own SESSION_SERIALIZER class unpickles session data: a `pickle.loads(...)`
 * (or `load`, dill's, cloudpickle's, or a `loads` imported from pickle) in the class, or the
 * class itself where it subclasses a `PickleSerializer`. LFS ships one for Django 5, which
 * removed Django's: it is the same risk, since anyone who learns SECRET_KEY can sign a session
 * that runs code when it is read. Undefined when the class is not in the project or does not.
 */
export function unpicklingSerializer(python: PythonParser, serializerPath: string, projectRoot: string): SourceLocation | undefined {
  const dot = serializerPath.lastIndexOf('.');
  const file = dot > 0 ? moduleFileOnPath([projectRoot], undefined, serializerPath.slice(0, dot)) : undefined;
  let text: string;
  try {
    text = file ? readTextFile(file) : '';
  } catch {
    return undefined;
  }
  const tree = file && text.includes(serializerPath.slice(dot + 1)) ? python.parser.parse(text) : null;
  if (!file || !tree) {
    return undefined;
  }
  try {
    const cls = tree.rootNode.namedChildren.map((statement) => (statement?.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement)).find((statement) => statement?.type === 'class_definition' && statement.childForFieldName('name')?.text === serializerPath.slice(dot + 1));
    const found = cls ? unpicklingIn(cls, importedLoads(tree.rootNode)) : undefined;
    return found ? { file, line: found.startPosition.row + 1, column: found.startPosition.column } : undefined;
  } finally {
    tree.delete();
  }
}

/** The call in a class that unpickles, or the class where a base is a PickleSerializer. */
function unpicklingIn(cls: Node, loads: ReadonlySet<string>): Node | undefined {
  if (/(^|\.)PickleSerializer$/.test(cls.childForFieldName('superclasses')?.namedChildren.map((base) => base?.text ?? '').find((base) => /PickleSerializer$/.test(base)) ?? '')) {
    return cls;
  }
  return cls.descendantsOfType('call').find((call) => {
    const callee = call?.childForFieldName('function')?.text ?? '';
    return UNPICKLES.test(callee) || loads.has(callee);
  }) ?? undefined;
}

/** Local names bound to pickle's load functions: `from pickle import loads as unpickle`. */
function importedLoads(root: Node): Set<string> {
  const names = new Set<string>();
  for (const statement of root.descendantsOfType('import_from_statement')) {
    if (!/^(?:c?pickle|_pickle|dill|cloudpickle)$/i.test(statement?.childForFieldName('module_name')?.text ?? '')) {
      continue;
    }
    for (const item of statement!.childrenForFieldName('name')) {
      const name = item?.type === 'aliased_import' ? item.childForFieldName('name')?.text : item?.text;
      const local = item?.type === 'aliased_import' ? item.childForFieldName('alias')?.text : name;
      if ((name === 'loads' || name === 'load') && local) names.add(local);
    }
  }
  return names;
}
