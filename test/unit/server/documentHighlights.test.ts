import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentHighlightKind, type DocumentHighlight } from 'vscode-languageserver/node';
import { tempProject } from '../engine/project/tempProject';
import { startLanguageServer, type LanguageServer } from './languageServer';
import { positionOf } from './positionOf';

const VIEWS = [
  'COUPON = "coupon"',
  '',
  'def apply(request):',
  '    request.session[COUPON] = request.POST["code"]',
  '    return render(request, "shop/cart.html", {"label": "coupon"})',
  '',
  'def clear(request):',
  '    if "coupon" in request.session:',
  '        del request.session["coupon"]',
  '    request.session.pop("coupon", None)',
  '    return request.session.get("cart")',
  '',
].join('\n');
const TEMPLATE = '{% if request.session.coupon %}{{ request.session.coupon }} {{ request.session.cart }}{% endif %}\n';
const SETTINGS = ['SECRET_KEY = "x"', 'SESSION_COOKIE_AGE = 3600', 'SESSION_COOKIE_AGE = SESSION_COOKIE_AGE * 2', ''].join('\n');

const KINDS = { [DocumentHighlightKind.Text]: 'text', [DocumentHighlightKind.Read]: 'read', [DocumentHighlightKind.Write]: 'write' };

describe('document highlights of session keys and settings', () => {
  let root: string;
  let server: LanguageServer;
  const files: Record<string, string> = { 'shop/views.py': VIEWS, 'shop/templates/shop/cart.html': TEMPLATE, 'proj/settings.py': SETTINGS };

  before(async () => {
    root = tempProject({ ...files, 'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n', 'proj/__init__.py': '' });
    server = await startLanguageServer([root]);
  });

  after(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** The highlights at `needle` (plus `offset`) in a file, as `line:start-end kind`. */
  async function highlights(name: string, needle: string, offset = 1): Promise<string[] | null> {
    const { line, character } = positionOf(files[name]!, needle, offset);
    const found = await server.at<DocumentHighlight[] | null>('textDocument/documentHighlight', path.join(root, name), line, character);
    return found && found.map((h) => `${h.range.start.line}:${h.range.start.character}-${h.range.end.character} ${KINDS[h.kind!]}`);
  }

  it("marks a key's writes, del and pop() as writes, its reads as reads, and the constant's literal, only in the file", async () => {
    const expected = ['0:9-17 text', '3:20-26 write', '7:7-15 read', '8:28-36 write', '9:24-32 write'];
    assert.deepEqual(await highlights('shop/views.py', '"coupon" in'), expected);
    assert.deepEqual(await highlights('shop/views.py', 'COUPON]'), expected);
    assert.deepEqual(await highlights('shop/views.py', '"coupon"'), expected, "on the constant's literal");
  });

  it('marks nothing on a string that is no session key', async () => {
    assert.equal(await highlights('shop/views.py', '"coupon"})'), null);
  });

  it("marks a key's reads in a template", async () => {
    assert.deepEqual(await highlights('shop/templates/shop/cart.html', 'coupon %}'), ['0:22-28 read', '0:50-56 read']);
  });

  it("marks a setting's uses in its settings module", async () => {
    assert.deepEqual(await highlights('proj/settings.py', 'SESSION_COOKIE_AGE'), ['1:0-18 text', '2:0-18 text', '2:21-39 text']);
  });
});
