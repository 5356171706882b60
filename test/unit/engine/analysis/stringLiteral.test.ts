import * as assert from 'node:assert/strict';
import { loadPythonParser, type PythonParser } from '../../../../engine/src/analysis/pythonParser';
import { stringLiteralValue } from '../../../../engine/src/analysis/stringLiteral';

describe('stringLiteralValue', () => {
  let python: PythonParser;

  before(async () => {
    python = await loadPythonParser();
  });

  function valueOf(expression: string): string | undefined {
    const tree = python.parser.parse(`${expression}\n`)!;
    try {
      return stringLiteralValue(tree.rootNode.firstNamedChild!.firstNamedChild!);
    } finally {
      tree.delete();
    }
  }

  it('reads a doubled brace in an f-string as one brace, as Python does', () => {
    assert.equal(valueOf("f'a{{b}}'"), 'a{b}');
    assert.equal(valueOf("rf'a{{b}}'"), 'a{b}');
    assert.equal(valueOf("f'a{{' 'b}}'"), 'a{b}}');
    assert.equal(valueOf("'a{{b}}'"), 'a{{b}}');
    assert.equal(valueOf("f'a{b}'"), undefined);
  });

  it('reads escapes, raw strings and concatenations', () => {
    assert.equal(valueOf("'caf\\u00e9'"), 'café');
    assert.equal(valueOf("r'a\\n'"), 'a\\n');
    assert.equal(valueOf("'ca' \"rt\""), 'cart');
    assert.equal(valueOf('"""cart"""'), 'cart');
    assert.equal(valueOf("b'cart'"), undefined);
  });

  it('reads the escapes \\a \\b \\f \\v and octal ones as Python does, and keeps an unknown escape as written', () => {
    // print(repr("k\a\b\f\v\101\0\1234\8")) in Python: 'k\x07\x08\x0c\x0bA\x00S4\\8'
    assert.equal(valueOf(String.raw`"k\a\b\f\v\101\0\1234\8"`), 'k\x07\x08\x0c\x0bA\x00S4\\8');
  });

  it('reads no value of a literal that names a character by its Unicode name, which would be another key kept as written', () => {
    assert.equal(valueOf(String.raw`'caf\N{LATIN SMALL LETTER E WITH ACUTE}'`), undefined);
    assert.equal(valueOf(String.raw`'a' 'caf\N{LATIN SMALL LETTER E WITH ACUTE}'`), undefined);
    assert.equal(valueOf(String.raw`r'caf\N{x}'`), 'caf\\N{x}');
    assert.equal(valueOf(String.raw`'caf\\N{x}'`), 'caf\\N{x}');
  });
});
