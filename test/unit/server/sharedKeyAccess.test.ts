import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hover, Location } from 'vscode-languageserver/node';
import { tempProject } from '../engine/project/tempProject';
import { startLanguageServer, type LanguageServer } from './languageServer';
import { positionOf } from './positionOf';

const MIXINS = [
  'class SessionFilterMixin:',
  '    filter_session_key = None',
  '',
  '    def get_filters(self):',
  '        return self.request.session.get(self.filter_session_key, {})',
  '',
  '    def save_filters(self, data):',
  '        self.request.session[self.filter_session_key] = data',
  '',
  'class ProductList(SessionFilterMixin, ListView):',
  '    filter_session_key = "product_filters"',
  '',
  'class OrderList(SessionFilterMixin, ListView):',
  '    filter_session_key = "order_filters"',
  '',
].join('\n');
const ORDERS = 'def reset(request):\n    request.session.pop("order_filters", None)\n';

describe("an access that is several keys (a mixin's self.KEY, each subclass's own)", () => {
  let root: string;
  let server: LanguageServer;
  const mixins = () => path.join(root, 'shop/mixins.py');
  const at = <T>(method: string) => {
    const { line, character } = positionOf(MIXINS, 'self.filter_session_key, {}', 6);
    return server.at<T>(method, mixins(), line, character, { context: { includeDeclaration: true } });
  };
  const places = (locations: Location[]) => locations.map((l) => `${path.relative(root, fileURLToPath(l.uri))}:${l.range.start.line + 1}`).sort();

  before(async () => {
    root = tempProject({ 'shop/mixins.py': MIXINS, 'shop/orders.py': ORDERS });
    server = await startLanguageServer([root]);
  });

  after(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('hovers with the story of each key', async () => {
    const value = ((await at<Hover>('textDocument/hover')).contents as { value: string }).value;
    const stories = value.split('\n\n---\n\n');
    assert.deepEqual(
      stories.map((story) => story.split('\n')[0]),
      ['**session key** `product_filters`', '**session key** `order_filters`'],
    );
    assert.match(stories[1]!, /Written in 1 place, read in 2 places\./);
  });

  it("finds the references of every key, and goes to each subclass's constant", async () => {
    assert.deepEqual(places(await at<Location[]>('textDocument/references')), ['shop/mixins.py:11', 'shop/mixins.py:14', 'shop/mixins.py:5', 'shop/mixins.py:8', 'shop/orders.py:2']);
    assert.deepEqual(places(await at<Location[]>('textDocument/definition')), ['shop/mixins.py:11', 'shop/mixins.py:14']);
  });
});
