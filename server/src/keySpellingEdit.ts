import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver/node';
import { isTemplateLookupKey, type KeySpelling } from '../../engine/src';

/** One literal string, the whole of the text: prefix, opening quote, content, the same quote. */
const STRING_LITERAL = /^([A-Za-z]*)('''|"""|'|")([\s\S]*)\2$/;
const IDENTIFIER = /^[\p{ID_Start}_]\p{ID_Continue}*$/u;
const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);

/**
 * The edit that writes `key` where `spelling` spells a key in `document`, in the form already
 * there (its prefix and quotes kept, braces doubled in an f-string), or the reason it cannot
 * be written there. `place` names the spot in that reason. The caller refuses a `key` with a
 * quote, backslash or line break, which is what lets any literal hold it as it is.
 */
export function spellingEdit(document: TextDocument, spelling: KeySpelling, key: string, place: string): TextEdit | string {
  if (spelling.kind === 'concatenation') {
    return `the key is written as adjacent string literals at ${place}, which a rename cannot split; join them into one literal first`;
  }
  if (spelling.kind === 'lookup') {
    // Django's template engine refuses a lookup that starts with an underscore.
    if (!/^[A-Za-z]\w*$/.test(key) || PYTHON_KEYWORDS.has(key)) {
      return `"${key}" cannot be looked up as request.session.${key} in the template at ${place}; only a name of letters, digits and _ (not first) can`;
    }
    return isTemplateLookupKey(key)
      ? { range: spelling.range, newText: key }
      : `"${key}" cannot be looked up as request.session.${key} in the template at ${place}: that names the session's own ${key} (in Jinja2 always, in Django where the key is missing)`;
  }
  if (spelling.kind === 'keyword') {
    return IDENTIFIER.test(key) && !PYTHON_KEYWORDS.has(key)
      ? { range: spelling.range, newText: key }
      : `"${key}" cannot be the keyword argument of update() at ${place}; pass that key in a dict to rename it`;
  }
  const literal = STRING_LITERAL.exec(document.getText(spelling.range));
  if (!literal) {
    return `the key at ${place} is not a string literal in the file as it is now`;
  }
  const contentStart = document.offsetAt(spelling.range.start) + literal[1]!.length + literal[2]!.length;
  const range = { start: document.positionAt(contentStart), end: document.positionAt(contentStart + literal[3]!.length) };
  return { range, newText: /f/i.test(literal[1]!) ? key.replace(/[{}]/g, '$&$&') : key };
}
