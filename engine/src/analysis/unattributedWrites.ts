import type { Node } from 'web-tree-sitter';
import { stringLiteralValue } from './stringLiteral';
import { nodesSpelled } from './textAnchors';

const STORES = new Set(['assignment', 'augmented_assignment']);
/**
 * Where such a write may be, from the text alone: `session[` not after a dot or a name
 * character, or `["session"][`; the first only in a file that defines a function taking a
 * `session` parameter (a local alias of `request.session` is counted already). Most files have
 * neither, and are not looked into.
 */
const CHANNELS_SCOPE = /\[\s*(['"])session\1\s*\]\s*\[/;
const CANDIDATES = new RegExp(`${CHANNELS_SCOPE.source}|(?<![.\\w])session\\s*\\[`, 'g');
const SESSION_PARAMETER = /\bdef\s+\w+\s*\([^)]*\bsession\b/;

/**
 * Literal keys stored into what is most likely a Django session but is not counted as one of its
 * usages, since a bare name `session` may be anything (the index leaves such parameters out):
 * `session["k"] = v` on a name `session` (a helper given the session), and Channels'
 * `scope["session"]["k"] = v`. They are not usages; the lint only takes them as writes, so a read
 * of a key a helper writes is not reported as never written.
 */
export function unattributedSessionWrites(root: Node, text: string): string[] {
  const keys: string[] = [];
  if (!SESSION_PARAMETER.test(text) && !CHANNELS_SCOPE.test(text)) {
    return keys;
  }
  const nodes = [...text.matchAll(CANDIDATES)].flatMap((match) => {
    const at = text.indexOf('session', match.index);
    return nodesSpelled(root, text, 'session', at, at + 'session'.length);
  });
  for (const node of nodes) {
    // `session[…]` on the name, or `…["session"][…]` on a subscript by that string.
    const owner = node.type === 'identifier' ? node : node.type === 'string_content' ? sessionSubscript(node) : undefined;
    const subscript = owner?.parent;
    if (!owner || subscript?.type !== 'subscript' || subscript.childForFieldName('value')?.id !== owner.id) {
      continue;
    }
    const store = subscript.parent;
    if (!store || !STORES.has(store.type) || store.childForFieldName('left')?.id !== subscript.id) {
      continue;
    }
    const index = subscript.childForFieldName('subscript');
    const key = index ? stringLiteralValue(index) : undefined;
    if (key !== undefined) {
      keys.push(key);
    }
  }
  return keys;
}

/** The `x["session"]` subscript whose index is this `session` string content. */
function sessionSubscript(content: Node): Node | undefined {
  const literal = content.parent;
  const subscript = literal?.parent;
  return literal?.type === 'string' && subscript?.type === 'subscript' && subscript.childForFieldName('subscript')?.id === literal.id ? subscript : undefined;
}
