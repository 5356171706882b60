import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CompletionList, TextEdit } from 'vscode-languageserver/node';
import { tempProject } from '../engine/project/tempProject';
import { startLanguageServer, type LanguageServer } from './languageServer';
import { positionOf } from './positionOf';

const VIEWS = [
  'def add(request):',
  '    request.session["cart"] = {}',
  '    request.session["coupon_code"] = "SAVE10"',
  '    request.session["_hidden"] = 1',
  '    request.session["last seen"] = 1',
  "    request.session['it\"s'] = 1",
  '',
].join('\n');

describe('session-key completion in templates', () => {
  let root: string;
  let server: LanguageServer;

  before(async () => {
    root = tempProject({ 'shop/views.py': VIEWS });
    server = await startLanguageServer([root]);
  });

  after(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** What completion offers in a template at the end of `typed` (plus `offset`), as `label => edit`. */
  async function offered(name: string, text: string, typed: string, offset = typed.length): Promise<string[]> {
    const file = path.join(root, name);
    server.open(file, text);
    const { line, character } = positionOf(text, typed, offset);
    const list = await server.at<CompletionList | null>('textDocument/completion', file, line, character);
    return (list?.items ?? []).map((i) => {
      const edit = i.textEdit as TextEdit;
      return `${i.label} => ${edit.range.start.character}-${edit.range.end.character} ${edit.newText}`;
    }).sort();
  }

  it("offers the keys a lookup can name after {{ request.session. }}, replacing the word typed", async () => {
    const text = '<p>{{ request.session.co|default:"" }}</p>\n';
    assert.deepEqual(await offered('shop/templates/shop/cart.html', text, 'session.co', 8), ['cart => 22-24 cart', 'coupon_code => 22-24 coupon_code']);
  });

  it("offers the keys a template can quote in {% if '…' in request.session %}, as they are", async () => {
    const text = "{% if 'c' in request.session %}yes{% endif %}\n";
    assert.deepEqual(await offered('shop/templates/shop/flags.html', text, "'c", 2), [
      '_hidden => 7-8 _hidden',
      'cart => 7-8 cart',
      'coupon_code => 7-8 coupon_code',
      'last seen => 7-8 last seen',
    ]);
  });

  it("offers keys in {% if '…' not in request.session %} too", async () => {
    const text = "{% if 'ca' not in request.session %}none{% endif %}\n";
    assert.deepEqual((await offered('shop/templates/shop/empty.html', text, "'ca", 3)).filter((i) => i.startsWith('cart')), ['cart => 7-9 cart']);
  });

  it("offers keys in 'k' in request.session.keys, and Jinja2's .keys()", async () => {
    const carts = async (name: string, text: string) => (await offered(name, text, "'ca")).filter((i) => i.startsWith('cart'));
    assert.deepEqual(await carts('shop/templates/shop/keys.html', "{% if 'ca' in request.session.keys %}{% endif %}\n"), ['cart => 7-9 cart']);
    assert.deepEqual(await carts('shop/jinja2/shop/keys.html', "{% if 'ca' not in request.session.keys() %}{% endif %}\n"), ['cart => 7-9 cart']);
  });

  it("offers keys in Jinja2's request.session['…'] and .get('…')", async () => {
    const text = '{{ request.session.get("") }} {{ request.session[\'ca\'] }}\n';
    assert.deepEqual((await offered('shop/jinja2/shop/cart.html', text, 'get("', 5)).filter((i) => i.startsWith('cart')), ['cart => 24-24 cart']);
    assert.deepEqual(await offered('shop/jinja2/shop/cart.html', text, "['ca", 4), [
      '_hidden => 50-52 _hidden',
      'cart => 50-52 cart',
      'coupon_code => 50-52 coupon_code',
      'last seen => 50-52 last seen',
    ]);
  });

  it('offers nothing in a comment or a {% comment %} block, which the engine does not run', async () => {
    const carts = async (name: string, text: string) => (await offered(name, text, 'session.ca')).filter((i) => i.startsWith('cart'));
    assert.deepEqual(await carts('shop/templates/shop/note.html', '{# {{ request.session.ca }} #}\n'), []);
    assert.deepEqual(await carts('shop/templates/shop/note.html', "{% comment 'old' %}\n{% if 'x' in request.session %}{{ request.session.ca }}{% endif %}\n{% endcomment %}\n"), []);
    assert.deepEqual(await carts('shop/jinja2/shop/note.html', '{#\n{{ request.session.ca }}\n#}\n'), []);
    assert.deepEqual(await carts('shop/templates/shop/note.html', '{# note #}{% comment %}{% endcomment %}{{ request.session.ca }}\n'), ['cart => 58-60 cart']);
    // Django's {# … #} ends on its line: over lines it is text, and the tag in it renders.
    assert.deepEqual(await carts('shop/templates/shop/note.html', '{#\n{{ request.session.ca }}\n#}\n'), ['cart => 19-21 cart']);
  });

  it('offers nothing outside template tags, nor in a quote that is no key', async () => {
    assert.deepEqual(await offered('shop/templates/shop/page.html', '<p>request.session.ca</p>\n', 'session.ca'), []);
    assert.deepEqual(await offered('shop/templates/shop/page.html', "{% url 'ca' %}\n", "'ca"), []);
    assert.deepEqual(await offered('shop/templates/shop/page.html', '{{ request.session["ca"] }}\n', '["ca'), [], "Django's engine does not read a subscript");
  });
});
