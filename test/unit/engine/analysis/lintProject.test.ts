import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintProject } from '../../../../engine/src/analysis';
import { tempProject } from '../project/tempProject';
import { fixtureProject } from '../project/fixturePath';
import { lintRow as row } from './lintRows';

describe('lintProject', () => {
  it('reports every session-key and settings rule of the lint fixture, exactly', async () => {
    const root = fixtureProject('lint');
    const rows = (await lintProject(root, { env: {} })).map((d) => row(root, d));
    assert.deepEqual(rows, [
      ["alpha/alphasite/settings.py", 0, 0, 0, 0, "security.W012", "warning", "SESSION_COOKIE_SECURE is not set to True. Using a secure-only session cookie makes it more difficult for network traffic sniffers to hijack user sessions.", ["Add SESSION_COOKIE_SECURE = True", ["alpha/alphasite/settings.py", 14, 0, 14, 0, "SESSION_COOKIE_SECURE = True\n"]]],
      ["alpha/alphasite/settings.py", 8, 0, 8, 19, "DS204", "error", "SESSION_CACHE_ALIAS 'sesions' is not a key of CACHES, so session reads fail with InvalidCacheBackendError. Did you mean 'sessions'?", ["Use 'sessions'", ["alpha/alphasite/settings.py", 8, 22, 8, 31, "'sessions'"]]],
      ["alpha/alphasite/settings.py", 9, 21, 9, 27, "DS202", "error", "SESSION_COOKIE_AGE must be an int or float (seconds), not '3600'.", ["Use 3600", ["alpha/alphasite/settings.py", 9, 21, 9, 27, "3600"]]],
      ["alpha/alphasite/settings.py", 10, 26, 10, 35, "DS203", "error", "SESSION_COOKIE_SAMESITE must be 'Lax', 'Strict', 'None' or False; Django raises ValueError when it sets the cookie.", ["Use 'Lax'", ["alpha/alphasite/settings.py", 10, 26, 10, 35, "'Lax'"]]],
      ["alpha/alphasite/settings.py", 11, 0, 11, 23, "security.W015", "warning", "SESSION_COOKIE_HTTPONLY is not set to True. Using an HttpOnly session cookie makes it more difficult for cross-site scripting attacks to hijack user sessions.", ["Set SESSION_COOKIE_HTTPONLY = True", ["alpha/alphasite/settings.py", 11, 26, 11, 32, "True"]]],
      ["alpha/alphasite/settings.py", 11, 26, 11, 32, "DS202", "error", "SESSION_COOKIE_HTTPONLY must be True or False, not 'True'.", ["Use True", ["alpha/alphasite/settings.py", 11, 26, 11, 32, "True"]]],
      ["alpha/alphasite/settings.py", 12, 0, 12, 30, "DS201", "warning", "SESSION_EXPIRE_AT_BROWSR_CLOSE is not a Django setting, so it has no effect. Did you mean SESSION_EXPIRE_AT_BROWSER_CLOSE?", ["Rename to SESSION_EXPIRE_AT_BROWSER_CLOSE", ["alpha/alphasite/settings.py", 12, 0, 12, 30, "SESSION_EXPIRE_AT_BROWSER_CLOSE"]]],
      ["alpha/shop/views.py", 8, 20, 8, 26, "DS106", "information", "'cart' duplicates the constant CART_KEY (alpha/shop/keys.py); use CART_KEY so the key is named in one place.", ["Use CART_KEY", ["alpha/shop/views.py", 8, 20, 8, 26, "CART_KEY"]]],
      ["alpha/shop/views.py", 9, 20, 9, 28, "DS102", "hint", "Session key 'unused' is written but never read in this project; read it where it is needed or stop storing it.", null],
      ["alpha/shop/views.py", 10, 30, 10, 53, "DS103", "error", "Session key 'when' is given a datetime, which JSONSerializer cannot store (TypeError when the session is saved); store value.isoformat() and parse it back with datetime.fromisoformat() on read.", ["Store the ISO string", ["alpha/shop/views.py", 10, 30, 10, 53, "datetime.datetime.now().isoformat()"]]],
      ["alpha/shop/views.py", 11, 31, 11, 46, "DS103", "error", "Session key 'price' is given a Decimal, which JSONSerializer cannot store (TypeError when the session is saved); store str(value) and rebuild the Decimal on read.", ["Store the string", ["alpha/shop/views.py", 11, 31, 11, 46, "str(Decimal(\"1.50\"))"]]],
      ["alpha/shop/views.py", 12, 31, 12, 36, "DS105", "error", "set_expiry() takes seconds as an int, a datetime, a timedelta or None, not a string; pass one of those.", ["Pass 300 as an int", ["alpha/shop/views.py", 12, 31, 12, 36, "300"]]],
      ["alpha/shop/views.py", 13, 31, 13, 37, "DS101", "warning", "Session key 'crat' is read but never written in this project. Did you mean 'cart'?", ["Change to 'cart': Use CART_KEY", ["alpha/shop/views.py", 13, 31, 13, 37, "CART_KEY"]]],
      ["alpha/shop/views.py", 17, 20, 17, 26, "DS106", "information", "'cart' duplicates the constant CART_KEY (alpha/shop/keys.py); use CART_KEY so the key is named in one place.", ["Use CART_KEY", ["alpha/shop/views.py", 17, 20, 17, 26, "CART_KEY"]]],
      ["alpha/shop/views.py", 23, 4, 23, 29, "DS104", "warning", "Session key 'cart' is changed in place, which Django does not notice, so the change is not saved; set request.session.modified = True after it (or assign the key again).", ["Add request.session.modified = True", ["alpha/shop/views.py", 23, 39, 23, 39, "\n    request.session.modified = True"]]],
      ["beta/betasite/settings.py", 2, 21, 2, 75, "DS206", "error", "PickleSerializer was removed in Django 5.0, and unpickling session data lets anyone who learns SECRET_KEY run code; use JSONSerializer (Django then reads the sessions stored as pickles as empty, so their users sign in again).", ["Use JSONSerializer", ["beta/betasite/settings.py", 2, 21, 2, 75, "'django.contrib.sessions.serializers.JSONSerializer'"]]],
      ["beta/betasite/settings.py", 2, 21, 2, 75, "DS207", "error", "signed_cookies with PickleSerializer stores pickles in the client's cookie: a leaked SECRET_KEY means remote code execution. Use JSONSerializer.", ["Use JSONSerializer", ["beta/betasite/settings.py", 2, 21, 2, 75, "'django.contrib.sessions.serializers.JSONSerializer'"]]],
      ["beta/betasite/settings.py", 3, 26, 3, 32, "DS208", "warning", "SESSION_COOKIE_SAMESITE = 'None' without SESSION_COOKIE_SECURE = True: browsers reject such cookies, so sessions will not stick. Set SESSION_COOKIE_SECURE = True.", ["Add SESSION_COOKIE_SECURE = True", ["beta/betasite/settings.py", 4, 0, 4, 0, "SESSION_COOKIE_SECURE = True\n"]]],
      ["gamma/gammasite/settings.py", 2, 0, 2, 6, "DS205", "warning", "The session cache 'default' is DummyCache, so the cache layer of cached_db does nothing and every read goes to the database. Use Redis or memcached, or SESSION_ENGINE db.", null],
      ["gamma/gammasite/settings.py", 4, 21, 4, 73, "DS203", "error", "SESSION_SERIALIZER 'django.contrib.sessions.serializers.JSONSerialiser' does not exist; use 'django.contrib.sessions.serializers.JSONSerializer'.", ["Use JSONSerializer", ["gamma/gammasite/settings.py", 4, 21, 4, 73, "'django.contrib.sessions.serializers.JSONSerializer'"]]],
      ["gamma/gammasite/settings.py", 5, 24, 5, 29, "DS202", "error", "SESSION_COOKIE_SECURE must be True or False, not 'yes'.", null],
      ["gamma/gammasite/settings.py", 6, 0, 6, 23, "security.W013", "warning", "You have 'django.contrib.sessions' in your INSTALLED_APPS, but you have not set SESSION_COOKIE_HTTPONLY to True. Using an HttpOnly session cookie makes it more difficult for cross-site scripting attacks to hijack user sessions.", ["Set SESSION_COOKIE_HTTPONLY = True", ["gamma/gammasite/settings.py", 6, 26, 6, 27, "True"]]],
      ["gamma/gammasite/settings.py", 6, 26, 6, 27, "DS202", "warning", "SESSION_COOKIE_HTTPONLY is given 0, which Django takes as False; write False.", ["Use False", ["gamma/gammasite/settings.py", 6, 26, 6, 27, "False"]]],
    ]);
  });

  it('reports only the deploy check for startproject defaults, as information since they run with DEBUG = True', async () => {
    const root = fixtureProject('minimal');
    const found = await lintProject(root, { env: {} });
    assert.deepEqual(
      found.map((d) => [d.code, d.severity, d.message]),
      [
        [
          'security.W012',
          'information',
          'SESSION_COOKIE_SECURE is not set to True. Using a secure-only session cookie makes it more difficult for network traffic sniffers to hijack user sessions. (Information only: these settings run with DEBUG = True, so this is for the settings you deploy with.)',
        ],
      ],
    );
    assert.equal(found[0]!.fix?.title, 'Add SESSION_COOKIE_SECURE = True');
  });

  it('keeps the deploy checks warnings where DEBUG is off, or cannot be told', async () => {
    const apps = 'SECRET_KEY = "k"\nINSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\n';
    for (const [debug, env] of [
      ['DEBUG = False', {}],
      ['import os\nDEBUG = os.environ["DEBUG"] == "1"', {}],
      ['import os\nDEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"', { DJANGO_DEBUG: '0' }],
    ] as const) {
      const root = tempProject({ 'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n', 'site/settings.py': `${debug}\n${apps}` });
      assert.deepEqual((await lintProject(root, { env })).map((d) => [d.code, d.severity]), [['security.W012', 'warning']], debug);
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('lintProject on a settings package', () => {
  it('runs the deploy checks on every settings module the project can run with, not only the configured one', async () => {
    const root = fixtureProject('split');
    const rows = (await lintProject(root, { env: {} })).map((d) => row(root, d));
    assert.deepEqual(rows, [
      [
        'config/settings/prod.py', 0, 0, 0, 0, 'security.W011', 'warning',
        "You have 'django.contrib.sessions.middleware.SessionMiddleware' in your MIDDLEWARE, but you have not set SESSION_COOKIE_SECURE to True. Using a secure-only session cookie makes it more difficult for network traffic sniffers to hijack user sessions.",
        ['Add SESSION_COOKIE_SECURE = True', ['config/settings/prod.py', 4, 0, 4, 0, 'SESSION_COOKIE_SECURE = True\n']],
      ],
    ]);
  });

  it("finds the settings modules beside the configured one in a namespace package, a settings/ without __init__.py (djangoproject.com's tree)", async () => {
    const root = tempProject({
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.dev")\n',
      'proj/settings/common.py': 'SECRET_KEY = "c"\nINSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]\n',
      'proj/settings/dev.py': 'from .common import *\nSESSION_COOKIE_SECURE = True\n',
      'proj/settings/prod.py': 'from .common import *\nSESSION_COOKIE_SECURE = False\n',
    });
    const rows = (await lintProject(root, { env: {} })).map((d) => [path.relative(root, d.file), d.code]);
    assert.deepEqual(rows, [[path.join('proj', 'settings', 'prod.py'), 'security.W012']]);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
