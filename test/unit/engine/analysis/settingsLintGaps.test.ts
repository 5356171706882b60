import * as assert from 'node:assert/strict';
import { lintProject, scanJson, scanProject } from '../../../../engine/src/analysis';
import { fixtureProject } from '../project/fixturePath';
import { lintRow } from './lintRows';
import { tempProject } from '../project/tempProject';

describe('settings lint on the lintgaps fixture', () => {
  it('reports W010, W014, near-miss SESSION_* names, and the DS204/DS208 quick fixes, exactly', async () => {
    const root = fixtureProject('lintgaps');
    const rows = (await lintProject(root, { env: {} })).map((d) => lintRow(root, d));
    const secure = 'Using a secure-only session cookie makes it more difficult for network traffic sniffers to hijack user sessions.';
    const httpOnly = 'Using an HttpOnly session cookie makes it more difficult for cross-site scripting attacks to hijack user sessions.';
    assert.deepEqual(rows, [
      [
        'appsonly/site/settings.py', 3, 26, 3, 32, 'DS208', 'warning',
        "SESSION_COOKIE_SAMESITE = 'None' without SESSION_COOKIE_SECURE = True: browsers reject such cookies, so sessions will not stick. Set SESSION_COOKIE_SECURE = True.",
        ['Set SESSION_COOKIE_SECURE = True', ['appsonly/site/settings.py', 4, 24, 4, 29, 'True']],
      ],
      [
        'appsonly/site/settings.py', 4, 0, 4, 21, 'security.W010', 'warning',
        `You have 'django.contrib.sessions' in your INSTALLED_APPS, but you have not set SESSION_COOKIE_SECURE to True. ${secure}`,
        ['Set SESSION_COOKIE_SECURE = True', ['appsonly/site/settings.py', 4, 24, 4, 29, 'True']],
      ],
      // production.py is only named by wsgi.py; settings_staging.py sits beside settings.py in a flat layout.
      ['flat/proj/production.py', 2, 0, 2, 21, 'security.W012', 'warning', `SESSION_COOKIE_SECURE is not set to True. ${secure}`, ['Set SESSION_COOKIE_SECURE = True', ['flat/proj/production.py', 2, 24, 2, 29, 'True']]],
      ['flat/proj/settings_staging.py', 2, 0, 2, 23, 'security.W015', 'warning', `SESSION_COOKIE_HTTPONLY is not set to True. ${httpOnly}`, ['Set SESSION_COOKIE_HTTPONLY = True', ['flat/proj/settings_staging.py', 2, 26, 2, 31, 'True']]],
      [
        'middlewareonly/site/settings.py', 4, 0, 4, 23, 'security.W014', 'warning',
        `You have 'django.contrib.sessions.middleware.SessionMiddleware' in your MIDDLEWARE, but you have not set SESSION_COOKIE_HTTPONLY to True. ${httpOnly}`,
        ['Set SESSION_COOKIE_HTTPONLY = True', ['middlewareonly/site/settings.py', 4, 26, 4, 31, 'True']],
      ],
      // SESSION_COOKIE_SAMESITE = None (line 5) is accepted; SESSION_REDIS_HOST and SESSION_SECURITY_WARN_AFTER are third-party settings.
      [
        'middlewareonly/site/settings.py', 6, 0, 6, 17, 'DS201', 'warning', 'SESSION_FILE_PAHT is not a Django setting, so it has no effect. Did you mean SESSION_FILE_PATH?',
        ['Rename to SESSION_FILE_PATH', ['middlewareonly/site/settings.py', 6, 0, 6, 17, 'SESSION_FILE_PATH']],
      ],
      [
        'middlewareonly/site/settings.py', 7, 0, 7, 16, 'DS201', 'warning', 'SESSION_ENGINE_X is not a Django setting, so it has no effect. Did you mean SESSION_ENGINE?',
        ['Rename to SESSION_ENGINE', ['middlewareonly/site/settings.py', 7, 0, 7, 16, 'SESSION_ENGINE']],
      ],
      [
        'middlewareonly/site/settings.py', 11, 0, 11, 19, 'DS204', 'error',
        "SESSION_CACHE_ALIAS 'sesion' is not a key of CACHES, so session reads fail with InvalidCacheBackendError. Did you mean 'session'?",
        ["Use 'session'", ['middlewareonly/site/settings.py', 11, 22, 11, 30, "'session'"]],
      ],
    ]);
  });

  it('resolves global_settings and project modules imported by name, and leaves the rest unresolved instead of wrong', async () => {
    const root = fixtureProject('lintgaps/outside');
    assert.deepEqual(await lintProject(root, { env: {} }), []);
    const { settings } = scanJson(await scanProject(root, { env: {} }), root);
    const prod = 'config/settings/prod.py';
    assert.deepEqual(settings, [
      { name: 'SESSION_COOKIE_NAME', value: 'sessionid_prod', file: prod, line: 11 },
      { name: 'SESSION_COOKIE_AGE', value: 1200, file: prod, line: 10 },
      { name: 'SESSION_COOKIE_SECURE', value: true, file: prod, line: 14 },
      { name: 'SESSION_COOKIE_PATH', value: '/', file: prod, line: 12 },
      { name: 'SESSION_COOKIE_DOMAIN', value: null, file: prod, line: 13 },
      { name: 'SESSION_SAVE_EVERY_REQUEST', value: true, file: prod, line: 15 },
      { name: 'SESSION_COOKIE_HTTPONLY', value: { unresolved: 'the value of vendor_defaults.COOKIE_HTTPONLY is not known statically: it is defined outside the project' }, file: prod, line: 16 },
      {
        name: 'SESSION_EXPIRE_AT_BROWSER_CLOSE',
        value: { unresolved: 'the value of django.conf.global_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE_TYPO is not known statically: it is defined outside the project' },
        file: prod,
        line: 17,
      },
    ]);
  });
});

