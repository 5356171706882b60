import * as assert from 'node:assert/strict';
import { constantsWithoutParsing } from '../../../../engine/src/analysis/constantLines';
import { analyseFile } from '../../../../engine/src/analysis/fileAnalysis';
import { fileSyntax } from '../../../../engine/src/analysis/fileSyntax';
import { moduleFacts } from '../../../../engine/src/analysis/moduleFacts';
import { loadPythonParser, type PythonParser } from '../../../../engine/src/analysis/pythonParser';

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
];

/** Snippets only parsing can tell: the reader declines them. */
const DECLINED = [
  'A = "a\\tb"\n',
  'A = "a" "b"\n',
  'A = """a"""\n',
  'A = \\\n    "a"\n',
  'A = 1; B = "b"\n',
  'A = f"{x}"\n',
  'A = f"{{x}}"\n',
  'A = "a" + "b"\n',
];

describe('constantsWithoutParsing', () => {
  let python: PythonParser;

  before(async () => {
    python = await loadPythonParser();
  });

  function parsed(text: string): unknown {
    const tree = python.parser.parse(text)!;
    try {
      return moduleFacts(fileSyntax(tree.rootNode, text), '/p/keys.py').constants;
    } finally {
      tree.delete();
    }
  }

  it('reads the constants parsing would find, with the same ranges', () => {
    for (const [text, expected] of READ) {
      const constants = constantsWithoutParsing(text);
      assert.deepEqual([...(constants ?? [])].map(([name, c]) => `${name}=${c.value}`), expected, text);
      assert.deepEqual(constants, parsed(text), text);
    }
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
      assert.deepEqual([...(constants ?? [])].map(([name, c]) => `${name}=${c.value}`), expected, crlf);
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
      assert.equal(result?.size, n);
      // Each character is searched a few times at most (once per kind of quote, once for line breaks), and each string is passed once.
      assert.ok(work.searched <= 4 * text.length, `${work.searched} characters searched in ${text.length}`);
      assert.ok(work.visited <= 4 * n, `${work.visited} array elements visited for ${n} strings`);
    }
  });
});

/** The characters String.indexOf scans and the elements Array.some visits while `run` runs: counts, not times. */
function counted<T>(run: () => T): { result: T; work: { searched: number; visited: number } } {
  const work = { searched: 0, visited: 0 };
  const { indexOf } = String.prototype;
  const { some } = Array.prototype;
  String.prototype.indexOf = function (this: string, search: string, position?: number) {
    const at = indexOf.call(this, search, position);
    work.searched += (at === -1 ? this.length : at + search.length) - Math.max(0, position ?? 0);
    return at;
  };
  Array.prototype.some = function <U>(this: U[], predicate: (value: U, index: number, array: U[]) => unknown) {
    return some.call(this, (value: U, index: number, array: U[]) => {
      work.visited++;
      return predicate(value, index, array);
    });
  };
  try {
    return { result: run(), work };
  } finally {
    String.prototype.indexOf = indexOf;
    Array.prototype.some = some;
  }
}
