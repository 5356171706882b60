import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverProjects, settingValueToJson, type DjangoProject } from '../../../../engine/src/project';
import { tempProject } from './tempProject';

const MANAGE = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n';

describe("django-split-settings' include()", () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  async function read(files: Record<string, string>, env: NodeJS.ProcessEnv = {}): Promise<{ project: DjangoProject; dir: string; json: (name: string) => unknown }> {
    const dir = tempProject({ 'manage.py': MANAGE, 'proj/__init__.py': '', ...files }, 'ds-split-');
    dirs.push(dir);
    const [project] = await discoverProjects(dir, { env });
    const json = (name: string) => {
      const found = project!.settings.find((s) => s.name === name);
      return found && settingValueToJson(found.value);
    };
    return { project: project!, dir, json };
  }

  // The layout of django-split-settings' README.
  const layout = {
    'proj/settings/__init__.py': [
      'from os import environ',
      'from split_settings.tools import include, optional',
      'ENV = environ.get("DJANGO_ENV") or "development"',
      'base_settings = [',
      '    "components/common.py",',
      '    "components/data*.py",',
      '    "environments/{0}.py".format(ENV),',
      '    optional("environments/local.py"),',
      ']',
      'include(*base_settings)',
    ].join('\n'),
    'proj/settings/components/common.py': 'from pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent\nMODULE = __name__\nSECRET_KEY = "k"\nSESSION_COOKIE_AGE = 600\ninclude("sessions.py")\n',
    'proj/settings/components/sessions.py': 'SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\n',
    'proj/settings/components/database.py': 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "split.sqlite3"}}\n',
    'proj/settings/environments/development.py': 'SESSION_COOKIE_AGE += 60\n',
  };

  it('runs the included files in order in the including namespace, relative to the file that includes them', async () => {
    const { project, dir, json } = await read(layout, { DJANGO_ENV: 'development' });
    const settings = path.join(dir, 'proj/settings');
    assert.deepEqual(project.problems, []);
    assert.deepEqual(
      [json('SESSION_ENGINE'), json('SESSION_COOKIE_AGE'), json('DATABASES')],
      ['django.contrib.sessions.backends.signed_cookies', 660, { default: { ENGINE: 'django.db.backends.sqlite3', NAME: 'split.sqlite3' } }],
    );
    // __file__ and __name__ stay the including module's, as exec() in its globals leaves them.
    assert.equal(json('BASE_DIR'), settings);
    assert.equal(json('MODULE'), 'proj.settings');
    assert.deepEqual(project.settings.find((s) => s.name === 'SESSION_ENGINE')?.location, { file: path.join(settings, 'components/sessions.py'), line: 1, column: 0 });
    assert.deepEqual(project.settingsFiles, [
      path.join(settings, '__init__.py'),
      path.join(settings, 'components/common.py'),
      path.join(settings, 'components/sessions.py'),
      path.join(settings, 'components/database.py'),
      path.join(settings, 'environments/development.py'),
    ]);
    // Creating the optional file changes the settings.
    assert.ok(project.envFiles.includes(path.join(settings, 'environments/local.py')));
  });

  it('makes every setting unknown after an include() it cannot follow, rather than reporting defaults', async () => {
    // Without a default, an unset DJANGO_ENV leaves the environment's file unknown.
    const init = layout['proj/settings/__init__.py'].replace('environ.get("DJANGO_ENV") or "development"', 'environ["DJANGO_ENV"]');
    const { project, dir, json } = await read({ ...layout, 'proj/settings/__init__.py': init });
    const reason = 'may be set by include() at line 10, which static reading cannot follow (*base_settings: needs environment variable DJANGO_ENV, line 3)';
    for (const name of ['SESSION_ENGINE', 'SESSION_COOKIE_AGE', 'DATABASES', 'SECRET_KEY', 'SESSION_COOKIE_SECURE']) {
      assert.deepEqual(json(name), { unresolved: reason }, name);
    }
    assert.deepEqual(project.problems, [{ message: `SESSION_ENGINE: ${reason}`, location: { file: path.join(dir, 'proj/settings/__init__.py'), line: 10, column: 0 } }]);
  });

  it('reports a required file that is missing, and skips a missing optional one', async () => {
    const { project, dir } = await read({
      'proj/settings/__init__.py': 'from split_settings.tools import include, optional\ninclude(optional("gone.py"), "missing.py")\n',
    });
    assert.deepEqual(project.problems.filter((p) => p.message.startsWith('include()')), [
      { message: 'include() finds no file missing.py: django-split-settings raises IOError here, so Django cannot start', location: { file: path.join(dir, 'proj/settings/__init__.py'), line: 2, column: 0 } },
    ]);
  });

  it('runs each file once, and leaves unknown what two files a glob matches set differently', async () => {
    const { json } = await read({
      'proj/settings/__init__.py': 'from split_settings.tools import include\ninclude("parts/*.py", "parts/a.py")\n',
      'proj/settings/parts/a.py': 'X = 1\nSAME = "s"\n',
      'proj/settings/parts/b.py': 'X = 2\nSAME = "s"\n',
      'proj/settings/parts/.hidden.py': 'HIDDEN = True\n',
    });
    // Running a.py again for the second pattern would leave X = 1.
    assert.deepEqual(json('X'), { unresolved: "set differently by a.py, b.py, which include('parts/*.py') runs in the order of their directory: static reading cannot tell which wins" });
    assert.deepEqual([json('SAME'), json('HIDDEN')], ['s', undefined]);
  });
});
