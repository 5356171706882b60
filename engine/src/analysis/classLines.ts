import { DOTTED_NAME, literalAt } from './constantLines';
import type { ClassFacts } from './moduleFacts';
import { tripleQuotedSpans } from './tripleQuotedSpans';

/** A line that starts a class definition, wherever it is. */
const CLASS_LINE = /^[ \t]*class\b/m;
/** The start of a class header: the class's name. */
const HEADER = /^class[ \t]+([A-Za-z_]\w*)[ \t]*/;
/** The end of a header with its body on the lines below. */
const HEADER_END = /^[ \t]*:[ \t]*(?:#.*)?$/;
/** A name bound by a statement (optionally annotated), and the rest of the line. */
const ASSIGNMENT = /^([A-Za-z_]\w*)[ \t]*(?::[^=]*)?=(?!=)[ \t]*(.*)$/;
/** A statement that starts with a name this reader's ASCII patterns do not cover. */
const NON_ASCII_NAME = /^\w*[^\x00-\x7F]/;
/** A base the parser reads as an identifier or attribute: moduleFacts keeps those. */
const BASE = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;
/** A keyword argument (`metaclass=Meta`) or an unpacked sequence or mapping: no base moduleFacts keeps. */
const NOT_A_BASE = /^(?:\*|[A-Za-z_]\w*[ \t]*=(?!=))/;
/**
 * An expression the parser reads as an attribute (`f(x).Base`), which moduleFacts keeps as it is
 * spelled, or one holding a name beyond ASCII: only parsing tells what is kept.
 */
const UNCLEAR_BASE = /\.[ \t]*[A-Za-z_]\w*$|[^\x00-\x7F]/;
/**
 * Keywords, which no name is: `else: X = "x"` would otherwise read as an annotated assignment,
 * and `None`, `True` and `False` are no identifiers as a base.
 */
const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

const [TAB, SPACE, HASH, CR, BACKSLASH] = [9, 32, 35, 13, 92];

/** Whether a character continues a name (ASCII; NaN past the end does not). */
function isNameChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
}

/** A class whose body is being read. */
interface OpenClass {
  facts: ClassFacts;
  /** Names bound more than once, or to something other than a str literal, directly in the body. */
  bound: Set<string>;
  /** The header's indentation. */
  indent: number;
  /** The indentation of the body's statements, once its first one is met. */
  body?: number;
}

/**
 * The classes of a file, read line by line without parsing it, exactly as moduleFacts reads
 * them from the syntax tree: each class by name (anywhere, the last of a name winning), its
 * bases spelled as names, and the names its body binds once, directly, to a str literal
 * (`KEY = "k"`). A key module that never mentions sessions keeps its classes' keys this way, so
 * `Keys.CART`, or `self.KEY` through a base imported from it, resolves without parsing it.
 * Undefined when a line is beyond this reader (a header with its body on the header's line,
 * bases holding strings or attributes of expressions, tabs in indentation, a body line holding
 * several statements or continued by a backslash after a comment, a value only parsing can
 * tell), so the caller parses the file instead. Lines inside triple-quoted strings, and the
 * lines a backslash continues, are skipped, as constantsWithoutParsing skips them.
 */
export function classesWithoutParsing(text: string): Map<string, ClassFacts> | undefined {
  const classes = new Map<string, ClassFacts>();
  const first = text.search(CLASS_LINE);
  if (first === -1) {
    return classes;
  }
  if (text.startsWith('\uFEFF')) {
    return undefined;
  }
  const insideString = tripleQuotedSpans(text);
  const open: OpenClass[] = [];
  /** A header whose bases go on over the next lines, as far as read. */
  let header: { name: string; bases: HeaderBases; indent: number } | undefined;
  /** Whether the line before ended in a backslash, which makes this one part of its statement. */
  let continued = false;
  let lineStart = text.lastIndexOf('\n', first) + 1;
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < lineStart; i = text.indexOf('\n', i + 1)) {
    line++;
  }
  for (; lineStart < text.length; line++) {
    const offset = lineStart;
    const newline = text.indexOf('\n', offset);
    const lineEnd = newline === -1 ? text.length : newline;
    const end = text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
    lineStart = lineEnd + 1;
    const backslash = text.charCodeAt(end - 1) === BACKSLASH;
    if (continued) {
      continued = backslash;
      continue;
    }
    if (header) {
      if (!header.bases.read(text.slice(offset, end))) {
        return undefined;
      }
      if (header.bases.after !== undefined) {
        const opened = openClass(header.bases, header.indent);
        if (!opened) {
          return undefined;
        }
        classes.set(header.name, opened.facts);
        open.push(opened);
        header = undefined;
      }
      continue;
    }
    // Most lines are blank, comments, or deeper in a method than any class body: read by their first characters only.
    let at = offset;
    let tab = false;
    for (let c = text.charCodeAt(at); at < end && (c === SPACE || c === TAB); c = text.charCodeAt(++at)) {
      tab ||= c === TAB;
    }
    const indent = at - offset;
    if (at === end || text.charCodeAt(at) === HASH || insideString(offset)) {
      continue;
    }
    const inner = open[open.length - 1];
    const isClass = text.startsWith('class', at) && !isNameChar(text.charCodeAt(at + 5));
    if (!tab && inner?.body !== undefined && indent > inner.body && !isClass) {
      continued = backslash;
      continue;
    }
    const statement = text.slice(at, end);
    if (tab || !closeBodies(open, indent, statement)) {
      return undefined;
    }
    const body = open[open.length - 1];
    if (body) {
      body.body ??= indent;
      // Less indented than the body yet inside it is a bracket's continuation. A backslash after a
      // `#` may be a comment's, continuing nothing.
      if (indent < body.body || (backslash && statement.includes('#'))) {
        return undefined;
      }
    }
    if (isClass) {
      const name = HEADER.exec(statement);
      const after = name ? statement.slice(name[0].length) : '';
      if (!name || (!after.startsWith('(') && !HEADER_END.test(after))) {
        return undefined;
      }
      const bases = new HeaderBases();
      if (after.startsWith('(') && !bases.read(after.slice(1))) {
        return undefined;
      }
      // Bases still open go on over the next lines, whatever their indentation.
      if (after.startsWith('(') && bases.after === undefined) {
        header = { name: name[1]!, bases, indent };
        continue;
      }
      const opened = openClass(bases, indent);
      if (!opened) {
        return undefined;
      }
      classes.set(name[1]!, opened.facts);
      open.push(opened);
      continue;
    }
    continued = backslash;
    if (body?.body === indent && !readAssignment(body, text, at, statement, line, indent)) {
      return undefined;
    }
  }
  return !header && open.every((cls) => cls.body !== undefined) ? classes : undefined;
}

