import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { loadPythonParser, type PythonParser } from '../../../../engine/src/analysis/pythonParser';
import { sessionAttributes } from '../../../../engine/src/analysis/receiverMatches';
import { isExpressionNode, nodesSpelled } from '../../../../engine/src/analysis/textAnchors';

/** The plain definition sessionAttributes must agree with: the name, its parent, the parent's fields. */
function byDefinition(root: Node, text: string): Node[] {
  return nodesSpelled(root, text, 'session').flatMap((name) => {
    const attribute = name.type === 'identifier' ? name.parent : null;
    const object = attribute?.childForFieldName('object');
    const isName = attribute?.type === 'attribute' && attribute.childForFieldName('attribute')?.id === name.id;
    return isName && isExpressionNode(object) && object.text !== 'requests' ? [attribute] : [];
  });
}

const SNIPPETS = [
  'request.session["a"] = 1\nx = self.request.session.get("b")\n',
  'requests.session()\nrequests.session["x"]\nfoo.requests.session["y"]\n',
  'x = 1.session\ny = 1 .session["k"]\nz = (1).session["k"]\n',
  'a = b.  session["k"]\nc = (d.\n  session)["k"]\ne = f.\\\n    session["k"]\n',
  '"request.session[\'k\']"\n# request.session["k"]\nf"{request.session[\'k\']}"\n',
  'from .session import x\nimport a.session\nfrom a.session import b\n',
  'a.sessions["k"]\na.session_key\na.my_session["k"]\nsession = 1\n',
  '....session\nx = ....session["k"]\n...session["k"]\n',
  'request.session[\n',
  'def f(request:\n  request.session["k"] = \nclass\n',
  'x = [request.session for request in rs]\nrequest . session ["k"]\nrequest.session.session.session\n',
];

function fixtureSources(): string[] {
  const root = path.join(__dirname, '../../../fixtures/projects');
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.name.endsWith('.py')) {
        found.push(fs.readFileSync(full, 'utf8'));
      }
    }
  };
  walk(root);
  return found;
}

describe('sessionAttributes', () => {
  let python: PythonParser;

  before(async () => {
    python = await loadPythonParser();
  });

  it('finds exactly the attributes its definition names, on odd and broken code too', () => {
    for (const text of [...SNIPPETS, ...fixtureSources()]) {
      const tree = python.parser.parse(text)!;
      try {
        const ids = (nodes: Node[]) => nodes.map((node) => [node.id, node.startIndex, node.endIndex]);
        assert.deepEqual(ids(sessionAttributes(tree.rootNode, text)), ids(byDefinition(tree.rootNode, text)), text);
      } finally {
        tree.delete();
      }
    }
  });
});
