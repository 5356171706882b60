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
});
