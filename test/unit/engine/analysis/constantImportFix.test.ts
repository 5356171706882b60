import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lintProject, type LintDiagnostic } from '../../../../engine/src/analysis';
import { tempProject } from '../project/tempProject';
import { compiledStrings, runPython } from './realPython';

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

/** Imports `module` from `root` with real Python and calls each view with a request whose session is a dict: the session after each, or the error it raised. */
function sessionsAfter(root: string, module: string, views: string[]): Record<string, unknown> {
  const code = [
    'import importlib, json, sys',
    'sys.path.insert(0, sys.argv[1])',
    'module = importlib.import_module(sys.argv[2])',
    'out = {}',
    'for name in sys.argv[3:]:',
    '    request = type("Request", (), {"session": {}})()',
    '    try:',
    '        getattr(module, name)(request)',
    '        out[name] = request.session',
    '    except Exception as e:',
    '        out[name] = type(e).__name__',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(runPython(code, '', [root, module, ...views])) as Record<string, unknown>;
}

describe("DS106's quick fix in functions that import or bind names of their own", () => {
  let root: string;
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('uses an import of the function only after it, imports at module level elsewhere, and leaves a function that binds the name alone', async () => {
    const views = [
      'import json',
      '',
      '',
      'def add(request):',
      '    request.session["cart"] = 0',
      '    from .keys import CART_KEY',
      '    request.session["cart"] = 1',
      '',
      '',
      'def show(request):',
      '    request.session["cart"] = 2',
      '',
      '',
      'def other(request):',
      '    CART_KEY = "something else"',
      '    request.session["cart"] = 3',
      '    return CART_KEY',
      '',
    ].join('\n');
    root = tempProject({ ...PROJECT, 'shop/__init__.py': '', 'shop/views.py': views });
    const found = (await duplicates(root)).filter((d) => d.file.endsWith(path.join('shop', 'views.py')));
    assert.deepEqual(found.map((d) => `${d.range.start.line} ${d.fix?.title}`), ['4 undefined', '6 Use CART_KEY', '10 Use CART_KEY (from .keys import CART_KEY)', '15 undefined']);
    let text = views;
    for (const finding of [found[1]!, found[2]!]) {
      text = TextDocument.applyEdits(TextDocument.create('file:///x.py', 'python', 0, text), finding.fix!.edits);
    }
    assert.equal(text.split('\n').slice(0, 2).join('\n'), 'import json\nfrom .keys import CART_KEY');
    fs.writeFileSync(path.join(root, 'shop', 'views.py'), text);
    assert.deepEqual(sessionsAfter(root, 'shop.views', ['add', 'show', 'other']), { add: { cart: 1 }, show: { cart: 2 }, other: { cart: 3 } });
  });

  it("joins the module's import from the constant's module, and imports below the docstring or the opening comments of a module without imports", async () => {
    root = tempProject({
      ...PROJECT,
      'shop/__init__.py': '',
      'shop/keys.py': 'CART_KEY = "cart"\nWISHLIST_KEY = "wishlist"\n',
      'orders/__init__.py': '',
      'orders/views.py': 'from shop.keys import (\n    WISHLIST_KEY,\n)\n\n\ndef add(request):\n    request.session[WISHLIST_KEY] = []\n    request.session["cart"] = {}\n',
      'orders/docs.py': '"""Orders."""\n\n\ndef add(request):\n    request.session["cart"] = {}\n',
      'orders/coded.py': '# -*- coding: utf-8 -*-\ndef add(request):\n    request.session["cart"] = {}\n',
    });
    const texts = Object.fromEntries((await duplicates(root)).filter((d) => !d.file.includes('shop')).map((d) => [path.basename(d.file), fixed(d)]));
    assert.deepEqual(texts['views.py'], { title: 'Use CART_KEY (import it beside WISHLIST_KEY)', text: 'from shop.keys import (\n    WISHLIST_KEY, CART_KEY,\n)\n\n\ndef add(request):\n    request.session[WISHLIST_KEY] = []\n    request.session[CART_KEY] = {}\n' });
    assert.equal(texts['docs.py']!.text, '"""Orders."""\nfrom shop.keys import CART_KEY\n\n\ndef add(request):\n    request.session[CART_KEY] = {}\n');
    assert.equal(texts['coded.py']!.text, '# -*- coding: utf-8 -*-\nfrom shop.keys import CART_KEY\ndef add(request):\n    request.session[CART_KEY] = {}\n');
    for (const [name, { text }] of Object.entries(texts)) {
      fs.writeFileSync(path.join(root, 'orders', name), text);
    }
    assert.deepEqual(sessionsAfter(root, 'orders.views', ['add']), { add: { wishlist: [], cart: {} } });
    assert.deepEqual(sessionsAfter(root, 'orders.docs', ['add']), { add: { cart: {} } });
    assert.deepEqual(sessionsAfter(root, 'orders.coded', ['add']), { add: { cart: {} } });
  });

  it("changes a misspelt key to the constant by a module-level import, not by another function's", async () => {
    root = tempProject({
      ...PROJECT,
      'shop/__init__.py': '',
      'shop/views.py': 'def add(request):\n    from .keys import CART_KEY\n    request.session[CART_KEY] = {}\n\n\ndef show(request):\n    return request.session.get("crat")\n',
    });
    const typo = (await lintProject(root, { env: {} })).find((d) => d.code === 'DS101')!;
    const view = fixed(typo);
    assert.equal(view.title, "Change to 'cart': Use CART_KEY (from .keys import CART_KEY)");
    fs.writeFileSync(path.join(root, 'shop', 'views.py'), view.text);
    assert.deepEqual(sessionsAfter(root, 'shop.views', ['add', 'show']), { add: { cart: {} }, show: {} });
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

  it('matches a key with a line break in a CRLF file (a Windows checkout) as Python reads it, over the UTF-16 columns the editor counts, and its fix keeps the key', async () => {
    const crlf = (text: string) => text.replace(/\n/g, '\r\n');
    root = tempProject({
      ...PROJECT,
      'shop/__init__.py': '',
      // Python reads each line break in a triple-quoted literal as \n, whatever the file's.
      'shop/keys.py': crlf('CART_KEY = "cart\\nitems"\nWIDE_KEY = """wide\nkey"""\n'),
      'shop/views.py': crlf(
        'from .keys import CART_KEY, WIDE_KEY\n\n\ndef view(request):\n    label = "café"; request.session["cart\\nitems"] = 1\n    request.session["""cart\nitems"""] = 2\n    request.session["wide\\nkey"] = 3\n    return label, request.session.get(CART_KEY), request.session.get(WIDE_KEY)\n',
      ),
    });
    const views = path.join(root, 'shop', 'views.py');
    const findings = (await lintProject(root, { env: {} })).filter((d) => d.file === views);
    assert.deepEqual(
      findings.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.fix?.title]),
      [
        ['DS106', 4, 36, 4, 49, 'Use CART_KEY'],
        ['DS106', 5, 20, 6, 8, 'Use CART_KEY'],
        ['DS106', 7, 20, 7, 31, 'Use WIDE_KEY'],
      ],
    );
    let text = fs.readFileSync(views, 'utf8');
    // Each fix as the editor applies it to the file as it is then, last first so the earlier ranges hold.
    for (const finding of [...findings].reverse()) {
      text = TextDocument.applyEdits(TextDocument.create('file:///x.py', 'python', 0, text), finding.fix!.edits);
    }
    assert.equal(text, crlf('from .keys import CART_KEY, WIDE_KEY\n\n\ndef view(request):\n    label = "café"; request.session[CART_KEY] = 1\n    request.session[CART_KEY] = 2\n    request.session[WIDE_KEY] = 3\n    return label, request.session.get(CART_KEY), request.session.get(WIDE_KEY)\n'));
    // Python reads from the literals the keys the constants hold.
    const keys = runPython('import json, sys\nsys.path.insert(0, sys.argv[1])\nfrom shop import keys\nprint(json.dumps([keys.CART_KEY, keys.WIDE_KEY]))', '', [root]);
    assert.deepEqual(JSON.parse(keys), ['cart\nitems', 'wide\nkey']);
    assert.deepEqual(compiledStrings(fs.readFileSync(views, 'utf8')).filter((s) => s.includes('\n')), ['cart\nitems', 'cart\nitems', 'wide\nkey']);
  });
});
