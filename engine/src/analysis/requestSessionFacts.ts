import type { Node } from 'web-tree-sitter';
import { isRequest, isRequestSession } from './lookalikeSessions';
import { nodeRange, type Range } from './range';
import { isRequestNamed, isSessionName } from './sessionStoreCalls';
import { nodesSpelled } from './textAnchors';

/**
 * What a file's `.session` attributes (see sessionAttributes) and its `getattr(request,
 * "session"…)` calls (see getattrSessionCalls) say of a request's session (`request.session`,
 * `self.request.session`): where it is first read, which raises AttributeError on a request no
 * session middleware gave one; and whether the file gives requests one itself
 * (`request.session = SessionStore(key)` or `setattr(request, "session", …)`, a middleware of
 * its own). Reads in a file that checks for the session first (`hasattr(req, "session")`,
 * `getattr(request, "session", None)`) do not count: such code runs without one too. Only the
 * calls themselves count, not their text in a comment, a docstring or a string.
 */
export function requestSessionFacts(attributes: readonly Node[], getattrCalls: readonly Node[], root: Node, text: string): { requestSessionUse?: Range; setsRequestSession?: true } {
  const facts: { requestSessionUse?: Range; setsRequestSession?: true } = {};
  if (builtinCallArguments(root, text, 'setattr').some(([owner, name, value]) => isRequest(owner) && isSessionName(name) && value !== undefined)) {
    facts.setsRequestSession = true;
  }
  const getattrs = getattrCalls.map(callArguments);
  const guarded = getattrs.some((args) => args.length > 2) || builtinCallArguments(root, text, 'hasattr').some(([owner, name]) => isRequestNamed(owner) && isSessionName(name));
  let first: Node | undefined;
  for (const attribute of attributes) {
    if (!isRequestSession(attribute)) {
      continue;
    }
    const parent = attribute.parent;
    if (parent?.type === 'assignment' && parent.childForFieldName('left')?.id === attribute.id) {
      facts.setsRequestSession = true;
    } else {
      first ??= attribute;
    }
  }
  if (guarded) {
    return facts;
  }
  getattrCalls.forEach((call, i) => {
    if (getattrs[i]!.length === 2 && isRequest(getattrs[i]![0]) && (!first || call.startIndex < first.startIndex)) {
      first = call;
    }
  });
  if (first) {
    facts.requestSessionUse = nodeRange(first);
  }
  return facts;
}

/** The arguments of each call of the builtin `name` (`hasattr(…)`, not `obj.hasattr(…)`) in the file. */
function builtinCallArguments(root: Node, text: string, name: string): Node[][] {
  return nodesSpelled(root, text, name).flatMap((found) => {
    const call = found.type === 'identifier' ? found.parent : null;
    return call?.type === 'call' && call.childForFieldName('function')?.id === found.id ? [callArguments(call)] : [];
  });
}

/** A call's arguments, without the comments between them. */
function callArguments(call: Node): Node[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter((arg): arg is Node => arg !== null && arg.type !== 'comment');
}
