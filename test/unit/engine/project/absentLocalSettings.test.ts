import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { settingValueToJson, type DjangoProject } from '../../../../engine/src/project';
import { projectWithSettings } from './settingsProject';

/** The settings a `try` around local settings leaves the store with, and the problems met. */
function outcome(project: DjangoProject) {
  const value = (name: string) => {
    const found = project.settings.find((s) => s.name === name);
    return found && settingValueToJson(found.value);
  };
  return { engine: value('SESSION_ENGINE'), age: value('SESSION_COOKIE_AGE'), stores: project.stores.map((store) => `${store.id} ${store.cookieAgeSeconds}`), problems: project.problems };
}

const BASE = 'SECRET_KEY = "k-123456789012345"\nSESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\nSESSION_COOKIE_AGE = 600\n';
const guarded = (statement: string, clause = 'except ImportError:') => `${BASE}try:\n    ${statement}\n${clause}\n    pass\n`;

describe('local settings imported in a try that catches ImportError', () => {
  it('takes an absolute local settings module found nowhere as absent, as Python in that workspace, and notes it', async () => {
    for (const [statement, clause] of [
      ['from settings_local import *', 'except ImportError:'],
      ['from local_settings import *', 'except (ImportError, ModuleNotFoundError):'],
    ] as const) {
      const project = await projectWithSettings(guarded(statement, clause));
      const module = statement.split(' ')[1];
      assert.deepEqual(outcome(project), {
        engine: 'django.contrib.sessions.backends.signed_cookies',
        age: 600,
        stores: ['signed_cookies 600'],
        problems: [
          {
            message: `'${module}' is taken as absent, so the except clause runs: no such module is in the project or its virtualenv (it could still come from PYTHONPATH)`,
            location: { file: path.join(project.root, 'app/settings.py'), line: 5, column: 4 },
          },
        ],
      });
    }
  });

  it('takes a relative local settings module missing from the package as absent without a note: Python would not look anywhere else', async () => {
    const project = await projectWithSettings(guarded('from .local_settings import *'));
    assert.deepEqual(outcome(project), { engine: 'django.contrib.sessions.backends.signed_cookies', age: 600, stores: ['signed_cookies 600'], problems: [] });
  });

  it('still follows local settings that are there: beside manage.py, in the package, in a directory the settings add to sys.path, or installed in the virtualenv', async () => {
    const local = 'SESSION_ENGINE = "django.contrib.sessions.backends.file"\nSESSION_COOKIE_AGE = 60\n';
    const cases: [string, string, Record<string, string>][] = [
      ['', 'from local_settings import *', { 'local_settings.py': local }],
      ['', 'from .local_settings import *', { 'app/local_settings.py': local }],
      ['import os\nimport sys\nsys.path.append(os.path.join(os.path.dirname(__file__), "conf"))\n', 'from settings_local import *', { 'app/conf/settings_local.py': local }],
      ['', 'from settings_local import *', { 'venv/pyvenv.cfg': '', 'venv/lib/python3.11/site-packages/settings_local.py': local }],
    ];
    for (const [head, statement, files] of cases) {
      const project = await projectWithSettings(head + guarded(statement), files);
      assert.deepEqual(outcome(project), { engine: 'django.contrib.sessions.backends.file', age: 60, stores: ['file 60'], problems: [] }, statement);
    }
  });

  it('follows the except clause where the local settings import a package the virtualenv lacks, leaves them unknown without a virtualenv, and says which', async () => {
    const local = (head: string) => `${head}SESSION_ENGINE = "django.contrib.sessions.backends.file"\nSESSION_COOKIE_AGE = 60\n`;
    const venv = { 'venv/pyvenv.cfg': '', 'venv/lib/python3.11/site-packages/redis/__init__.py': '' };
    const absent = await projectWithSettings(guarded('from .local_settings import *'), { 'app/local_settings.py': local('import os\nimport debug_toolbar\n'), ...venv });
    assert.deepEqual(outcome(absent), {
      engine: 'django.contrib.sessions.backends.signed_cookies',
      age: 600,
      stores: ['signed_cookies 600'],
      problems: [
        {
          message: "'debug_toolbar', which app/local_settings.py imports at line 2, is taken as absent, so the except clause runs: it is in neither the project nor its virtualenv (it could still come from PYTHONPATH)",
          location: { file: path.join(absent.root, 'app/settings.py'), line: 5, column: 4 },
        },
      ],
    });
    const unseen = await projectWithSettings(guarded('from .local_settings import *'), { 'app/local_settings.py': local('from django.conf import global_settings\nimport debug_toolbar\n') });
    const reason = 'depends on whether debug_toolbar, which app/local_settings.py imports at line 2, can be imported: it is in neither the project nor a virtualenv of it, so static reading cannot tell whether it is installed';
    const location = { file: path.join(unseen.root, 'app/settings.py'), line: 5, column: 4 };
    assert.deepEqual(outcome(unseen), { engine: { unresolved: reason }, age: { unresolved: reason }, stores: [], problems: [{ message: `SESSION_ENGINE: ${reason}`, location }] });
    // Installed, Python's own and Django's, or guarded in the local settings themselves: the local settings apply.
    for (const head of ['import redis\n', 'import json\nfrom django.conf import settings\n']) {
      const project = await projectWithSettings(guarded('from .local_settings import *'), { 'app/local_settings.py': local(head), ...venv });
      assert.deepEqual(outcome(project), { engine: 'django.contrib.sessions.backends.file', age: 60, stores: ['file 60'], problems: [] }, head);
    }
    const guardedWithin = await projectWithSettings(guarded('from .local_settings import *'), { 'app/local_settings.py': local('try:\n    import debug_toolbar\nexcept ImportError:\n    pass\n'), ...venv });
    assert.deepEqual(outcome(guardedWithin), {
      engine: 'django.contrib.sessions.backends.file',
      age: 60,
      stores: ['file 60'],
      problems: [
        {
          message: "'debug_toolbar' is taken as absent, so the except clause runs: it is in neither the project nor its virtualenv (it could still come from PYTHONPATH)",
          location: { file: path.join(guardedWithin.root, 'app/local_settings.py'), line: 2, column: 4 },
        },
      ],
    });
  });

  it('keeps every setting unknown where no except clause catches ImportError', async () => {
    for (const [source, line] of [
      [`${BASE}from local_settings import *\n`, 4],
      [`${BASE}try:\n    from local_settings import *\nexcept KeyError:\n    pass\n`, 5],
    ] as const) {
      const project = await projectWithSettings(source);
      const reason = 'may be set by from local_settings import *, which is in neither the project nor a virtualenv of it: static reading cannot see what it defines (a virtualenv with the package installed, in manage.py\'s folder or the one above, lets it)';
      const location = { file: path.join(project.root, 'app/settings.py'), line, column: line === 4 ? 0 : 4 };
      assert.deepEqual(outcome(project), { engine: { unresolved: reason }, age: { unresolved: reason }, stores: [], problems: [{ message: `SESSION_ENGINE: ${reason}`, location }] });
    }
  });
});
