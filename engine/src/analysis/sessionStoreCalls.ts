import type { Node } from 'web-tree-sitter';
import { nodesSpelled } from './textAnchors';

const CLASS_NAME = 'SessionStore';

/**
 * `SessionStore(…)` calls (also `engine.SessionStore(…)`, and calls of a name it is imported as,
 * `from ….cache import SessionStore as CacheStore`, or bound to, `_STORE =
 * import_module(settings.SESSION_ENGINE).SessionStore`): Django's session class of any engine,
 * whose instances are sessions in their own right, as a management command or a test makes
 * them (`s = SessionStore(); s["cart"] = []; s.save()`). Their keys are the project's too. So
 * are calls of a function or method of the file that returns one (`create_session(key)`,
 * `self.get_client_session()`: social-app-django's and Evennia's). A class named so (`class
 * SessionStore(DBStore)`) or its class methods are no instance.
 */
export function sessionStoreCalls(root: Node, text: string): Node[] {
  if (!text.includes(CLASS_NAME)) {
    return [];
  }
  const calls: Node[] = [];
  const namedAs = new Set<string>();
  for (const name of nodesSpelled(root, text, CLASS_NAME)) {
    const parent = name.parent;
    const alias = parent?.type === 'dotted_name' ? importAlias(parent) : parent?.type === 'attribute' ? boundName(parent) : undefined;
    if (alias && alias !== CLASS_NAME) {
      namedAs.add(alias);
    }
    // `engine.SessionStore` names the class only as the attribute's name, which does not start it.
    const callee = parent?.type === 'attribute' && parent.startIndex !== name.startIndex ? parent : name.type === 'identifier' ? name : undefined;
    const call = callee?.parent;
    if (call?.type === 'call' && call.startIndex === callee!.startIndex) {
      calls.push(call);
    }
  }
  // Only the import or assignment tells a name the class goes by, so its calls are looked up
  // after; only the bare name's (`x.CacheStore` is some other object's).
  for (const alias of namedAs) {
    calls.push(...callsOf(root, text, alias, false));
  }
  const makers = new Set(calls.flatMap((call) => returningFunction(call) ?? []));
  for (const maker of makers) {
    calls.push(...callsOf(root, text, maker, true));
  }
  return calls;
}

/** The calls of `name` in the file: bare, and with `method` as `self.name(…)` or `cls.name(…)` too. */
function callsOf(root: Node, text: string, name: string, method: boolean): Node[] {
  const calls: Node[] = [];
  for (const found of nodesSpelled(root, text, name)) {
    const parent = found.type === 'identifier' ? found.parent : null;
    const onSelf = method && parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === found.id && /^(self|cls)$/.test(parent.childForFieldName('object')?.text ?? '');
    const callee = onSelf ? parent : found;
    const call = callee?.parent;
    if (call?.type === 'call' && call.startIndex === callee!.startIndex && call.childForFieldName('function')?.id === callee!.id) {
      calls.push(call);
    }
  }
  return calls;
}

/**
 * The function whose `return` gives this call's value, also from inside an `if` or `try` of it:
 * `def create_session(key): return engine.SessionStore(key)`, Evennia's `get_client_session`.
 */
function returningFunction(call: Node): string | undefined {
  if (call.parent?.type !== 'return_statement') {
    return undefined;
  }
  let fn: Node | null = call.parent.parent;
  while (fn && fn.type !== 'function_definition' && fn.type !== 'class_definition' && fn.type !== 'lambda') {
    fn = fn.parent;
  }
  const name = fn?.type === 'function_definition' ? fn.childForFieldName('name')?.text : undefined;
  return name === CLASS_NAME ? undefined : name;
}

/** NAME, when `attribute` (`….SessionStore`, not called) is the whole value of `NAME = ….SessionStore`. */
function boundName(attribute: Node): string | undefined {
  const assignment = attribute.parent;
  const left = assignment?.type === 'assignment' && assignment.childForFieldName('right')?.id === attribute.id ? assignment.childForFieldName('left') : null;
  return left?.type === 'identifier' ? left.text : undefined;
}

/**
 * `session.get_decoded()` of a `django.contrib.sessions` Session row (a "log out a user
 * everywhere" command's loop, AWX's): the session's data as a dict, whose reads are of its keys.
 */
export function decodedSessionCalls(root: Node, text: string): Node[] {
  if (!text.includes('get_decoded')) {
    return [];
  }
  return nodesSpelled(root, text, 'get_decoded').flatMap((name) => {
    const attribute = name.type === 'identifier' ? name.parent : null;
    const call = attribute?.type === 'attribute' && attribute.childForFieldName('attribute')?.id === name.id ? attribute.parent : null;
    const args = call?.type === 'call' ? call.childForFieldName('arguments') : null;
    return call && args?.namedChildCount === 0 ? [call] : [];
  });
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
    if (isRequestNamed(owner) && isSessionName(attribute)) {
      calls.push(call!);
    }
  }
  return calls;
}

/** A name or attribute that names a request (`request`, `self.request`, `req`…), as getattrSessionCalls takes its owner. */
export function isRequestNamed(owner: Node | undefined): boolean {
  return (owner?.type === 'identifier' || owner?.type === 'attribute') && /req(?:uest)?$/i.test(owner.text);
}

/** The string literal `"session"` (or `'session'`), an attribute's name as getattr and its kin take it. */
export function isSessionName(name: Node | undefined): boolean {
  return name?.type === 'string' && /^(['"])session\1$/.test(name.text);
}
