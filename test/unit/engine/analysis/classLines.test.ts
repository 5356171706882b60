import * as assert from 'node:assert/strict';
import { classesWithoutParsing } from '../../../../engine/src/analysis/classLines';
import { analyseFile } from '../../../../engine/src/analysis/fileAnalysis';
import { loadPythonParser, type PythonParser } from '../../../../engine/src/analysis/pythonParser';
import { counted } from './countedWork';
import { parsedModuleFacts } from './parsedFacts';

/** Snippets the line reader reads itself, and what it reads: `Class(bases) NAME=value …`. */
const READ: [text: string, classes: string[]][] = [
  ['X = "x"\n', []],
  ['class Keys:\n    CART = "cart"\n    STEP: Final = \'step\'  # note\n', ['Keys() CART=cart STEP=step']],
  ['class Child(Base, mixins.Mixin, metaclass=Meta, *more, **kw):\n    """Doc."""\n\n    # comment\n    KEY = "k"\n', ['Child(Base,mixins.Mixin) KEY=k']],
  ['class A:\n    ONE = "one"\n    ONE = "again"\n    TWO = compute()\n    THREE = "3"\n    THREE: int\n    CHAINED = OTHER = "c"\n', ['A() THREE=3']],
  ['class A(object):\n    def get(self):\n        NESTED = "n"\n        class Inner:\n            IN = "in"\n        return Inner\n    AFTER = "after"\n', ['A(object) AFTER=after', 'Inner() IN=in']],
  ['class A:\n    if DEBUG:\n        COND = "c"\n    else:\n        COND = "d"\n    B = b"bytes"\n    P = ("paren")\n    L = [\n        "inside",\n    ]\n', ['A()']],
  ['class A:\n    """Doc.\n\n    FAKE = "in a docstring"\n    """\n    DOC = "a"\nclass B:\n    x = f(\'\'\'\nclass C:\n\'\'\')\n    SECOND = "s"\n', ['A() DOC=a', 'B() SECOND=s']],
  ['class A:\n    if DEBUG: pass\n    else: ELSE = "e"\n', ['A()']],
  ['class A:\n    KEY = "a"\nX = 1\n\n@decorate\nclass A():\n    KEY = "b"\n', ['A() KEY=b']],
  ['class A(\n    Base,  # why\n\n    mixins.M,\n):\n    KEY = "a"\n', ['A(Base,mixins.M) KEY=a']],
  ['class A(Base, \\\n        Other):\n    KEY = "a"\n', ['A(Base,Other) KEY=a']],
  ['class A(Generic[T], None, six.with_metaclass(Meta, Base), type(X), (Paren), *more, metaclass=M):\n    KEY = "a"\n', ['A() KEY=a']],
  ['class A(\n    create(registry.by_id(P.id)),  # (why\n    Base,\n):\n    KEY = "a"\n', ['A(Base) KEY=a']],
  ['class A:\n    TAB = "a\\tb"\n    RAW = r"\\d+\\Z"\n    U = "\\u043f"\n    MEDIA = "text/plain; charset=utf-8"\n    FLAG = False  # BEGIN; COMMIT\n', ['A() TAB=a\tb RAW=\\d+\\Z U=п MEDIA=text/plain; charset=utf-8']],
  ['class A:\n    def f(self):\n        x = a + \\\n    b\n    X = foo(a) \\\n        .bar()\n    Y = "%s" % y\n    KEY = "k"\n', ['A() KEY=k']],
  ['class A:\n    HELP = """Line one.\n\nclass B:\n    FAKE = "f"""\n    KEY = "k"\n    SQL = \'\'\'\n        SELECT 1\n    \'\'\'\n', ['A() HELP=Line one.\n\nclass B:\n    FAKE = "f KEY=k SQL=\n        SELECT 1\n    ']],
  ['def f():\n    class Local:\n        K = "k"\n    return Local\n', ['Local() K=k']],
  ['class A:\n    KEY = "ключ"\n', ['A() KEY=ключ']],
  ['class A:\n    KEY = WIZARD_KEY\n    OTHER = constants.CART  # why\n    N = None\n    T = KEY\n    TWICE = A\n    TWICE = B\n', ['A() KEY->WIZARD_KEY OTHER->constants.CART T->KEY']],
];

