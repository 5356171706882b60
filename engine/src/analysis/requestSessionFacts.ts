import type { Node } from 'web-tree-sitter';
import { isRequestSession } from './lookalikeSessions';
import { nodeRange, type Range } from './range';

/** `hasattr(request, "session")`: code that checks for the session first runs without one too. */
const CHECKS_FOR_SESSION = /hasattr\(\s*(?:self\.)?request\s*,\s*['"]session['"]\s*\)/;
/** `setattr(request, "session", store)`, a session given as `request.session = store` gives it. */
const SETS_SESSION = /setattr\(\s*(?:self\.)?request\s*,\s*['"]session['"]\s*,/;

/**
 * What a file's `.session` attributes (see sessionAttributes) say of a request's session
 * (`request.session`, `self.request.session`): where it is first read, which raises
 * AttributeError on a request no session middleware gave one; and whether the file gives
 * requests one itself (`request.session = SessionStore(key)` or its `setattr`, a middleware of
 * its own). Reads in a file that checks `hasattr(request, "session")` do not count.
 */
export function requestSessionFacts(attributes: readonly Node[], text: string): { requestSessionUse?: Range; setsRequestSession?: true } {
  const facts: { requestSessionUse?: Range; setsRequestSession?: true } = SETS_SESSION.test(text) ? { setsRequestSession: true } : {};
  const guarded = CHECKS_FOR_SESSION.test(text);
  for (const attribute of attributes) {
    if (!isRequestSession(attribute)) {
      continue;
    }
    const parent = attribute.parent;
    if (parent?.type === 'assignment' && parent.childForFieldName('left')?.id === attribute.id) {
      facts.setsRequestSession = true;
    } else if (!guarded && !facts.requestSessionUse) {
      facts.requestSessionUse = nodeRange(attribute);
    }
  }
  return facts;
}