describe('DS201 on a SESSION_* name whose value is not known', () => {
  it('reports the name whatever its value, as PostHog-style SESSION_RECORDING_* settings showed only when their variable was set', async () => {
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
      'app/__init__.py': '',
      'app/settings.py': 'import os\nSECRET_KEY = "k"\nSESSION_RECORDING_REDIS_URL = os.environ["RECORDING_REDIS_URL"]\nSESSION_COOKIE_AGE = os.environ["AGE"]\n',
    });
    const rows = (await lintProject(root, { env: {} })).filter((d) => d.code.startsWith('DS2')).map((d) => [d.code, d.message]);
    // SESSION_COOKIE_AGE's type is not checked while its value is unknown.
    assert.deepEqual(rows, [['DS201', 'SESSION_RECORDING_REDIS_URL is not a Django setting, so it has no effect; remove it or check its spelling.']]);
  });
});

describe('DS201 beside opaque calls and code that reads the setting', () => {
  it("reports a typo at its own assignment when an opaque call after it may change every setting, so the rename edits the name (edX's add_plugins)", async () => {
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
      'app/__init__.py': '',
      'app/settings.py': 'from edx_django_utils.plugins import add_plugins\nSECRET_KEY = "k"\nSESSION_COKIE_AGE = 3600\n\nadd_plugins(__name__, "lms", "common")\n',
    });
    const ds201 = (await lintProject(root, { env: {} })).filter((d) => d.code === 'DS201');
    assert.deepEqual(
      ds201.map((d) => [d.range.start.line + 1, d.range.start.character, d.range.end.character, d.fix?.edits[0]?.range.start.line === 2 && d.fix.edits[0].range.end.character === 17]),
      [[3, 0, 17, true]],
    );
  });

  it("is not given for a project setting the code reads with getattr(settings, …) or hasattr (edX's and CommCare's middleware)", async () => {
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
      'app/__init__.py': '',
      'app/settings.py': 'SECRET_KEY = "k"\nSESSION_INACTIVITY_TIMEOUT_IN_SECONDS = 900\nSESSION_BYPASS_URLS = []\nSESSION_UNREAD_FLAG = True\n',
      'app/middleware.py': [
        'from django.conf import settings as conf',
        '',
        'def timeout(request):',
        '    if hasattr(conf, "SESSION_BYPASS_URLS"):',
        '        return getattr(conf, "SESSION_INACTIVITY_TIMEOUT_IN_SECONDS", None)',
        '    return getattr(request, "SESSION_UNREAD_FLAG", None)',
        '',
      ].join('\n'),
    });
    const ds201 = (await lintProject(root, { env: {} })).filter((d) => d.code === 'DS201').map((d) => d.message.split(' ')[0]);
    assert.deepEqual(ds201, ['SESSION_UNREAD_FLAG']);
  });
});

describe('DS201 in a branch that does not run here', () => {
  it('reports a misspelt SESSION_* name a settings module assigns only under a condition not taken, not one a function assigns', async () => {
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n',
      'app/__init__.py': '',
      'app/settings.py': [
        'import os',
        'SECRET_KEY = "k"',
        'DEBUG = True',
        'if not DEBUG:',
        '    SESSION_COOKIE_DOMIAN = ".example.com"',
        'if os.environ.get("PROD"):',
        '    SESSION_EXPIRE_AT_BROWSR_CLOSE = True',
        'def configure():',
        '    SESSION_LOCAL_TYPO = 1',
        '',
      ].join('\n'),
    });
    const ds201 = (await lintProject(root, { env: {} })).filter((d) => d.code === 'DS201');
    assert.deepEqual(
      ds201.map((d) => [d.range.start.line + 1, d.range.start.character, d.message.split(' ')[0], d.fix?.edits[0]?.newText]),
      [
        [5, 4, 'SESSION_COOKIE_DOMIAN', 'SESSION_COOKIE_DOMAIN'],
        [7, 4, 'SESSION_EXPIRE_AT_BROWSR_CLOSE', 'SESSION_EXPIRE_AT_BROWSER_CLOSE'],
      ],
    );
  });
});
