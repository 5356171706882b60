import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lintSessionKeys, SessionKeyIndex } from '../../../engine/src';
import { completeSessionKeys } from '../../../server/src/completion';
import { hoverSessionKey } from '../../../server/src/hover';
import { KeyIndexService } from '../../../server/src/keyIndexService';
import { sessionKeyDefinition, sessionKeyReferences } from '../../../server/src/navigation';

/** Two workspace folders with the same module layout and different keys, plus a folder holding two projects. */
const files: Record<string, string> = {
  '/ws/alpha/shop/keys.py': 'CART = "cart"\n',
  '/ws/alpha/shop/views.py': 'from shop.keys import CART\n\ndef add(request):\n    request.session[CART] = 1\n    request.session["promo"] = 1\n    return request.session[CART], request.session["promo"]\n',
  '/ws/beta/shop/keys.py': 'CART = "basket"\n',
  '/ws/beta/shop/views.py': 'from shop.keys import CART\n\ndef add(request):\n    request.session[CART] = 1\n    return request.session[CART], request.session["promo"]\n',
  '/ws/mono/one/shop/keys.py': 'CART = "one-cart"\n',
  '/ws/mono/one/shop/views.py': 'from shop.keys import CART\n\ndef add(request):\n    request.session[CART] = 1\n    return request.session[CART]\n',
  '/ws/mono/two/shop/keys.py': 'CART = "two-cart"\n',
  '/ws/mono/two/shop/views.py': 'from shop.keys import CART\n\ndef add(request):\n    request.session[CART] = 1\n    return request.session[CART]\n',
};

describe('several workspace folders (and several projects in one)', () => {
  let index: SessionKeyIndex;

  before(async () => {
    index = await SessionKeyIndex.create();
    for (const root of ['/ws/alpha', '/ws/beta', '/ws/mono']) index.addRoot(root);
    for (const [file, text] of Object.entries(files)) index.updateFile(file, text);
  });

  it("resolves an import in each folder's own modules, and the nearest module within a folder", () => {
    const keysIn = (file: string) => [...new Set(index.usages().filter((u) => u.file === file).map((u) => `${u.key} ${u.definition?.file ?? ''}`))];
    assert.deepEqual(keysIn('/ws/alpha/shop/views.py'), ['cart /ws/alpha/shop/keys.py', 'promo ']);
    assert.deepEqual(keysIn('/ws/beta/shop/views.py'), ['basket /ws/beta/shop/keys.py', 'promo ']);
    assert.deepEqual(keysIn('/ws/mono/one/shop/views.py'), ['one-cart /ws/mono/one/shop/keys.py']);
    assert.deepEqual(keysIn('/ws/mono/two/shop/views.py'), ['two-cart /ws/mono/two/shop/keys.py']);
  });

  it("reports a key read in one folder and written only in another as never written", () => {
    const ds101 = lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false })
      .filter((d) => d.code === 'DS101')
      .map((d) => `${d.file}:${d.range.start.line}`);
    assert.deepEqual(ds101, ['/ws/beta/shop/views.py:4']);
  });

  it('keeps references, definitions, hover and completion within the folder', () => {
    const alphaViews = '/ws/alpha/shop/views.py';
    assert.deepEqual(
      sessionKeyReferences(index, alphaViews, 4, 22)?.map((l) => `${l.uri}:${l.range.start.line}`),
      ['file:///ws/alpha/shop/views.py:4', 'file:///ws/alpha/shop/views.py:5'],
    );
    // Beta's CART is defined in beta's keys.py, although alpha's modules come first in the index.
    assert.deepEqual(sessionKeyDefinition(index, '/ws/beta/shop/views.py', 3, 22)?.map((l) => `${l.uri}:${l.range.start.line}`), ['file:///ws/beta/shop/keys.py:0']);
    const hover = JSON.stringify(hoverSessionKey(index, '/ws/beta/shop/views.py', 3, 22, '/ws/beta'));
    assert.match(hover, /basket/);
    assert.match(hover, /keys\.py/);
    assert.doesNotMatch(hover, /alpha|'cart'/);
    const document = TextDocument.create('file:///ws/beta/shop/views.py', 'python', 1, 'def f(request):\n    request.session["');
    const labels = completeSessionKeys(index, document, '/ws/beta/shop/views.py', 1, 21, '/ws/beta')?.items.map((i) => i.label).sort();
    assert.deepEqual(labels, ['basket']);
  });
});

describe('a workspace folder removed from around another', () => {
  it('no longer scopes the files of the folder left inside it', async () => {
    const index = await SessionKeyIndex.create();
    index.addRoot('/ws/outer');
    index.addRoot('/ws/outer/inner');
    index.updateFile('/ws/outer/views.py', 'def f(request):\n    request.session["k"] = 1\n');
    index.updateFile('/ws/outer/inner/views.py', 'def g(request):\n    return request.session["k"]\n');
    const ds101 = () => lintSessionKeys(index, { serializer: 'json', saveEveryRequest: false }).filter((d) => d.code === 'DS101').length;
    assert.equal(ds101(), 1, 'inner is its own project while it is a folder of its own');
    index.removeRoot('/ws/outer/inner');
    assert.equal(index.scopeOf('/ws/outer/inner/views.py'), '/ws/outer');
    assert.equal(ds101(), 0);
  });
});

describe('several Django projects in one workspace folder', () => {
  it('takes each project on its own once discovery has found them, and all of the folder again when one is gone', async () => {
    const service = await KeyIndexService.create(() => ['/mono']);
    const index = service.index;
    index.addRoot('/mono');
    index.updateFile('/mono/shop/cart/views.py', 'def add(request):\n    request.session["coupon"] = "X"\n    return request.session["coupon"]\n');
    index.updateFile('/mono/blog/posts/views.py', 'def show(request):\n    return request.session.get("coupon")\n');
    const ds101 = () => lintSessionKeys(service.index, { serializer: 'json', saveEveryRequest: false }).filter((d) => d.code === 'DS101').map((d) => d.file);
    assert.deepEqual(ds101(), [], 'one folder, one project, until discovery says otherwise');
    service.projectRoots(['/mono/shop', '/mono/blog']);
    assert.deepEqual(ds101(), ['/mono/blog/posts/views.py']);
    service.projectRoots(['/mono/shop']);
    assert.deepEqual(ds101(), ['/mono/blog/posts/views.py'], 'blog is still apart from shop, as part of the folder');
    service.projectRoots([]);
    assert.deepEqual(ds101(), []);
    service.dispose();
  });
});
