import type { Node, Tree } from 'web-tree-sitter';

const cache = new WeakMap<Tree, ReadonlySet<string>>();

/** Bases that make a class a Django model: `models.Model`, `Model`, and the auth models' abstract bases. */
const MODEL_BASE = /^(?:(?:models|db\.models|django\.db\.models)\.)?Model$|^(?:\w+\.)*Abstract(?:Base)?User$/;

/**
 * The names a node's file can call to make a Django model instance: module-level classes with
 * a model base (or a base that is such a class of the file), and the capitalised names it
 * imports from a `models` module (`from shop.models import Order`, `from .models import Cart`,
 * `from django.contrib.auth.models import User`). JSONSerializer cannot encode what they make.
 */
export function modelClassNames(node: Node): ReadonlySet<string> {
  let names = cache.get(node.tree);
  if (!names) {
    names = modelClassesOf(node.tree.rootNode);
    cache.set(node.tree, names);
  }
  return names;
}

function modelClassesOf(root: Node): ReadonlySet<string> {
  const models = new Set<string>();
  const bases = new Map<string, string[]>();
  for (const statement of root.namedChildren) {
    if (statement?.type === 'import_from_statement' && /(^|\.)models$/.test(statement.childForFieldName('module_name')?.text ?? '')) {
      for (const imported of statement.childrenForFieldName('name')) {
        const local = imported?.type === 'aliased_import' ? imported.childForFieldName('alias')?.text : imported?.text;
        if (local && /^[A-Z]/.test(local)) models.add(local);
      }
    }
    const definition = statement?.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    const name = definition?.type === 'class_definition' ? definition.childForFieldName('name')?.text : undefined;
    if (name) {
      bases.set(name, definition!.childForFieldName('superclasses')?.namedChildren.flatMap((arg) => (arg && arg.type !== 'keyword_argument' && arg.type !== 'comment' ? [arg.text] : [])) ?? []);
    }
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, of] of bases) {
      if (!models.has(name) && of.some((base) => MODEL_BASE.test(base) || models.has(base))) {
        models.add(name);
        grew = true;
      }
    }
  }
  return models;
}
