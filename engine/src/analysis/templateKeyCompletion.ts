import type { SessionKeyCompletionContext } from './sessionKeyCompletion';
import { isJinjaPath } from './templateSessionReads';
import { renderedTags } from './templateTags';

/** `request.session.ca|`, in both engines. */
const LOOKUP = /\brequest\.session\.(\w*)$/;
/** Jinja2's `request.session['ca|` and `request.session.get('ca|`. */
const JINJA_QUOTED = /\brequest\.session(?:\[\s*|\.get\(\s*)(['"])([^'"\\]*)$/;
/** `'ca|` of `{% if 'ca|' in request.session %}` (or `not in`, or `request.session.keys`), the rest of the line from the cursor. */
const QUOTE_OPEN = /(['"])([^'"\\]*)$/;

/**
 * If the cursor in a template is typing a session key where the template engine reads one
 * (as templateSessionFacts finds them: `{{ request.session.|` and `'|' in request.session`,
 * Jinja2's `request.session['|']` and `.get('|')`), the range to replace and what was typed.
 * Only inside a `{{ … }}` or `{% … %}` tag the engine runs, not in a comment.
 */
export function templateKeyCompletionContext(text: string, file: string, line: number, character: number): SessionKeyCompletionContext | undefined {
  const lines = text.split('\n');
  const lineText = lines[line];
  if (lineText === undefined || character > lineText.length) {
    return undefined;
  }
  const before = lineText.slice(0, character);
  const after = lineText.slice(character);
  if (!inRenderedTag(lines.slice(0, line).concat(before).join('\n'), [after, ...lines.slice(line + 1)].join('\n'), isJinjaPath(file))) {
    return undefined;
  }
  const wordEnd = character + (/^\w*/.exec(after)?.[0].length ?? 0);
  const lookup = LOOKUP.exec(before);
  if (lookup) {
    return { range: { start: { line, character: character - lookup[1]!.length }, end: { line, character: wordEnd } }, prefix: lookup[1]!, quote: '', template: 'lookup' };
  }
  const quoted = (isJinjaPath(file) ? JINJA_QUOTED.exec(before) : null) ?? containedQuote(before, after);
  if (!quoted) {
    return undefined;
  }
  const [, quote, typed] = quoted as unknown as [string, string, string];
  const closing = after.indexOf(quote);
  return { range: { start: { line, character: character - typed.length }, end: { line, character: closing === -1 ? wordEnd : character + closing } }, prefix: typed, quote, template: 'quoted' };
}

/** The quote opened before the cursor where the closed literal is the key of `in request.session`. */
function containedQuote(before: string, after: string): RegExpExecArray | null {
  const open = QUOTE_OPEN.exec(before);
  // An odd count of quotes before it would make this quote a closing one.
  if (!open || (before.slice(0, open.index).split(open[1]!).length - 1) % 2 === 1) {
    return null;
  }
  return new RegExp(`^[^'"\\\\]*${open[1]}\\s+(?:not\\s+)?in\\s+request\\.session(?:\\.keys(?:\\(\\s*\\))?)?(?![\\w.[(])`).test(after) ? open : null;
}

/**
 * Whether the cursor, between `before` and `after`, is inside a `{{ … }}` or `{% … %}` tag that the
 * engine runs: not in a comment, nor in a `{% comment %}` (or verbatim, raw) block.
 */
function inRenderedTag(before: string, after: string, jinja: boolean): boolean {
  const opened = Math.max(before.lastIndexOf('{{'), before.lastIndexOf('{%'));
  if (opened === -1 || Math.max(before.lastIndexOf('}}'), before.lastIndexOf('%}')) > opened) {
    return false;
  }
  // The tag being typed may not be closed yet: closed at the cursor, the scan that finds a template's reads tells whether it is run.
  const closed = `${before}${before[opened + 1] === '{' ? '}}' : '%}'}${after}`;
  for (const tag of renderedTags(closed, jinja)) {
    if (tag.index >= opened) {
      return tag.index === opened;
    }
  }
  return false;
}
