import type { Node } from 'web-tree-sitter';
import { keyLiteral, keyLiteralContent } from './keyLiteralText';
import { preferredQuote } from './preferredQuote';
import type { KeyHelper } from './keyParameterHelpers';
import type { PythonParser } from './pythonParser';
import type { Range } from './range';
import type { SessionKeyIndex } from './sessionKeyIndex';
import { isTemplateLookupKey, isTemplateQuotedKey } from './templateSessionReads';

/** Where a session key is being typed: the text to replace and what was typed so far. */
export interface SessionKeyCompletionContext {
  /** The key's characters between the quotes (up to the cursor's word end when unclosed); empty at the cursor where no quote is typed yet. */
  range: Range;
  prefix: string;
  /** The literal's quote; where none is typed yet, the one the file's strings use most. */
  quote: string;
  /** The literal's prefix letters, lower-cased (`r`, `f`), where it has any. */
  literalPrefix?: string;
  /** Set where no quote is typed yet (`request.session[|]`): a key goes in as a whole literal. */
  bare?: true;
  /**
   * Set in a template: `lookup` in `request.session.|`, `quoted` in a quoted key. A key goes in as
   * it is where the template reads it so: a name the lookup takes, a literal with no quote or backslash.
   */
  template?: 'lookup' | 'quoted';
}

/** What completing `key` writes over the context's range; undefined where the literal being typed cannot hold it (a quote in a raw string). */
export function keyCompletionText(context: SessionKeyCompletionContext, key: string): string | undefined {
  if (context.template) {
    return (context.template === 'lookup' ? isTemplateLookupKey(key) : isTemplateQuotedKey(key)) ? key : undefined;
  }
  return context.bare ? keyLiteral(key, context.quote) : keyLiteralContent(key, context.literalPrefix ?? '', context.quote);
}

const KEY_METHODS = new Set(['get', 'aget', 'pop', 'apop', 'setdefault', 'asetdefault', 'aset', 'has_key', 'ahas_key']);
const UPDATE_METHODS = new Set(['update', 'aupdate']);

/** The key-parameter helpers of a name (see SessionKeyIndex.keyHelpersNamed). */
type HelpersNamed = (name: string, method: boolean) => KeyHelper[];

/**
 * If the cursor is inside the string of a session-key access (`request.session['|']`,
 * `.get('|')`, `.update({'|': 1})`, `'|' in request.session`, an alias of a session, and given
 * the index, the key argument of a helper's call: `remember(request, '|')`), returns the replaceable
 * range and the typed prefix. Works on half-typed code such as `request.session['`, where
 * tree-sitter's error recovery leaves the tokens in an ERROR node. Right after the bracket of
 * `request.session[|]` or `.get(|)`, before any quote, the key is offered as a whole literal.
 * A bytes literal (`b'|'`) is no str key, so nothing is offered in one.
 */