/**
 * Ends the bodies a statement at `indent` is outside of. False when that cannot be told from
 * the line: a body with no statement, or a dedent to a line that starts like no statement (a
 * bracket's continuation, which can sit anywhere).
 */
function closeBodies(open: OpenClass[], indent: number, statement: string): boolean {
  let closed = false;
  while (open.length > 0 && indent <= open[open.length - 1]!.indent) {
    if (open.pop()!.body === undefined) {
      return false;
    }
    closed = true;
  }
  return !closed || /^[A-Za-z_@]/.test(statement);
}

/**
 * The class a header opens once its bases are read, undefined when only parsing can tell them:
 * moduleFacts keeps the bases the parser reads as a name or a dotted name, and drops calls,
 * subscripts, keyword arguments and the like.
 */
function openClass(header: HeaderBases, indent: number): OpenClass | undefined {
  if (header.after !== undefined && !HEADER_END.test(header.after)) {
    return undefined;
  }
  const bases: string[] = [];
  for (const part of header.parts) {
    const base = part.trim();
    if (BASE.test(base) && !base.split('.').some((segment) => KEYWORDS.has(segment))) {
      bases.push(base);
    } else if (!NOT_A_BASE.test(base) && UNCLEAR_BASE.test(base)) {
      return undefined;
    }
  }
  return { facts: { bases, constants: new Map(), aliases: new Map() }, bound: new Set(), indent };
}

/** The parts of a class header's parentheses, split at their top-level commas, read line by line. */
class HeaderBases {
  readonly parts: string[] = [];
  /** What follows the closing parenthesis on its line, once it is read; undefined for a header without parentheses. */
  after: string | undefined;
  private part = '';
  private depth = 1;

  /**
   * Reads one more line of the parentheses (the first from after the `(`). False when only
   * parsing can read it: a string, or a backslash that does not end the line.
   */
  read(line: string): boolean {
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (c === '#') {
        break;
      }
      if (c === '"' || c === "'" || (c === '\\' && line.slice(i + 1).trim() !== '')) {
        return false;
      }
      if (c === '(' || c === '[' || c === '{') {
        this.depth++;
      } else if ((c === ')' || c === ']' || c === '}') && --this.depth === 0) {
        this.parts.push(this.part);
        this.after = line.slice(i + 1);
        return true;
      } else if (c === ',' && this.depth === 1) {
        this.parts.push(this.part);
        this.part = '';
        continue;
      }
      this.part += c === '\\' ? ' ' : c;
    }
    this.part += ' ';
    return true;
  }
}

/**
 * Reads a statement directly in a class body (at `at` in the text, `statement` the rest of its
 * line) as moduleFacts does: a name bound once to a str literal is a constant, bound again or to
 * anything else it is none. False when only parsing can tell the value, the name, or whether the
 * line holds another statement.
 */
function readAssignment(cls: OpenClass, text: string, at: number, statement: string, line: number, indent: number): boolean {
  const assignment = ASSIGNMENT.exec(statement);
  const name = assignment?.[1];
  // A semicolon may end this statement and start an assignment (an assignment's value tells it itself).
  if (!assignment || !name || KEYWORDS.has(name)) {
    return !NON_ASCII_NAME.test(statement) && !statement.includes(';');
  }
  const value = assignment[2]!;
  const column = indent + statement.length - value.length;
  const literal = literalAt(text, at + statement.length - value.length, value, { line, character: column });
  if (literal === undefined) {
    return false;
  }
  if (literal === null || cls.bound.has(name)) {
    // `None`, `True` and `False` are no names to the parser.
    const target = literal === null && !cls.bound.has(name) ? DOTTED_NAME.exec(value)?.[1] : undefined;
    cls.facts.constants.delete(name);
    cls.facts.aliases.delete(name);
    if (target && !target.split('.').some((segment) => KEYWORDS.has(segment))) {
      cls.facts.aliases.set(name, target);
    }
    cls.bound.add(name);
    return true;
  }
  cls.bound.add(name);
  cls.facts.constants.set(name, {
    value: literal.value,
    range: { start: { line, character: indent }, end: { line, character: indent + name.length } },
    spelling: { kind: 'literal', range: literal.range },
  });
  return true;
}
