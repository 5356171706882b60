import * as assert from 'node:assert/strict';
import { logicalLines } from '../../../../engine/src/analysis/logicalLines';
import { runPython } from './realPython';

/** Where real Python's tokenizer finds comments (0-based line: column) and ends statements (NEWLINE lines). */
function pythonTokens(source: string): { comments: Record<string, number>; ends: number[] } {
  const code = [
    'import io, json, sys, tokenize',
    'tokens = list(tokenize.generate_tokens(io.StringIO(sys.stdin.read()).readline))',
    'comments = {str(t.start[0] - 1): t.start[1] for t in tokens if t.type == tokenize.COMMENT}',
    'print(json.dumps({"comments": comments, "ends": [t.start[0] - 1 for t in tokens if t.type == tokenize.NEWLINE]}))',
  ].join('\n');
  return JSON.parse(runPython(code, source)) as { comments: Record<string, number>; ends: number[] };
}

const SOURCE = [
  '"""Docstring # not a comment',
  "it goes on ''' here",
  '"""  # one',
  'x = rb"\\"#" + Rf\'{1}#\' + u"""',
  '# in a string',
  '"""',
  "y = f'{x!r:>{10}} {{#}}'  # two",
  'z = foo(1,  # three',
  '        bar[2]',
  '        ) \\',
  '    + 1',
  'w = "a\\',
  '# continued string"',
  'if"#": pass  # four',
  'd = {"k": f"{ {1: 2}[1] }"}',
  '',
].join('\n');

describe("Python's logical lines", () => {
  it('find comments and statement ends where real Python does', () => {
    const python = pythonTokens(SOURCE);
    const ours = logicalLines(SOURCE);
    assert.deepEqual(Object.fromEntries(ours.comments.flatMap((at, line) => (at === undefined ? [] : [[String(line), at]]))), python.comments);
    assert.deepEqual(python.ends.map((line) => ours.logicalEnd[line]), python.ends, 'each NEWLINE ends its logical line');
    assert.deepEqual(ours.logicalEnd.slice(0, 14), [2, 2, 2, 5, 5, 5, 6, 10, 10, 10, 10, 12, 12, 13]);
    assert.deepEqual(
      ours.openEnded.flatMap((open, line) => (open ? [line] : [])),
      [0, 1, 3, 4, 9, 11],
      'lines ending inside a string or with a backslash',
    );
  });

  it("nest an f-string's quotes as Python 3.12 does", () => {
    const ours = logicalLines('s = f"{d["#"]} {f"{"#"}"}"  # real\n');
    assert.deepEqual(ours.comments, [28]);
    assert.deepEqual(ours.openEnded.slice(0, 1), [false]);
  });
});