export function sessionKeyCompletionContext(
  parserSource: SessionKeyIndex | PythonParser,
  text: string,
  line: number,
  character: number,
): SessionKeyCompletionContext | undefined {
  const python = 'python' in parserSource ? parserSource.python : parserSource;
  const lineText = text.split('\n')[line];
  if (lineText === undefined || character > lineText.length) {
    return undefined;
  }
  const tree = python.parser.parse(text);
  if (!tree) {
    return undefined;
  }
  try {
    const aliases = aliasesIn(tree.rootNode);
    const bare = bareKeyContext(tree.rootNode, lineText, line, character, aliases);
    if (bare) {
      return bare;
    }
    const starts = tree.rootNode.descendantsOfType('string_start', { row: line, column: 0 }, { row: line, column: character });
    const start = starts.filter((node): node is Node => node !== null && node.endPosition.row === line && node.endPosition.column <= character).pop();
    if (!start) {
      return undefined;
    }
    const quote = start.text.slice(-1);
    const literalPrefix = start.text.replace(/['"]/g, '').toLowerCase();
    const contentStart = start.endPosition.column;
    const typed = lineText.slice(contentStart, character);
    const helpers: HelpersNamed = 'python' in parserSource ? (name, method) => parserSource.keyHelpersNamed(name, method) : () => [];
    if (typed.includes(quote) || literalPrefix.includes('b') || !isKeyPosition(start, aliases, helpers)) {
      return undefined;
    }
    const closing = lineText.indexOf(quote, character);
    const wordEnd = character + (/^[\w\-.:]*/.exec(lineText.slice(character))?.[0].length ?? 0);
    const end = closing !== -1 && start.parent?.type === 'string' ? closing : wordEnd;
    const range = { start: { line, character: contentStart }, end: { line, character: end } };
    return literalPrefix === '' ? { range, prefix: typed, quote } : { range, prefix: typed, quote, literalPrefix };
  } finally {
    tree.delete();
  }
}

/**
 * The key about to be typed right after `request.session[` or the `(` of `.get(` (spaces
 * between allowed), where what follows the cursor closes the access (`if request.session.get(|):`)
 * or nothing does: no quote yet, and no name being typed.
 */
function bareKeyContext(root: Node, lineText: string, line: number, character: number, aliases: Set<string>): SessionKeyCompletionContext | undefined {
  const opener = /[[(]\s*$/.exec(lineText.slice(0, character));
  if (!opener || !/^\s*([\])]|\r?$)/.test(lineText.slice(character))) {
    return undefined;
  }
  // The bracket's own token: one inside a string or a comment is no bracket.
  const token = root.descendantForPosition({ row: line, column: opener.index });
  if (token?.type !== opener[0][0]) {
    return undefined;
  }
  const isKey = token.type === '[' ? isSessionReceiver(token.previousSibling, aliases) : opensSessionCall(token, KEY_METHODS, aliases);
  return isKey ? { range: { start: { line, character }, end: { line, character } }, prefix: '', quote: quoteWithin(token, preferredQuote(root)), bare: true } : undefined;
}

/**
 * The quote a literal takes at `token`: inside the `{…}` of an f-string quoted with `preferred`,
 * the other one, since before Python 3.12 that quote ends the f-string (`f"{request.session["cart"]}"`
 * does not parse). A triple-quoted f-string holds either.
 */
function quoteWithin(token: Node, preferred: string): string {
  for (let node = token.parent; node; node = node.parent) {
    const start = node.type === 'string' ? (node.firstChild?.text ?? '') : '';
    if (start.endsWith(preferred) && !start.endsWith(preferred.repeat(3))) {
      return preferred === '"' ? "'" : '"';
    }
  }
  return preferred;
}

/** Whether the string that `start` opens is the key of a session access. */
function isKeyPosition(start: Node, aliases: Set<string>, helpers: HelpersNamed): boolean {
  const literal = start.parent?.type === 'string' || (start.parent?.type === 'ERROR' && start.parent.firstChild?.id === start.id) ? start.parent : start;
  const opener = literal.previousSibling;
  if (opener?.type === '[') {
    return isSessionReceiver(opener.previousSibling, aliases);
  }
  if (opener?.type === '(' && opensSessionCall(opener, KEY_METHODS, aliases)) {
    return true;
  }
  if (isHelperKey(literal, helpers)) {
    return true;
  }
  const next = literal.nextSibling;
  if (literal.type === 'string' && (next?.type === 'in' || next?.type === 'not in')) {
    return isSessionReceiver(next.nextSibling, aliases) || isSessionKeys(next.nextSibling, aliases);
  }
  return isUpdateKey(literal, aliases);
}

/**
 * Whether the string is the key argument of a call of a key-parameter helper, by position or
 * keyword: `remember(request, '|')`, `recall(request, key='|')`, `self.seen('|')`.
 */
function isHelperKey(literal: Node, helpers: HelpersNamed): boolean {
  const parent = literal.parent;
  const keyword = parent?.type === 'keyword_argument' && parent.childForFieldName('value')?.id === literal.id ? parent : undefined;
  const list = (keyword ?? literal).parent;
  const fn = list?.type === 'argument_list' && list.parent?.type === 'call' ? list.parent.childForFieldName('function') : null;
  const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute') : fn;
  if (!list || name?.type !== 'identifier') {
    return false;
  }
  const owner = fn?.type === 'attribute' ? fn.childForFieldName('object')?.text : undefined;
  const named = helpers(name.text, owner === 'self' || owner === 'cls');
  if (keyword) {
    const parameter = keyword.childForFieldName('name')?.text;
    return named.some((helper) => helper.keyword && helper.parameter === parameter);
  }
  const before = list.namedChildren.filter((arg): arg is Node => arg !== null && arg.type !== 'comment' && arg.startIndex < literal.startIndex);
  // After a `*args` the position is not known.
  return !before.some((arg) => arg.type === 'list_splat') && named.some((helper) => helper.position === before.filter((arg) => arg.type !== 'keyword_argument').length);
}

/** Whether `opener` is the `(` of a call to one of `methods` on a session. */
function opensSessionCall(opener: Node | null, methods: Set<string>, aliases: Set<string>): boolean {
  if (opener?.type !== '(') {
    return false;
  }
  const callee = opener.parent?.type === 'argument_list' ? opener.parent.previousSibling : opener.previousSibling;
  return callee?.type === 'attribute' && methods.has(callee.childForFieldName('attribute')?.text ?? '') && isSessionReceiver(callee.childForFieldName('object'), aliases);
}

/**
 * Whether the string is a key of the dict a session's update() is given: `update({'|': 1})`.
 * Half-typed, the dict is a set (`{'|'}`) or its tokens lie flat in an ERROR node, so the
 * opening brace is found by walking back over the entries before the string.
 */
function isUpdateKey(literal: Node, aliases: Set<string>): boolean {
  const pair = literal.parent?.type === 'pair' ? literal.parent : undefined;
  if (pair && pair.firstChild?.id !== literal.id) {
    return false;
  }
  let brace = (pair ?? literal).previousSibling;
  while (brace?.type === ',' || brace?.type === 'pair') {
    brace = brace.previousSibling;
  }
  if (brace?.type !== '{') {
    return false;
  }
  const container = brace.parent?.type === 'dictionary' || brace.parent?.type === 'set' ? brace.parent : brace;
  return opensSessionCall(container.previousSibling, UPDATE_METHODS, aliases);
}

/** Whether the node is `request.session.keys()`, which an `in` test reads a key of as it reads the session. */
function isSessionKeys(node: Node | null, aliases: Set<string>): boolean {
  const callee = node?.type === 'call' && node.childForFieldName('arguments')?.namedChildCount === 0 ? node.childForFieldName('function') : null;
  return callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'keys' && isSessionReceiver(callee.childForFieldName('object'), aliases);
}

function isSessionReceiver(node: Node | null, aliases: Set<string>): boolean {
  if (node?.type === 'attribute') {
    return node.childForFieldName('attribute')?.text === 'session' && node.childForFieldName('object')?.text !== 'requests';
  }
  return node?.type === 'identifier' && aliases.has(node.text);
}

/** Names assigned from a `.session` anywhere in the file; scope is ignored since this only offers completions. */
function aliasesIn(root: Node): Set<string> {
  const aliases = new Set<string>();
  for (const assignment of root.descendantsOfType('assignment')) {
    const left = assignment?.childForFieldName('left');
    const right = assignment?.childForFieldName('right');
    if (left?.type === 'identifier' && right?.type === 'attribute' && right.childForFieldName('attribute')?.text === 'session') {
      aliases.add(left.text);
    }
  }
  return aliases;
}
