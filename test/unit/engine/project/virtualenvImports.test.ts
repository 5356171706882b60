import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverProjects, settingValueToJson } from '../../../../engine/src/project';
import { virtualenvSitePackages } from '../../../../engine/src/project/virtualenvSitePackages';
import { fixtureProject } from './fixturePath';
import { tempProject } from './tempProject';

describe('settings that import from a package installed in the project virtualenv', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  const absentLocal = (file: string) => ({
    message: "'settings_local' is taken as absent, so the except clause runs: no such module is in the project or its virtualenv (it could still come from PYTHONPATH)",
    location: { file, line: 9, column: 4 },
  });

  it("follows mailman-web's star imports into .venv's site-packages, reading them as files", async () => {
    const root = fixtureProject('installed/mailman');
    const [project] = await discoverProjects(root, { env: {} });
    const settingsFile = path.join(root, 'settings.py');
    const installed = path.join(root, '.venv/lib/python3.11/site-packages/mailman_web/settings');
    assert.deepEqual(project?.settingsFiles, [settingsFile, path.join(installed, 'base.py'), path.join(installed, 'mailman.py')]);
    assert.deepEqual(project?.problems, [absentLocal(settingsFile)]);
    assert.deepEqual(project?.settings.find((s) => s.name === 'SESSION_COOKIE_NAME')?.location, { file: path.join(installed, 'mailman.py'), line: 4, column: 0 });
    assert.deepEqual(project?.stores, [
      {
        id: 'db:default',
        engine: 'db',
        enginePath: 'django.contrib.sessions.backends.db',
        table: 'django_session',
        cookieName: 'mailman_sessionid',
        salt: 'django.contrib.sessions.SessionStore',
        serializer: 'pickle',
        secretKeys: { values: ['k-123456789012345'], source: { file: settingsFile, line: 5, column: 0 } },
        cookieAgeSeconds: 3600,
        expireAtBrowserClose: false,
        useTz: true,
        timeZone: 'UTC',
        source: { file: settingsFile, line: 1, column: 0 },
        database: { vendor: 'sqlite', path: '/opt/mailman3/web/mailman-web.db' },
      },
    ]);
  });

  it('leaves every setting unknown when no virtualenv of the project has the module, and says so', async () => {
    const fixture = fixtureProject('installed/mailman');
    const root = tempProject({ 'manage.py': fs.readFileSync(path.join(fixture, 'manage.py'), 'utf8'), 'settings.py': fs.readFileSync(path.join(fixture, 'settings.py'), 'utf8') }, 'ds-novenv-');
    dirs.push(root);
    const [project] = await discoverProjects(root, { env: {} });
    const settingsFile = path.join(root, 'settings.py');
    const reason = 'may be set by from mailman_web.settings.mailman import *, which is in neither the project nor a virtualenv of it: static reading cannot see what it defines (a virtualenv with the package installed, in manage.py\'s folder or the one above, lets it)';
    assert.deepEqual(project?.stores, []);
    assert.deepEqual(project?.problems, [absentLocal(settingsFile), { message: `SESSION_ENGINE: ${reason}`, location: { file: settingsFile, line: 3, column: 0 } }]);
    assert.deepEqual(settingValueToJson(project!.settings.find((s) => s.name === 'SESSION_COOKIE_NAME')!.value), { unresolved: reason });
  });

  it("finds the site-packages of virtualenvs beside manage.py and beside the project's directory, POSIX and Windows layouts, by their pyvenv.cfg", () => {
    const workspace = tempProject(
      {
        '.venv/pyvenv.cfg': 'version = 3.12.1\n',
        '.venv/lib/python3.12/site-packages/pkg.py': '',
        'backend/manage.py': '',
        'backend/winenv/pyvenv.cfg': 'version = 3.11.0\n',
        'backend/winenv/Lib/site-packages/pkg.py': '',
        'backend/notvenv/lib/python3.11/site-packages/pkg.py': '',
        'backend/venv/lib/python3.11/site-packages/pkg.py': '',
      },
      'ds-venvs-',
    );
    dirs.push(workspace);
    assert.deepEqual(virtualenvSitePackages(path.join(workspace, 'backend')), [path.join(workspace, 'backend/winenv/Lib/site-packages'), path.join(workspace, '.venv/lib/python3.12/site-packages')]);
  });
});
