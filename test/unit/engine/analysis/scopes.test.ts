import * as assert from 'node:assert/strict';
import type { Node } from 'web-tree-sitter';
import { fileSyntax } from '../../../../engine/src/analysis/fileSyntax';
import { loadPythonParser, type PythonParser } from '../../../../engine/src/analysis/pythonParser';
import { Scopes } from '../../../../engine/src/analysis/scopes';
import { nodesSpelled } from '../../../../engine/src/analysis/textAnchors';

/** Functions and classes nested and side by side, async and decorated, with a use of `x` in each body. */
const SOURCE = [
  'x = 0',
  'def a():',
  '    x',
  '    def b():',
  '        x',
  '        class C:',
  '            x',
  '            async def d(self):',
  '                x',
  '                lambda: x',
  '            x',
  '        x',
  '    x',
  '@decorator',
  'def e():',
  '    x',
  'class F:',
  '    x',
  '    def g(self):',
  '        x',
  '    x',
  'x',
].join('\n');

describe('Scopes', () => {
  let python: PythonParser;

  before(async () => {
    python = await loadPythonParser();
  });

  /** What walking `parent` up from a node finds: the functions around it, innermost first, and the innermost class. */
  function walked(node: Node): { functions: number[]; cls: number | undefined } {
    const functions: number[] = [];
    let cls: number | undefined;
    for (let at = node.parent; at; at = at.parent) {
      if (at.type === 'function_definition') {
        functions.push(at.startIndex);
      } else if (at.type === 'class_definition') {
        cls ??= at.startIndex;
      }
    }
    return { functions, cls };
  }

  for (const order of ['source order', 'reverse order']) {
    it(`finds the innermost function and class and the chain of functions as walking the tree does (added in ${order})`, () => {
      const tree = python.parser.parse(SOURCE)!;
      try {
        const syntax = fileSyntax(tree.rootNode, SOURCE);
        const scopes = new Scopes();
        const functions = order === 'source order' ? syntax.functions : [...syntax.functions].reverse();
        const classes = order === 'source order' ? syntax.classes : [...syntax.classes].reverse();
        functions.forEach((fn) => scopes.addFunction(fn));
        classes.forEach((cls) => scopes.addClass(cls.node));
        const uses = nodesSpelled(tree.rootNode, SOURCE, 'x');
        assert.equal(uses.length, 14);
        for (const use of uses) {
          const expected = walked(use);
          const where = `x at ${use.startPosition.row + 1}:${use.startPosition.column}`;
          assert.deepEqual(scopes.scopeChain(use), [...expected.functions, -1], where);
          assert.equal(scopes.scopeId(use), expected.functions[0] ?? -1, where);
          assert.equal(scopes.functionOf(use)?.startIndex, expected.functions[0], where);
          assert.equal(scopes.classOf(use)?.startIndex, expected.cls, where);
        }
      } finally {
        tree.delete();
      }
    });
  }
});
