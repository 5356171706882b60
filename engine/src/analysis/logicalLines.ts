/** What Python's tokenizer makes of a file's physical lines, for placing and reading end-of-line comments. */
interface LogicalLines {
  /** Per 0-based line, the character where its comment starts; undefined where it has none (a `#` in a string is none). */
  comments: (number | undefined)[];
  /** Per line, whether it ends inside a string or with a backslash continuation, where a comment cannot follow. */
  openEnded: boolean[];
  /** Per line, the last physical line of the logical line it belongs to, where Python's NEWLINE ends the statement. */
  logicalEnd: number[];
}

/** A string's quote and whether it is an f-string (or a t-string), whose `{…}` fields hold code. */
interface StringFrame {
  kind: 'string';
  quote: string;
  fields: boolean;
}

/** Code: the module's, or a field's of an f-string, which ends at its `}` or goes on to a format spec at `:`. */
interface CodeFrame {
  kind: 'code';
  depth: number;
  field: boolean;
}

/** An f-string field's format spec: text of the string that may hold fields of its own. */
interface SpecFrame {
  kind: 'spec';
  string: StringFrame;
}

type Frame = StringFrame | CodeFrame | SpecFrame;

const STRING_PREFIXES = new Set(['', 'r', 'u', 'f', 'b', 't', 'br', 'rb', 'fr', 'rf', 'tr', 'rt']);

/**
 * Tokenizes a Python file as far as comments and line ends go: strings (triple-quoted, with
 * prefixes, f-strings with their fields nested as Python 3.12 nests them), brackets and
 * backslash continuations. A string left open runs to the end of the file, as it would for
 * Python; a one-line string left open ends at its line.
 */
export function logicalLines(text: string): LogicalLines {
  const comments: (number | undefined)[] = [];
  const openEnded: boolean[] = [];
  const ends: boolean[] = [];
  const module: CodeFrame = { kind: 'code', depth: 0, field: false };
  const stack: Frame[] = [module];
  let line = 0;
  let lineStart = 0;
  const endLine = (at: number, continued: boolean) => {
    openEnded[line] = continued || stack.length > 1;
    ends[line] = !openEnded[line] && module.depth === 0;
    line++;
    lineStart = text[at] === '\r' ? at + 2 : at + 1;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const frame = stack[stack.length - 1]!;
    const newline = c === '\n' || (c === '\r' && text[i + 1] === '\n');
    if (frame.kind === 'code') {
      if (newline) {
        endLine(i, false);
        i = lineStart;
      } else if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
        endLine(i + 1, true);
        i = lineStart;
      } else if (c === '#') {
        if (stack.length === 1) {
          comments[line] = i - lineStart;
        }
        const eol = text.slice(i).search(/\r?\n/);
        i = eol === -1 ? text.length : i + eol;
      } else if (c === '"' || c === "'") {
        const string = openString(text, i);
        stack.push(string);
        i += string.quote.length;
      } else if (frame.field && frame.depth === 0 && (c === '}' || c === ':')) {
        stack.pop();
        if (c === ':') {
          stack.push({ kind: 'spec', string: stack[stack.length - 1] as StringFrame });
        }
        i++;
      } else {
        frame.depth = Math.max(0, frame.depth + ('([{'.includes(c) ? 1 : ')]}'.includes(c) ? -1 : 0));
        i++;
      }
      continue;
    }
    const string = frame.kind === 'string' ? frame : frame.string;
    if (newline && string.quote.length === 1) {
      // An unterminated one-line string: Python reports it; reading goes on as code.
      stack.length = stack.lastIndexOf(string);
    } else if (newline) {
      endLine(i, false);
      i = lineStart;
    } else if (c === '\\') {
      const escapesNewline = text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n');
      if (escapesNewline) {
        endLine(i + 1, true);
        i = lineStart;
      } else {
        i += 2;
      }
    } else if (text.startsWith(string.quote, i)) {
      // A format spec or field left open ends with its string.
      stack.length = stack.lastIndexOf(string);
      i += string.quote.length;
    } else if (frame.kind === 'spec' && c === '}') {
      stack.pop();
      i++;
    } else if (string.fields && c === '{' && (frame.kind === 'spec' || text[i + 1] !== '{')) {
      stack.push({ kind: 'code', depth: 0, field: true });
      i++;
    } else {
      i += string.fields && frame.kind === 'string' && (c === '{' || c === '}') && text[i + 1] === c ? 2 : 1;
    }
  }
  openEnded[line] = stack.length > 1;
  ends[line] = true;
  const logicalEnd: number[] = new Array<number>(line + 1);
  let end = line;
  for (let l = line; l >= 0; l--) {
    if (ends[l]) {
      end = l;
    }
    logicalEnd[l] = end;
  }
  return { comments, openEnded, logicalEnd };
}

/** The string whose quote is at `at`, with the prefix before it: letters that are no prefix (`x"…"`) belong to a name. */
function openString(text: string, at: number): StringFrame {
  let start = at;
  while (start > 0 && /[A-Za-z]/.test(text[start - 1]!)) {
    start--;
  }
  const word = text.slice(start, at).toLowerCase();
  const prefix = STRING_PREFIXES.has(word) && (start === 0 || !/[\w\u0080-\uffff]/.test(text[start - 1]!)) ? word : '';
  const c = text[at]!;
  const quote = text.startsWith(c.repeat(3), at) ? c.repeat(3) : c;
  return { kind: 'string', quote, fields: prefix.includes('f') || prefix.includes('t') };
}
