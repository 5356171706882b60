import type { Node } from 'web-tree-sitter';
import { nodesSpelled } from './textAnchors';

const CLASS_NAME = 'SessionStore';

/**
 * `SessionStore(…)` calls (also `engine.SessionStore(…)`, and calls of a name it is imported as:
 * `from ….cache import SessionStore as CacheStore`): Django's session class of any engine,
 * whose instances are sessions in their own right, as a management command or a test makes
 * them (`s = SessionStore(); s["cart"] = []; s.save()`). Their keys are the project's too. A
 * class named so (`class SessionStore(DBStore)`) or its class methods are no instance.
 */
export function sessionStoreCalls(root: Node, text: string): Node[] {
  if (!text.includes(CLASS_NAME)) {
    return [];
  }
  const calls: Node[] = [];
  const importedAs = new Set<string>();
  for (const name of nodesSpelled(root, text, CLASS_NAME)) {
    const parent = name.parent;
    const alias = parent?.type === 'dotted_name' ? importAlias(parent) : undefined;
    if (alias && alias !== CLASS_NAME) {
      importedAs.add(alias);
    }
    // `engine.SessionStore` names the class only as the attribute's name, which does not start it.
    const callee = parent?.type === 'attribute' && parent.startIndex !== name.startIndex ? parent : name.type === 'identifier' ? name : undefined;
    const call = callee?.parent;
    if (call?.type === 'call' && call.startIndex === callee!.startIndex) {
      calls.push(call);
    }
  }
  // Only the import tells a name the class is imported as, so its calls are looked up after; only
  // the bare name's (`x.CacheStore` is some other object's).
  for (const alias of importedAs) {
    for (const name of nodesSpelled(root, text, alias)) {
      const call = name.type === 'identifier' ? name.parent : null;
      if (call?.type === 'call' && call.startIndex === name.startIndex) {
        calls.push(call);
      }
    }
  }
  return calls;
}

/** NAME, when `dotted` is the imported name of `from … import SessionStore as NAME`. */
function importAlias(dotted: Node): string | undefined {
  const aliased = dotted.parent;
  if (aliased?.type !== 'aliased_import' || aliased.parent?.type !== 'import_from_statement') {
    return undefined;
  }
  const alias = aliased.childForFieldName('alias');
  return alias?.type === 'identifier' ? alias.text : undefined;
}
