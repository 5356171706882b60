import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Location } from 'vscode-languageserver/node';
import { ListStoresRequest } from '../../../server/src/protocol';
import { tempProject } from '../engine/project/tempProject';
import { eventually, startLanguageServer, type LanguageServer } from './languageServer';

/** A Django project whose views write `key` and read `cart`, and whose settings misspell a setting. */
function project(key: string): Record<string, string> {
  return {
    'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
    'shop/__init__.py': '',
    'shop/settings.py': "SECRET_KEY = 'k'\nSESSION_COOKIE_SECRUE = True\n",
    'shop/views.py': `def add(request):\n    request.session["${key}"] = 1\n    return request.session["cart"]\n`,
  };
}

describe('workspace folders added and removed after start', () => {
  let workspace: string;
  let server: LanguageServer;
  const alpha = () => path.join(workspace, 'alpha');
  const beta = () => path.join(workspace, 'beta');
  const codes = (file: string) => (server.diagnostics.get(file) ?? []).map((d) => String(d.code)).sort();
  const storeSources = async () => (await server.client.sendRequest(ListStoresRequest, { refresh: false })).stores.map((s) => path.relative(workspace, fileURLToPath(s.source!.uri)));
  const cartReferences = async (root: string) =>
    (await server.at<Location[]>('textDocument/references', path.join(root, 'shop/views.py'), 2, 29, { context: { includeDeclaration: true } })).map((l) => path.relative(workspace, fileURLToPath(l.uri))).sort();

  before(async () => {
    workspace = tempProject(Object.fromEntries([...Object.entries(project('cart')).map(([name, text]) => [`alpha/${name}`, text]), ...Object.entries(project('promo')).map(([name, text]) => [`beta/${name}`, text])]));
    server = await startLanguageServer([alpha()], true);
  });

  after(async () => {
    await server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('declares that it follows workspace folder changes', async () => {
    assert.deepEqual(server.capabilities.workspace?.workspaceFolders, { supported: true, changeNotifications: true });
    assert.deepEqual(await storeSources(), ['alpha/shop/settings.py']);
    await eventually(() => assert.ok(codes(path.join(alpha(), 'shop/settings.py')).length > 0));
  });

  it('indexes an added folder, with the unsaved text of its open editors, and lists its stores', async () => {
    const betaViews = path.join(beta(), 'shop/views.py');
    server.open(betaViews, project('promo')['shop/views.py']!.replace('"promo"', '"basket"'));
    const before = server.storesChanged();
    server.folders([beta()], []);
    await eventually(() => assert.ok(server.storesChanged() > before));
    assert.deepEqual(await storeSources(), ['alpha/shop/settings.py', 'beta/shop/settings.py']);
    // Each folder is its own project: beta's read of 'cart' is its own, which nothing in beta writes.
    assert.deepEqual(await cartReferences(alpha()), ['alpha/shop/views.py', 'alpha/shop/views.py']);
    assert.deepEqual(await cartReferences(beta()), ['beta/shop/views.py']);
    await eventually(() => assert.deepEqual(codes(betaViews), ['DS101', 'DS102']));
    assert.match(String(server.diagnostics.get(betaViews)!.find((d) => d.code === 'DS102')!.message), /'basket'/);
    await eventually(() => assert.deepEqual(codes(path.join(beta(), 'shop/settings.py')), codes(path.join(alpha(), 'shop/settings.py'))));
  });

  it("forgets a removed folder's files, diagnostics and stores", async () => {
    const before = server.storesChanged();
    server.folders([], [alpha()]);
    await eventually(() => assert.ok(server.storesChanged() > before));
    assert.deepEqual(await storeSources(), ['beta/shop/settings.py']);
    assert.deepEqual(await cartReferences(beta()), ['beta/shop/views.py']);
    await eventually(() => {
      assert.deepEqual(codes(path.join(alpha(), 'shop/views.py')), []);
      assert.deepEqual(codes(path.join(alpha(), 'shop/settings.py')), []);
    });
  });
});
