import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileChangeType } from 'vscode-languageserver/node';
import { ProjectModel } from '../../../server/src/projectModel';
import { tempProject } from '../engine/project/tempProject';
import { eventually, startLanguageServer, type LanguageServer } from './languageServer';

describe('which file events make the project model read discovery again', () => {
  let root: string;
  let model: ProjectModel;
  const affects = (name: string) => model.affectsDiscovery(path.join(root, name));

  before(async () => {
    root = tempProject({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
      'shop/__init__.py': '',
      'shop/settings.py': "import environ\nenviron.Env.read_env('config/app.ini')\nSECRET_KEY = 'k'\n",
      'shop/views.py': '',
      'config/app.ini': 'DEBUG=1\n',
      'frontend/app.js': '',
    });
    model = new ProjectModel(() => [root], () => ({ storeUrl: '', settingsModules: {} }));
    await model.projects();
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('counts a deleted or moved folder that held a file discovery read', () => {
    for (const name of ['shop', 'config', '']) {
      assert.equal(affects(name), true, name);
    }
    for (const name of ['frontend', 'sho', 'shop/static']) {
      assert.equal(affects(name), false, name);
    }
  });

  it('counts a Python file that may be a settings module it does not know yet, such as one just created', () => {
    for (const name of ['shop/settings_prod.py', 'shop/prod_settings.py', 'config/settings/prod.py']) {
      assert.equal(affects(name), true, name);
    }
    for (const name of ['shop/models.py', 'shop/settings.ini', 'settings/readme.txt']) {
      assert.equal(affects(name), false, name);
    }
  });

  it('counts the missing settings module a project is configured with', async () => {
    const other = tempProject({ 'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'conf.production')\n" });
    try {
      const otherModel = new ProjectModel(() => [other], () => ({ storeUrl: '', settingsModules: {} }));
      await otherModel.projects();
      assert.equal(otherModel.affectsDiscovery(path.join(other, 'conf/production.py')), true);
      assert.equal(otherModel.affectsDiscovery(path.join(other, 'conf/production/__init__.py')), true);
      assert.equal(otherModel.affectsDiscovery(path.join(other, 'conf/staging.py')), false);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('settings modules created or changed while the server runs', () => {
  let root: string;
  let server: LanguageServer;
  const file = (name: string) => path.join(root, name);

  before(async () => {
    root = tempProject({
      'manage.py': "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop.settings')\n",
      'shop/__init__.py': '',
      'shop/settings.py': "SECRET_KEY = 'k'\nCART_SESSION_ID = 'cart'\n",
      'cart/views.py': "from django.conf import settings\n\n\ndef add(request):\n    request.session[settings.CART_SESSION_ID] = {}\n\n\ndef show(request):\n    return request.session.get('cart'), request.session.get('basket')\n",
    });
    server = await startLanguageServer([root]);
  });

  after(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('lints one created as a settings module as soon as the watcher reports it', async () => {
    const prod = file('shop/settings_prod.py');
    fs.writeFileSync(prod, 'from .settings import *\nSESSION_COOKIE_SECRUE = True\n');
    server.watched([[prod, FileChangeType.Created]]);
    await eventually(() => assert.ok(server.diagnostics.get(prod)?.some((d) => String(d.message).includes('SESSION_COOKIE_SECRUE'))));
  });

  it('resolves a key a changed one names (settings.CART_SESSION_ID) to its new value once the watcher reports the change', async () => {
    const unwritten = () => (server.diagnostics.get(file('cart/views.py')) ?? []).filter((d) => d.code === 'DS101').map((d) => /'(\w+)'/.exec(String(d.message))?.[1]);
    await eventually(() => assert.deepEqual(unwritten(), ['basket']));
    fs.writeFileSync(file('shop/settings.py'), "SECRET_KEY = 'k'\nCART_SESSION_ID = 'basket'\n");
    server.watched([[file('shop/settings.py'), FileChangeType.Changed]]);
    await eventually(() => assert.deepEqual(unwritten(), ['cart']));
  });
});
