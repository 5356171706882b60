import * as assert from 'node:assert/strict';
import type { Tree } from 'web-tree-sitter';
import { SessionKeyIndex } from '../../../../engine/src/analysis';
import { fileSyntax } from '../../../../engine/src/analysis/fileSyntax';
import { loadPythonParser, type PythonParser } from '../../../../engine/src/analysis/pythonParser';
import { aliasIdentifiers, aliasName, receiverMatches, sessionAttributes } from '../../../../engine/src/analysis/receiverMatches';
import { nodesSpelled } from '../../../../engine/src/analysis/textAnchors';

/** Each match as `role=text` pairs, receiver first, so expectations read like the source. */
function describeMatches(text: string, tree: Tree): string[][] {
  return sessionAttributes(tree.rootNode, text)
    .flatMap(receiverMatches)
    .map((captures) => [...captures].map(([role, node]) => `${role}=${node.text}`));
}

describe('finding session syntax from the text', () => {
  let python: PythonParser;
  const trees: Tree[] = [];
  const parse = (text: string): Tree => {
    const tree = python.parser.parse(text)!;
    trees.push(tree);
    return tree;
  };

  before(async () => {
    python = await loadPythonParser();
  });

  after(() => trees.forEach((tree) => tree.delete()));

  it('finds a word only where the parser saw that token, not inside longer names, strings or comments', () => {
    const text = 'def f(): pass\nundef = "def"  # def\nasync def g(): pass\n';
    const tree = parse(text);
    const found = nodesSpelled(tree.rootNode, text, 'def').map((node) => [node.type, node.startPosition.row]);
    assert.deepEqual(found, [['def', 0], ['string_content', 1], ['def', 2]]);
  });

  it('finds definitions and imports anywhere, and module-level assignments only at module level', () => {
    const text = 'import os\nKEY = "k"\nclass A(B):\n    X = "x"\n    def m(self):\n        from .c import D\n        LOCAL = "l"\n';
    const syntax = fileSyntax(parse(text).rootNode, text);
    assert.deepEqual(syntax.functions.map((fn) => fn.childForFieldName('name')?.text), ['m']);
    assert.deepEqual(syntax.classes.map((cls) => [cls.name.text, cls.bases?.text]), [['A', '(B)']]);
    assert.deepEqual(syntax.imports.map((statement) => statement.text), ['import os', 'from .c import D']);
    assert.deepEqual(syntax.moduleAssignments.map(({ name, value }) => `${name.text}=${value.text}`), ['KEY="k"']);
  });

  it('reads each kind of access around a .session receiver, but not on the requests module', () => {
    const text = [
      'request.session["a"] = 1',
      'request.session["b"] += 1',
      'del request.session["c"], request.session["d"]',
      '"e" not in request.session',
      'request.session.get("f", 0)',
      'request.session.modified = True',
      'request.session["g"]["n"] = 1',
      'request.session["h"].append(1)',
      'requests.session["no"]',
    ].join('\n');
    assert.deepEqual(describeMatches(text, parse(text)), [
      ['receiver=request.session', 'read.key="a"'],
      ['receiver=request.session', 'set.key="a"', 'set.value=1'],
      ['receiver=request.session', 'read.key="b"'],
      ['receiver=request.session', 'set.key="b"', 'set.augmented=request.session["b"] += 1'],
      ['receiver=request.session', 'read.key="c"'],
      ['receiver=request.session', 'delete.key="c"'],
      ['receiver=request.session', 'read.key="d"'],
      ['receiver=request.session', 'delete.key="d"'],
      ['receiver=request.session', 'contains.key="e"'],
      ['receiver=request.session', 'call.method=get', 'call.args=("f", 0)'],
      ['receiver=request.session', 'modified=request.session.modified = True'],
      ['receiver=request.session', 'read.key="g"'],
      ['receiver=request.session', 'mutation.key="g"', 'mutation.target=request.session["g"]', 'mutation=request.session["g"]["n"] = 1'],
      ['receiver=request.session', 'read.key="h"'],
      ['receiver=request.session', 'mutation.key="h"', 'mutation.target=request.session["h"]', 'mutation.method=append', 'mutation=request.session["h"].append(1)'],
    ]);
  });

  it("stores into a key that is one target of an unpacking, or a for loop's target (healthchecks' WebAuthn state), and deletes one in parentheses", () => {
    const text = [
      'options, request.session["a"] = prepare()',
      '(x, request.session["b"]) = 1, 2',
      '[y, request.session["c"]] = 1, 2',
      'z, *request.session["d"] = 1, 2, 3',
      'for request.session["e"] in items: pass',
      'p, q = request.session["f"], 1',
      'del(request.session["g"])',
      'del (request.session["h"], request.session["i"])',
    ].join('\n');
    assert.deepEqual(describeMatches(text, parse(text)), [
      ['receiver=request.session', 'read.key="a"'],
      ['receiver=request.session', 'set.key="a"'],
      ['receiver=request.session', 'read.key="b"'],
      ['receiver=request.session', 'set.key="b"'],
      ['receiver=request.session', 'read.key="c"'],
      ['receiver=request.session', 'set.key="c"'],
      ['receiver=request.session', 'read.key="d"'],
      ['receiver=request.session', 'set.key="d"'],
      ['receiver=request.session', 'read.key="e"'],
      ['receiver=request.session', 'set.key="e"'],
      ['receiver=request.session', 'read.key="f"'],
      ['receiver=request.session', 'read.key="g"'],
      ['receiver=request.session', 'delete.key="g"'],
      ['receiver=request.session', 'read.key="h"'],
      ['receiver=request.session', 'delete.key="h"'],
      ['receiver=request.session', 'read.key="i"'],
      ['receiver=request.session', 'delete.key="i"'],
    ]);
  });

  it('takes every operand before an `in` of a chained comparison as a key, as the query did', () => {
    const text = 'a < b in request.session\n';
    assert.deepEqual(describeMatches(text, parse(text)), [
      ['receiver=request.session', 'contains.key=a'],
      ['receiver=request.session', 'contains.key=b'],
    ]);
  });

  it('finds the names a session is assigned to, and every identifier spelled like them', () => {
    const text = 's = request.session\ns["k"] = 1\nsx = s\n';
    const tree = parse(text);
    const aliases = sessionAttributes(tree.rootNode, text).flatMap((receiver) => aliasName(receiver)?.text ?? []);
    assert.deepEqual(aliases, ['s']);
    assert.deepEqual(
      aliasIdentifiers(tree.rootNode, text, aliases).map((node) => node.startPosition),
      [{ row: 0, column: 0 }, { row: 1, column: 0 }, { row: 2, column: 5 }],
    );
  });
});

describe('session syntax in broken source', () => {
  it('ignores a session assigned to a name the parser had to invent (empty text)', async () => {
    const text = ' = ":import  = request.session';
    const index = await SessionKeyIndex.create();
    index.updateFile('/soup/views.py', text);
    assert.deepEqual(index.usages(), []);
  });
});
