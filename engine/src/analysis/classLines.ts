import { constantLiteral } from './constantLines';
import type { ClassFacts } from './moduleFacts';
import { tripleQuotedSpans } from './tripleQuotedSpans';

/** A line that starts a class definition, wherever it is. */
const CLASS_LINE = /^[ \t]*class\b/m;
/** The first line of a class header whose bases go on over the next lines. */
const OPEN_HEADER = /^class[ \t]+[A-Za-z_]\w*[ \t]*\([^()]*$/;
/** A class header with its body on the lines below: the name, and what its parentheses hold. */
const HEADER = /^class[ \t]+([A-Za-z_]\w*)[ \t]*(?:\(([^()]*)\))?[ \t]*:[ \t]*(?:#.*)?$/;
/** A name bound by a statement (optionally annotated), and the rest of the line. */
const ASSIGNMENT = /^([A-Za-z_]\w*)[ \t]*(?::[^=]*)?=(?!=)[ \t]*(.*)$/;
/** A statement that starts with a name this reader's ASCII patterns do not cover. */
const NON_ASCII_NAME = /^\w*[^\x00-\x7F]/;
/** A base the parser reads as an identifier or attribute: moduleFacts keeps those. */
const BASE = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;
/** A keyword argument (`metaclass=Meta`) or an unpacked sequence or mapping: no base moduleFacts keeps. */
const NOT_A_BASE = /^(?:[A-Za-z_]\w*[ \t]*=[ \t]*[\w.]+|\*{1,2}[\w.]+)$/;
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
 * Undefined when a line is beyond this reader (a header with its body on its own line, bases
 * that are no plain names, tabs in indentation, a body line holding several statements or
 * continued by a backslash after a comment, a value only parsing can tell), so the caller parses
 * the file instead. Lines inside triple-quoted strings, and the lines a backslash continues, are
 * skipped, as constantsWithoutParsing skips them.
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
  let header: { text: string; indent: number } | undefined;
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
      // Inside the parentheses, a `#` starts a comment: a base holds no string.
      const bases = text.slice(offset, end).replace(/#.*/, '').trim();
      header.text += ` ${bases}`;
      if (bases.includes(')')) {
        const opened = openClass(header.text, header.indent);
        if (!opened) {
          return undefined;
        }
        classes.set(opened.name, opened.open.facts);
        open.push(opened.open);
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
      // Less indented than the body yet inside it is a bracket's continuation, and a semicolon can
      // hide a statement of the body. A backslash after a `#` may be a comment's, continuing nothing.
      if (indent < body.body || (body.body === indent && statement.includes(';')) || (backslash && statement.includes('#'))) {
        return undefined;
      }
    }
    if (isClass && OPEN_HEADER.test(statement)) {
      // Within the parentheses a backslash continues nothing the header does not already.
      header = { text: statement.replace(/#.*/, '').replace(/\\$/, ''), indent };
      continue;
    }
    continued = backslash;
    if (isClass) {
      const opened = openClass(statement, indent);
      if (!opened) {
        return undefined;
      }
      classes.set(opened.name, opened.open.facts);
      open.push(opened.open);
    } else if (body?.body === indent && !readAssignment(body, statement, line, indent)) {
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

/** The class a header line opens, undefined when only parsing can read it. */
function openClass(statement: string, indent: number): { name: string; open: OpenClass } | undefined {
  const header = HEADER.exec(statement);
  if (!header) {
    return undefined;
  }
  const bases: string[] = [];
  for (const part of (header[2] ?? '').split(',')) {
    const base = part.trim();
    if (BASE.test(base) && !base.split('.').some((name) => KEYWORDS.has(name))) {
      bases.push(base);
    } else if (base !== '' && !NOT_A_BASE.test(base)) {
      return undefined;
    }
  }
  return { name: header[1]!, open: { facts: { bases, constants: new Map() }, bound: new Set(), indent } };
}

/**
 * Reads a statement directly in a class body as moduleFacts does: a name bound once to a str
 * literal is a constant, bound again or to anything else it is none. False when only parsing
 * can tell the value, or the name.
 */
function readAssignment(cls: OpenClass, statement: string, line: number, indent: number): boolean {
  const assignment = ASSIGNMENT.exec(statement);
  const name = assignment?.[1];
  if (!assignment || !name || KEYWORDS.has(name)) {
    return !NON_ASCII_NAME.test(statement);
  }
  const value = assignment[2]!;
  const literal = constantLiteral(value);
  if (literal === undefined) {
    return false;
  }
  if (literal === null || cls.bound.has(name)) {
    cls.facts.constants.delete(name);
    cls.bound.add(name);
    return true;
  }
  cls.bound.add(name);
  const column = indent + statement.length - value.length;
  cls.facts.constants.set(name, {
    value: literal.value,
    range: { start: { line, character: indent }, end: { line, character: indent + name.length } },
    spelling: { kind: 'literal', range: { start: { line, character: column }, end: { line, character: column + literal.length } } },
  });
  return true;
}
