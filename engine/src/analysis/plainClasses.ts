import type { Node, Tree } from 'web-tree-sitter';

const cache = new WeakMap<Tree, ReadonlySet<string>>();
const DATACLASS = /^@(dataclasses\.)?dataclass\b/;

/**
 * The module-level classes of a node's file whose instances JSON cannot encode: those without
 * bases, or derived only from `object` and other such classes of the file, also under
 * `@dataclass` (Misago's `JamCache`). A class with any other base (dict, str, a model, an
 * import) or a metaclass, or under another decorator, may well be JSON data, so it is none.
 */
export function plainClassNames(node: Node): ReadonlySet<string> {
  let names = cache.get(node.tree);
  if (!names) {
    names = plainClassesOf(node.tree.rootNode);
    cache.set(node.tree, names);
  }
  return names;
}

function plainClassesOf(root: Node): ReadonlySet<string> {
  const bases = new Map<string, string[]>();
  for (const statement of root.namedChildren) {
    const definition = statement?.type === 'decorated_definition' && statement.namedChildren.every((child) => child?.type !== 'decorator' || DATACLASS.test(child.text)) ? statement.childForFieldName('definition') : statement;
    const name = definition?.type === 'class_definition' ? definition.childForFieldName('name')?.text : undefined;
    const args = definition?.childForFieldName('superclasses')?.namedChildren.filter((arg) => arg?.type !== 'comment') ?? [];
    if (name && args.every((arg) => arg?.type === 'identifier')) {
      bases.set(name, args.map((arg) => arg!.text));
    }
  }
  const plain = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, of] of bases) {
      if (!plain.has(name) && of.every((base) => base === 'object' || plain.has(base))) {
        plain.add(name);
        grew = true;
      }
    }
  }
  return plain;
}
