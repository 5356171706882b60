import * as assert from 'node:assert/strict';
import { constantsWithoutParsing } from '../../../../engine/src/analysis/constantLines';
import { analyseFile } from '../../../../engine/src/analysis/fileAnalysis';
import { loadPythonParser, type PythonParser } from '../../../../engine/src/analysis/pythonParser';
import { counted } from './countedWork';
import { parsedModuleFacts } from './parsedFacts';

/** Snippets the line reader reads itself, and what it reads. */
const READ: [text: string, constants: string[]][] = [
  ['A = "a"\nB: Final = \'b\'\nC: Final[str] = "c"  # note\n', ['A=a', 'B=b', 'C=c']],
  ['F = f"f"\nR = r"r"\nU = u\'u\'\nRF = Rf"rf"\nFR = fR\'fr\'\nBR = {"{b}"}\n', ['F=f', 'R=r', 'U=u', 'RF=rf', 'FR=fr']],
  ['Q = "it\'s"\nE = ""\nBR = "{b}"\n', ['Q=it\'s', 'E=', 'BR={b}']],
  ['X = "one"\nX = compute()\nY = "y"\nY: int\n', ['Y=y']],
  ['B = b"bytes"\nP = ("paren")\nN = 1\nL = [\n"inside",\n]\n', []],
  ['"""Docs.\n\nD = "in a docstring"\n"""\nA = "a"\nprint(\'\'\'\nS = "in a string"\n\'\'\')\n', ['A=a']],
  ['def f():\n    LOCAL = "l"\nclass C:\n    ATTR = "a"\nif True:\n    COND = "c"\n', []],
  ['A == "a"\nB  =  "b"\t# tab\n', ['B=b']],
  ['A = """a"""\nB = \'\'\'multi\n\nline\'\'\'  # note\nC = """x""".strip()\nD = b"""bytes"""\nE = "e"\n', ['A=a', 'B=multi\n\nline', 'E=e']],
  ['A = "a\\tb"\nR = r"\\d+"\nU = "\\u00e9"\nN = 1  # a; b\n', ['A=a\tb', 'R=\\d+', 'U=é']],
  ['B = "%s" % x\nC = "c".upper()\nD = "d", "e"\nE = foo(a) \\\n    .bar()\nF = "f" if x else "g"\n', []],
];

/** Snippets only parsing can tell: the reader declines them. */
const DECLINED = [
  'A = "a" "b"\n',
  'A = """a\\nb"""\n',
  'A = """a""" "b"\n',
  'A = """a\n',
  'A = f"""{x}"""\n',
  'A = """a""".strip(); B = "b"\n',
  'A = \\\n    "a"\n',
  'A = 1; B = "b"\n',
  'A = f"{x}"\n',
  'A = f"{{x}}"\n',
  // Maybe a key put together from constants (see composedParts).
  'A = "a" + "b"\n',
  'A = BASE + "_x"\n',
  'A = keys.BASE + 1\n',
];

describe('constantsWithoutParsing', () => {
  let python: PythonParser;

  before(async () => {
    python = await loadPythonParser();
  });

  const parsed = (text: string) => {
    const { constants, computed, aliases } = parsedModuleFacts(python, text);
    return { constants, computed, aliases };
  };

  it('reads the constants parsing would find, with the same ranges', () => {
    for (const [text, expected] of READ) {
      const constants = constantsWithoutParsing(text);
      assert.deepEqual([...(constants?.constants ?? [])].map(([name, c]) => `${name}=${c.value}`), expected, text);
      assert.deepEqual(constants, parsed(text), text);
    }
  });

  it('tells the names bound once to a computed value by their line, as parsing does', () => {
    const text = 'BASE = "b"\nFIELD = "%s_field" % BASE\nN = 1\nTWICE = f()\nTWICE = "t"\nL = [\n"in",\n]\n';
    const read = constantsWithoutParsing(text);
    assert.deepEqual([...(read?.computed ?? [])], [['FIELD', 1], ['N', 2], ['L', 5]]);
    assert.deepEqual(read, parsed(text));
  });

  it('tells the names bound once to another name or a dotted member by their target and line, as parsing does', () => {
    const text = 'BASE = "b"\nALIAS = BASE  # the same key\nKEY = views.Middleware.SESSION_KEY\nCALL = f.g()\nTWICE = BASE\nTWICE = OTHER\n';
    const read = constantsWithoutParsing(text);
    assert.deepEqual([...(read?.aliases ?? [])], [['ALIAS', { target: 'BASE', line: 1 }], ['KEY', { target: 'views.Middleware.SESSION_KEY', line: 2 }]]);
    assert.deepEqual([...(read?.computed ?? [])], [['CALL', 3]]);
    assert.deepEqual(read, parsed(text));
  });

  it('declines the lines it cannot read exactly, so the file is parsed', () => {
    for (const text of DECLINED) {
      assert.equal(constantsWithoutParsing(text), undefined, text);
    }
    const analysis = analyseFile(python, '/p/keys.py', 'A = "a" "b"\nB = "\\u00e9"\n');
    assert.deepEqual([...analysis.module.constants].map(([name, c]) => `${name}=${c.value}`), ['A=ab', 'B=é']);
  });

  it('reads CRLF files as parsing does, and declines the same lines in them', () => {
    for (const [text, expected] of READ) {
      const crlf = text.replace(/\n/g, '\r\n');
      const constants = constantsWithoutParsing(crlf);
      // A literal over several lines holds `\n` for each line break, as Python reads it.
      assert.deepEqual([...(constants?.constants ?? [])].map(([name, c]) => `${name}=${c.value}`), expected, crlf);
      assert.deepEqual(constants, parsed(crlf), crlf);
    }
    for (const text of DECLINED) {
      assert.equal(constantsWithoutParsing(text.replace(/\n/g, '\r\n')), undefined, text);
    }
  });

  it('leaves text that starts with a byte-order mark to the parser, which finds its first constant', () => {
    const text = '\uFEFFA = "a"\nB = "b"\n';
    assert.equal(constantsWithoutParsing(text), undefined);
    const analysis = analyseFile(python, '/p/keys.py', text);
    assert.deepEqual([...analysis.module.constants].map(([name, c]) => `${name}=${c.value}@${c.range.start.line}:${c.range.start.character}`), ['A=a@0:1', 'B=b@1:0']);
  });

  it('does work linear in the size of a file with many docstrings and constants', () => {
    // Only `"""` strings: a search for `'''` that starts again at each string would scan to the end each time.
    const file = (n: number) => Array.from({ length: n }, (_, i) => `def f${i}():\n    """Doc ${i}."""\n    return 1\nK${i} = "v${i}"\n`).join('');
    for (const n of [2000, 8000]) {
      const text = file(n);
      const { result, work } = counted(() => constantsWithoutParsing(text));
      assert.equal(result?.constants.size, n);
      // Each character is searched a few times at most (once per kind of quote, once for line breaks), and each string is passed once.
      assert.ok(work.searched <= 4 * text.length, `${work.searched} characters searched in ${text.length}`);
      assert.ok(work.visited <= 4 * n, `${work.visited} array elements visited for ${n} strings`);
    }
  });
});