/** Snippets only parsing can tell: the reader declines them. */
const DECLINED = [
  'class A: KEY = "a"\n',
  'class Ключ:\n    KEY = "a"\n',
  'class A:\n\tKEY = "a"\n',
  'class A:\n    ÄUSSER = "x"\n',
  'class A:\n    KEYÄ = "x"\n',
  'class A:\n    KEY = """a\\nb"""\n',
  'class A:\n    KEY = \\\n        "a"\n',
  'class A:\n    pass; KEY = "a"\n',
  'class A:\n    X = 1  # a \\\n    KEY = "k"\n',
  'class A(\n    Base,\n    KEY = "a"\n',
  'class A:\n    X = [\n"a"]\n    KEY = "k"\n',
  'class A:\n        X = [\n      "a"]\n        KEY = "k"\n',
  'class A:\n',
  'class A(f(x).Base):\n    KEY = "a"\n',
  'class A(Base, "x"):\n    KEY = "a"\n',
  'class A:\n    KEY = "a\\\nb"\n',
];

describe('classesWithoutParsing', () => {
  let python: PythonParser;

  before(async () => {
    python = await loadPythonParser();
  });

  const parsed = (text: string) => parsedModuleFacts(python, text).classes;

  const summary = (classes: ReturnType<typeof classesWithoutParsing>) =>
    [...(classes ?? [])].map(([name, cls]) =>
      [`${name}(${cls.bases.join(',')})`, ...[...cls.constants].map(([key, c]) => `${key}=${c.value}`), ...[...cls.aliases].map(([key, target]) => `${key}->${target}`)].join(' '),
    );

  it('reads the classes parsing would find, with the same bases, constants and ranges', () => {
    for (const [text, expected] of READ) {
      const classes = classesWithoutParsing(text);
      assert.deepEqual(summary(classes), expected, text);
      assert.deepEqual(classes, parsed(text), text);
    }
  });

  it('reads CRLF files as parsing does', () => {
    for (const [text, expected] of READ) {
      const crlf = text.replace(/\n/g, '\r\n');
      const classes = classesWithoutParsing(crlf);
      assert.deepEqual(summary(classes), expected, crlf);
      assert.deepEqual(classes, parsed(crlf), crlf);
    }
  });

  it('declines the lines it cannot read exactly, so the file is parsed', () => {
    for (const text of DECLINED) {
      assert.equal(classesWithoutParsing(text), undefined, text);
    }
    const analysis = analyseFile(python, '/p/keys.py', 'class Keys:\n    CART = "ca" "rt"\n');
    assert.deepEqual(summary(analysis.module.classes), ['Keys() CART=cart']);
  });

  it('keeps the classes of a key module that never mentions sessions, without parsing it', () => {
    const analysis = analyseFile(python, '/p/keys.py', 'STEP = "step"\n\nclass Keys:\n    LAST = "last_seen"\n');
    assert.equal(analysis.session, undefined, 'not parsed');
    assert.deepEqual(summary(analysis.module.classes), ['Keys() LAST=last_seen']);
    assert.deepEqual(analysis.module.classes.get('Keys')?.constants.get('LAST')?.range, { start: { line: 3, character: 4 }, end: { line: 3, character: 8 } });
  });

  it('does work linear in the size of a file with many classes, methods and docstrings', () => {
    const file = (n: number) => Array.from({ length: n }, (_, i) => `class C${i}(Base):\n    """Doc ${i}."""\n    K${i} = "v${i}"\n\n    def get(self):\n        return self.K${i}\n`).join('');
    for (const n of [2000, 8000]) {
      const text = file(n);
      const { result, work } = counted(() => classesWithoutParsing(text));
      assert.equal(result?.size, n);
      assert.ok(work.searched <= 4 * text.length, `${work.searched} characters searched in ${text.length}`);
    }
  });
});
