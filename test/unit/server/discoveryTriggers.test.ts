import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProjectModel } from '../../../server/src/projectModel';
import { tempProject } from '../engine/project/tempProject';

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
    model = new ProjectModel(() => [root], () => ({ storeUrl: '', settingsModule: '' }));
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
});
