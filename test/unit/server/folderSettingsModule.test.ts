import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileUri } from '../../../server/src/fileUri';
import { ProjectModel } from '../../../server/src/projectModel';
import { tempProject } from '../engine/project/tempProject';

/** A Django project in `folder/` whose manage.py names `pkg.settings`, with a `pkg/settings_local.py` beside it. */
function project(folder: string, pkg: string): Record<string, string> {
  return {
    [`${folder}/manage.py`]: `import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', '${pkg}.settings')\n`,
    [`${folder}/${pkg}/__init__.py`]: '',
    [`${folder}/${pkg}/settings.py`]: `SECRET_KEY = '${folder}'\nDATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': 'db.sqlite3'}}\n`,
    [`${folder}/${pkg}/settings_local.py`]: `from .settings import *\nSECRET_KEY = '${folder}-local'\n`,
  };
}

describe("each workspace folder's own djangoSessions.project.settingsModule", () => {
  let workspace: string;
  let alpha: string;
  let beta: string;

  before(() => {
    workspace = tempProject({ ...project('alpha', 'alphasite'), ...project('beta', 'betasite') });
    alpha = path.join(workspace, 'alpha');
    beta = path.join(workspace, 'beta');
  });

  after(() => fs.rmSync(workspace, { recursive: true, force: true }));

  /** Each folder's project: its settings file from the folder, its store's secret keys and its problems. */
  async function read(settingsModules: Record<string, string>): Promise<[string, string | undefined, string[] | undefined, string[]][]> {
    const projects = await new ProjectModel(() => [alpha, beta], () => ({ storeUrl: '', settingsModules })).projects();
    return projects.map((p) => [path.basename(p.root), p.settingsFiles[0] && path.relative(p.root, p.settingsFiles[0]), p.stores[0]?.secretKeys.values, p.problems.map((problem) => problem.message)]);
  }

  it("reads a dotted module set on one folder in that folder only, the other reading what its manage.py names", async () => {
    assert.deepEqual(await read({ [fileUri(beta)]: 'betasite.settings_local' }), [
      ['alpha', 'alphasite/settings.py', ['alpha'], []],
      ['beta', 'betasite/settings_local.py', ['beta-local'], []],
    ]);
  });

  it("never reads another folder's settings file for a path set on one folder", async () => {
    assert.deepEqual(await read({ [fileUri(beta)]: path.join(beta, 'betasite/settings_local.py') }), [
      ['alpha', 'alphasite/settings.py', ['alpha'], []],
      ['beta', 'betasite/settings_local.py', ['beta-local'], []],
    ]);
  });

  it("reads each folder's own value where both set one", async () => {
    assert.deepEqual(await read({ [fileUri(alpha)]: 'alphasite/settings_local.py', [fileUri(beta)]: 'betasite.settings_local' }), [
      ['alpha', 'alphasite/settings_local.py', ['alpha-local'], []],
      ['beta', 'betasite/settings_local.py', ['beta-local'], []],
    ]);
  });
});
