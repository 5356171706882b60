import type { Node } from 'web-tree-sitter';
import { nodesSpelled } from './textAnchors';

const CLASS_NAME = 'SessionStore';

/**
 * `SessionStore(…)` calls (also `engine.SessionStore(…)`): Django's session class of any
 * engine, whose instances are sessions in their own right, as a management command or a test
 * makes them (`s = SessionStore(); s["cart"] = []; s.save()`). Their keys are the project's
 * too. A class named so (`class SessionStore(DBStore)`) or its class methods are no instance.
 */
export function sessionStoreCalls(root: Node, text: string): Node[] {
  if (!text.includes(CLASS_NAME)) {
    return [];
  }
  const calls: Node[] = [];
  for (const name of nodesSpelled(root, text, CLASS_NAME)) {
    const parent = name.parent;
    // `engine.SessionStore` names the class only as the attribute's name, which does not start it.
    const callee = parent?.type === 'attribute' && parent.startIndex !== name.startIndex ? parent : name.type === 'identifier' ? name : undefined;
    const call = callee?.parent;
    if (call?.type === 'call' && call.startIndex === callee!.startIndex) {
      calls.push(call);
    }
  }
  return calls;
}
