// Writes the two-folder workspace the multi-root suite (suite/folderSettings.test.ts) runs in: a
// Django project in alpha/ and one in beta/, each with a settings_local.py beside its settings.py
// that names another SQLite file, and beta's folder settings naming its settings_local; and
// gamma/, like beta/, which the suite adds to the workspace.
import * as path from 'node:path';
import { writeTempFolder } from './tempFolder.mjs';

function project(folder) {
  const pkg = `${folder}site`;
  return {
    [`${folder}/manage.py`]: `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${pkg}.settings")\n`,
    [`${folder}/${pkg}/__init__.py`]: '',
    [`${folder}/${pkg}/settings.py`]: `SECRET_KEY = "${folder}"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "${folder}.sqlite3"}}\n`,
    [`${folder}/${pkg}/settings_local.py`]: `from .settings import *\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "${folder}-local.sqlite3"}}\n`,
  };
}

/** Writes the workspace into a new temporary directory; returns its .code-workspace file. */
export function writeMultiRootWorkspace() {
  const dir = writeTempFolder('djs-multi-root-', {
    ...project('alpha'),
    ...project('beta'),
    'beta/.vscode/settings.json': JSON.stringify({ 'djangoSessions.project.settingsModule': 'betasite.settings_local' }),
    ...project('gamma'),
    'gamma/.vscode/settings.json': JSON.stringify({ 'djangoSessions.project.settingsModule': 'gammasite.settings_local' }),
    'two.code-workspace': JSON.stringify({ folders: [{ path: 'alpha' }, { path: 'beta' }] }),
  });
  return path.join(dir, 'two.code-workspace');
}
