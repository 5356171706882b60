import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lintProject, type LintDiagnostic } from '../../../../engine/src/analysis';
import { tempProject } from '../project/tempProject';

const MANAGE = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n';
const SETTINGS = 'SECRET_KEY = "k"\nDEBUG = True\n';
/** A project whose session code keys the cart by a constant in shop/keys.py (DS106 points at a constant so used). */
const PROJECT = {
  'manage.py': MANAGE,
  'site/__init__.py': '',
  'site/settings.py': SETTINGS,
  'shop/keys.py': 'CART_KEY = "cart"\n',
  'shop/cart.py': 'from .keys import CART_KEY\n\n\ndef remember(request):\n    request.session[CART_KEY] = {}\n',
};

/** The text of `file` after DS106's quick fix, and the fix's title. */
function fixed(finding: LintDiagnostic): { title: string; text: string } {
  const source = fs.readFileSync(finding.file, 'utf8');
  assert.ok(finding.fix, `a fix for ${finding.message}`);
  assert.ok(finding.fix.edits.every((edit) => edit.file === finding.file));
  const text = TextDocument.applyEdits(TextDocument.create('file:///x.py', 'python', 0, source), finding.fix.edits);
  return { title: finding.fix.title, text };
}

async function duplicates(root: string): Promise<LintDiagnostic[]> {
  return (await lintProject(root, { env: {} })).filter((d) => d.code === 'DS106');
}

describe("DS106's quick fix for a constant the file does not import", () => {
  let root: string;
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('imports it below the leading imports, absolutely from another package and relatively from its own', async () => {
    root = tempProject({
      ...PROJECT,
      'shop/__init__.py': '',
      'shop/views.py': '"""Shop views."""\nfrom django.shortcuts import render\n\n\ndef show(request):\n    return request.session.get("cart")\n',
      'orders/__init__.py': '',
      'orders/views.py': '# orders\nimport json\nfrom django.http import (\n    JsonResponse,\n)\nTIMEOUT = 5\n\n\ndef add(request):\n    request.session["cart"] = {}\n',
    });
    const found = await duplicates(root);
    assert.equal(found.length, 2);
    const shop = fixed(found.find((d) => d.file.endsWith(path.join('shop', 'views.py')))!);
    assert.equal(shop.title, 'Use CART_KEY (from .keys import CART_KEY)');
    assert.equal(shop.text, '"""Shop views."""\nfrom django.shortcuts import render\nfrom .keys import CART_KEY\n\n\ndef show(request):\n    return request.session.get(CART_KEY)\n');
    const orders = fixed(found.find((d) => d.file.endsWith(path.join('orders', 'views.py')))!);
    assert.equal(orders.title, 'Use CART_KEY (from shop.keys import CART_KEY)');
    assert.equal(orders.text, '# orders\nimport json\nfrom django.http import (\n    JsonResponse,\n)\nfrom shop.keys import CART_KEY\nTIMEOUT = 5\n\n\ndef add(request):\n    request.session[CART_KEY] = {}\n');
  });

  it('offers no import where Python could not make one, or the name means something else in the file', async () => {
    root = tempProject({
      ...PROJECT,
      'shop/views.py': 'from django.shortcuts import render\n\n\ndef show(request):\n    return request.session.get("cart")\n',
      'orders/__init__.py': '',
      'orders/views.py': 'from orders.models import CART_KEY\n\n\ndef add(request):\n    request.session["cart"] = {}\n',
      'orders/models.py': 'CART_KEY = 3\n',
      'blog/__init__.py': '',
      'blog/views.py': 'def add(request):\n    request.session["cart"] = {}\n',
    });
    const found = await duplicates(root);
    assert.equal(found.length, 3, found.map((d) => d.file).join(', '));
    assert.deepEqual(found.map((d) => d.fix), [undefined, undefined, undefined], 'shop/ is no package; orders/ binds CART_KEY to another value; blog/views.py has no imports to add one below');
  });
});

describe('Fixes and findings that name a key by its constant', () => {
  let root: string;
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("changes a misspelt key to the constant of the key it means, not to a literal DS106 would flag next", async () => {
    root = tempProject({
      ...PROJECT,
      'shop/__init__.py': '',
      'shop/views.py': 'from django.shortcuts import render\n\n\ndef show(request):\n    return request.session.get("crat")\n',
      'shop/tests.py': 'def test_cart(client):\n    assert client.session.get("crat") is None\n',
    });
    const findings = await lintProject(root, { env: {} });
    const typo = findings.find((d) => d.code === 'DS101' && d.file.endsWith(path.join('shop', 'views.py')));
    assert.ok(typo);
    const view = fixed(typo);
    assert.equal(view.title, "Change to 'cart': Use CART_KEY (from .keys import CART_KEY)");
    assert.equal(view.text, 'from django.shortcuts import render\nfrom .keys import CART_KEY\n\n\ndef show(request):\n    return request.session.get(CART_KEY)\n');
    // A test spells keys out on purpose (DS106 leaves them be), so its fix stays a literal.
    const inTest = findings.find((d) => d.code === 'DS101' && d.file.endsWith('tests.py'));
    assert.equal(inTest?.fix?.title, "Change to 'cart'");
  });

  it('leaves a template spelling a key alone: a template cannot name a Python constant', async () => {
    root = tempProject({
      ...PROJECT,
      'shop/templates/shop/cart.html': "{% if 'cart' in request.session %}full{% endif %}\n",
      'shop/views.py': 'def show(request):\n    return request.session.get("cart")\n',
    });
    const found = await duplicates(root);
    assert.deepEqual(found.map((d) => path.relative(root, d.file)), [path.join('shop', 'views.py')]);
  });
});
