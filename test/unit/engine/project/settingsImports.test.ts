import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPythonParser } from '../../../../engine/src/analysis';
import { discoverProjects, settingValueToJson } from '../../../../engine/src/project';
import { evaluateSettingsFile } from '../../../../engine/src/project/settingsEvaluation';
import { fixtureProject } from './fixturePath';
import { projectWithSettings } from './settingsProject';
import { tempProject } from './tempProject';

describe('settings that import modules by name', () => {
  it('keeps a value from outside the project unresolved at its assignment', async () => {
    const root = fixtureProject('lintgaps/outside');
    const [project] = await discoverProjects(root, { env: {} });
    const prod = path.join(root, 'config/settings/prod.py');
    assert.deepEqual(project?.settingsFiles, [prod, path.join(root, 'config/settings/base.py'), path.join(root, 'config/__init__.py'), path.join(root, 'config/settings/__init__.py')]);
    assert.deepEqual(project?.settings.find((s) => s.name === 'SESSION_COOKIE_HTTPONLY')?.value, {
      kind: 'unknown',
      reason: 'the value of vendor_defaults.COOKIE_HTTPONLY is not known statically: it is defined outside the project',
      location: { file: prod, line: 16, column: 0 },
    });
    assert.equal(project?.stores[0]?.cookieAgeSeconds, 1200);
    assert.equal(project?.stores[0]?.cookieName, 'sessionid_prod');
  });

  it("star-imports only what a static __all__ lists (also grown with +=), and nothing for certain where __all__ cannot be read", async () => {
    const base = (all: string) => `SECRET_KEY = "k-123456789012345"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\nSESSION_ENGINE = "django.contrib.sessions.backends.file"\nSESSION_COOKIE_AGE = 600\n_PRIVATE_AGE = 60\n${all}`;
    const stores = async (all: string) => (await projectWithSettings('from .base import *\n', { 'app/base.py': base(all) })).stores.map((store) => `${store.id} ${store.cookieAgeSeconds}`);
    assert.deepEqual(await stores('__all__ = ("SECRET_KEY", "DATABASES")\n'), ['db:default 1209600']);
    assert.deepEqual(await stores('__all__ = ["SECRET_KEY", "DATABASES"]\n__all__ += ["SESSION_COOKIE_AGE"]\n'), ['db:default 600']);
    assert.deepEqual(await stores('__all__ = ["SECRET_KEY", "DATABASES", "SESSION_ENGINE", "_PRIVATE_AGE"]\nSESSION_COOKIE_AGE = _PRIVATE_AGE\n'), ['file 1209600']);
    const unread = await projectWithSettings('from .base import *\n', { 'app/base.py': base('import os\n__all__ = os.environ["EXPORTS"].split(",")\n') });
    const engine = unread.settings.find((setting) => setting.name === 'SESSION_ENGINE')?.value;
    assert.deepEqual([unread.stores, engine?.kind === 'unknown' ? engine.reason : engine], [[], 'may be set by from .base import *, whose __all__ is not known statically: static reading cannot tell which names it exports']);
  });

  it('follows namespace packages, submodules of a package, and never takes a module for a value', async () => {
    const files: Record<string, string> = {
        'ns/conf/defaults.py': 'AGE = 30\n',
        'pkg/__init__.py': 'NAME = "pkg"\n',
        'pkg/sub.py': 'AGE = 40\n',
        'settings.py': [
          'import ns.conf.defaults',
          'import pkg',
          'from pkg import sub',
          'A = ns.conf.defaults.AGE',
          'B = pkg.NAME + "!"',
          'C = pkg.sub.AGE + sub.AGE',
          'D = pkg.missing',
          'E = sub',
        ].join('\n'),
    };
    const dir = tempProject(files, 'ds-imports-');
    try {
      const file = path.join(dir, 'settings.py');
      const result = evaluateSettingsFile(await loadPythonParser(), file, dir, new Map());
      const json = (name: string) => settingValueToJson(result.values.get(name)!.value);
      assert.deepEqual(['A', 'B', 'C', 'D', 'E'].map(json), [
        30,
        'pkg!',
        80,
        { unresolved: `'missing' is not found statically in ${path.join('pkg', '__init__.py')}` },
        { unresolved: `E is the module ${path.join(dir, 'pkg/sub.py')}, not a value` },
      ]);
      assert.deepEqual(result.values.get('D')?.value.kind === 'unknown' && result.values.get('D')?.value, {
        kind: 'unknown',
        reason: `'missing' is not found statically in ${path.join('pkg', '__init__.py')}`,
        location: { file, line: 7, column: 4 },
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('finds modules in the directories the settings add to sys.path, and gives a module that imports the settings back what they have set so far', async () => {
    // horizon's openstack_dashboard/settings.py and its local/local_settings.py, cut down; Django 3.2 reads dash_local and 600.
    const dir = tempProject(
      {
        'dash/__init__.py': '',
        'dash/settings.py': [
          'import os',
          'import sys',
          '',
          'ROOT_PATH = os.path.dirname(os.path.abspath(__file__))',
          'if ROOT_PATH not in sys.path:',
          '    sys.path.append(ROOT_PATH)',
          "sys.path.insert(0, os.path.join(os.path.dirname(ROOT_PATH), 'apps'))",
          '',
          "SESSION_COOKIE_NAME = 'dash'",
          'try:',
          '    from local.local_settings import *',
          'except ImportError:',
          '    pass',
          'from shop.defaults import SESSION_COOKIE_AGE',
        ].join('\n'),
        'dash/local/__init__.py': '',
        'dash/local/local_settings.py': "from dash.settings import SESSION_COOKIE_NAME as BASE_NAME\n\nSESSION_COOKIE_NAME = BASE_NAME + '_local'\n",
        'apps/shop/__init__.py': '',
        'apps/shop/defaults.py': 'SESSION_COOKIE_AGE = 600\n',
      },
      'ds-syspath-',
    );
    try {
      const result = evaluateSettingsFile(await loadPythonParser(), path.join(dir, 'dash/settings.py'), dir, new Map());
      assert.deepEqual(['SESSION_COOKIE_NAME', 'SESSION_COOKIE_AGE'].map((name) => settingValueToJson(result.values.get(name)!.value)), ['dash_local', 600]);
      assert.deepEqual(result.problems, []);
      assert.deepEqual(result.files, ['dash/settings.py', 'dash/local/local_settings.py', 'apps/shop/defaults.py'].map((name) => path.join(dir, name)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
