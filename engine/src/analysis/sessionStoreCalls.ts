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

const GETATTR_SESSION = /\bgetattr\s*\(\s*[\w.]*req(?:uest)?\s*,\s*(['"])session\1/i;

/**
 * `getattr(request, "session", None)` (also with another default): the request's session, read
 * defensively as middleware and context processors do before the session middleware may have
 * run. Only on a request (`request`, `self.request`, `req`…): `getattr(self, "session", None)`
 * on some client object may well be an HTTP session.
 */
export function getattrSessionCalls(root: Node, text: string): Node[] {
  if (!GETATTR_SESSION.test(text)) {
    return [];
  }
  const calls: Node[] = [];
  for (const name of nodesSpelled(root, text, 'getattr')) {
    const call = name.type === 'identifier' ? name.parent : null;
    const args = call?.type === 'call' && call.startIndex === name.startIndex ? call.childForFieldName('arguments') : null;
    const [owner, attribute] = (args?.namedChildren ?? []).filter((arg): arg is Node => arg !== null && arg.type !== 'comment');
    if ((owner?.type === 'identifier' || owner?.type === 'attribute') && /req(?:uest)?$/i.test(owner.text) && attribute?.type === 'string' && /^(['"])session\1$/.test(attribute.text)) {
      calls.push(call!);
    }
  }
  return calls;
}
