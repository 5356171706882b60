import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPythonParser } from '../../../../engine/src/analysis';
import { settingValueToJson } from '../../../../engine/src/project';
import { evaluateSettingsFile } from '../../../../engine/src/project/settingsEvaluation';

describe('changes to settings that static reading follows, or marks unknown', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-changes-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function evaluate(lines: string[], env: Record<string, string> = {}) {
    const file = path.join(dir, 'settings.py');
    fs.writeFileSync(file, lines.join('\n'));
    const result = evaluateSettingsFile(await loadPythonParser(), file, dir, new Map(Object.entries(env)));
    const json = (name: string): unknown => {
      const binding = result.values.get(name);
      return binding && settingValueToJson(binding.value);
    };
    return { result, json, file };
  }

  const CACHES = 'CACHES = {"default": {"BACKEND": "b", "KEY_PREFIX": "shop"}, "other": {"BACKEND": "o"}}';

  it('runs a for loop over known items once per item', async () => {
    const { json, result, file } = await evaluate([
      CACHES,
      'for alias in CACHES:',
      '    CACHES[alias]["VERSION"] = 2',
      'for alias, config in CACHES.items():',
      '    config["TIMEOUT"] = 60',
      'APPS = []',
      'for i in range(3):',
      '    APPS.append(i)',
      'else:',
      '    DONE = True',
    ]);
    assert.deepEqual(json('CACHES'), { default: { BACKEND: 'b', KEY_PREFIX: 'shop', VERSION: 2, TIMEOUT: 60 }, other: { BACKEND: 'o', VERSION: 2, TIMEOUT: 60 } });
    assert.deepEqual([json('APPS'), json('DONE')], [[0, 1, 2], true]);
    // Changed last through its own name on line 3 (line 5 changes it through `config`).
    assert.deepEqual(result.values.get('CACHES')?.location, { file, line: 3, column: 4 });
  });

  it("binds the keys of a known dict given to vars().update(), such as django-environ's email_url() (DefectDojo, Funkwhale)", async () => {
    const { json } = await evaluate([
      'import environ',
      'env = environ.Env()',
      'SESSION_ENGINE = "django.contrib.sessions.backends.cache"',
      'vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))',
      'globals().update({"SESSION_COOKIE_AGE": 60}, SESSION_COOKIE_NAME="sid")',
    ]);
    assert.deepEqual([json('SESSION_ENGINE'), json('SESSION_COOKIE_AGE'), json('SESSION_COOKIE_NAME')], ['django.contrib.sessions.backends.cache', 60, 'sid']);
    assert.deepEqual(json('EMAIL_HOST'), { unresolved: 'an email setting from env.email_url(), not read statically' });
    // Given something that is not a dict of known keys, any name may be set.
    const other = await evaluate(['import environ', 'env = environ.Env()', 'SESSION_COOKIE_SECURE = True', 'locals().update(env.str("OTHER", default="x"))']);
    assert.match(String((other.json('SESSION_COOKIE_SECURE') as { unresolved: string }).unresolved), /^may be changed by locals\(\)\.update/);
  });

  it('makes what a loop it cannot follow changes unknown', async () => {
    const { json } = await evaluate([CACHES, 'import os', 'for alias in os.environ["ALIASES"].split(","):', '    CACHES[alias]["KEY_PREFIX"] = "x"', 'OTHER = 1']);
    assert.deepEqual(json('CACHES'), {
      unresolved: 'changed in a loop that cannot be followed statically (for alias in os.environ["ALIASES"].split(","): needs environment variable ALIASES)',
    });
    assert.equal(json('OTHER'), 1);
  });

  it('quotes a long loop header on one line, cut short', async () => {
    const { json } = await evaluate(['import os', 'SESSION_COOKIE_AGE = 60', 'for path in [', '    "/etc/app.conf",', '    "/usr/local/etc/app.conf",', '    "/opt/app/etc/app.conf",', '    "/srv/app/etc/app.conf",', ']:', '    SESSION_COOKIE_AGE = 90', '    if os.environ["STOP"]:', '        break']);
    assert.deepEqual(json('SESSION_COOKIE_AGE'), {
      unresolved: 'changed in a loop that cannot be followed statically (for path in [ "/etc/app.conf", "/usr/local/etc/app.conf", "/opt/app/etc/app.conf", "/srv/app…, which may break or continue where static reading cannot tell)',
    });
  });

  it("follows break and continue in a loop over known items: paperless-ngx's first configuration file that exists", async () => {
    fs.writeFileSync(path.join(dir, 'app.conf'), 'AGE=90\n');
    fs.writeFileSync(path.join(dir, 'other.conf'), 'AGE=30\n');
    const lines = [
      'import os',
      'from pathlib import Path',
      'from dotenv import load_dotenv',
      'for path in [os.getenv("CONF_PATH"), "missing.conf", "app.conf", "other.conf"]:',
      '    if path and Path(path).exists():',
      '        load_dotenv(path)',
      '        break',
      'SESSION_COOKIE_AGE = int(os.getenv("AGE", "60"))',
      'SKIPPED = []',
      'for name in ["a", "b", "c"]:',
      '    if name == "b":',
      '        continue',
      '    SKIPPED.append(name)',
      'else:',
      '    SESSION_ENGINE = "django.contrib.sessions.backends.cache"',
    ];
    const first = await evaluate(lines);
    assert.deepEqual([first.json('SESSION_COOKIE_AGE'), first.json('SKIPPED'), first.json('SESSION_ENGINE')], [90, ['a', 'c'], 'django.contrib.sessions.backends.cache']);
    assert.deepEqual(first.result.problems, []);
    const named = await evaluate(lines, { CONF_PATH: path.join(dir, 'other.conf') });
    assert.equal(named.json('SESSION_COOKIE_AGE'), 30);
    fs.rmSync(path.join(dir, 'app.conf'));
    fs.rmSync(path.join(dir, 'other.conf'));
    assert.equal((await evaluate(lines)).json('SESSION_COOKIE_AGE'), 60);
  });

  it("runs a loop's else clause only when it did not break", async () => {
    const { json } = await evaluate(['SESSION_ENGINE = "db"', 'for n in range(3):', '    if n == 1:', '        break', 'else:', '    SESSION_ENGINE = "cache"', 'LAST = n']);
    assert.deepEqual([json('SESSION_ENGINE'), json('LAST')], ['db', 1]);
  });

  it('names the exception settings raise where they run, with Django unable to start', async () => {
    const { result, file } = await evaluate(['import os', 'SECRET_KEY = os.getenv("APP_SECRET_KEY")', 'if not (SECRET_KEY or "").strip():', '    raise ImproperlyConfigured(', '        "APP_SECRET_KEY is not set"', '    )']);
    assert.deepEqual(result.problems, [{ message: 'the settings raise ImproperlyConfigured here, so Django cannot start with them as they read in this environment', location: { file, line: 4, column: 4 }, raises: true }]);
  });

  it('applies augmented assignments to known items, and makes unknown what it cannot apply', async () => {
    const { json } = await evaluate([CACHES, 'CACHES["default"]["KEY_PREFIX"] += "_v2"', 'AGES = [1, 2]', 'AGES[0] *= 10', 'import os', 'CACHES["other"]["BACKEND"] += os.environ["SUFFIX"]']);
    assert.deepEqual(json('CACHES'), { default: { BACKEND: 'b', KEY_PREFIX: 'shop_v2' }, other: { BACKEND: { unresolved: 'needs environment variable SUFFIX' } } });
    assert.deepEqual(json('AGES'), [10, 2]);
  });

  it('makes a dict or list unknown where a method changes it in a way that cannot be followed', async () => {
    const { json, result, file } = await evaluate([
      'import json, os',
      CACHES,
      'CACHES["default"].update(json.loads(os.environ.get("CACHE_OVERRIDES", "{}")))',
      'MIDDLEWARE = ["a", "b", "c"]',
      'MIDDLEWARE.remove("b")',
      'MIDDLEWARE.pop()',
      'APPS = ["x", "y"]',
      'APPS.sort(key=len)',
      'default = CACHES["other"]',
      'default.setdefault(os.environ["KEY"], 1)',
    ]);
    const reason = 'changed by CACHES["default"].update(json.loads(os.environ.get("CACHE_OVERRIDES", "{}"))), which static reading cannot follow: cannot evaluate a call to json.loads statically';
    const caches = result.values.get('CACHES')?.value;
    assert.deepEqual(caches?.kind === 'dict' && caches.entries.get('default'), { kind: 'unknown', reason, location: { file, line: 3, column: 0 } });
    // An alias of a setting's dict changes the setting.
    assert.deepEqual(json('CACHES'), {
      default: { unresolved: reason },
      other: { unresolved: 'changed by default.setdefault(os.environ["KEY"], 1), which static reading cannot follow: needs environment variable KEY' },
    });
    assert.deepEqual(json('MIDDLEWARE'), ['a']);
    assert.deepEqual(json('APPS'), { unresolved: 'changed by APPS.sort(key=len), which static reading cannot follow' });
  });

  it('makes what is handed to a function it cannot follow unknown, and everything when handed the namespace', async () => {
    const passed = await evaluate(['import helpers', 'DATABASES = {"default": {}}', 'TIME_ZONE = "UTC"', 'helpers.configure(DATABASES, TIME_ZONE)', 'print(TIME_ZONE)']);
    assert.deepEqual(passed.json('DATABASES'), { unresolved: 'changed by helpers.configure(DATABASES, TIME_ZONE), which static reading cannot follow' });
    assert.equal(passed.json('TIME_ZONE'), 'UTC');
    const everything = await evaluate(['import django_heroku', 'DEBUG = True', 'django_heroku.settings(locals())', 'SECRET_KEY = "after"']);
    const reason = { unresolved: 'may be changed by django_heroku.settings(locals()), which static reading cannot follow' };
    for (const name of ['DEBUG', 'DATABASES', 'SESSION_ENGINE', 'CACHES']) {
      assert.deepEqual(everything.json(name), reason, name);
    }
    assert.equal(everything.json('SECRET_KEY'), 'after');
  });

  it('binds a name set through globals()[NAME], and makes every setting unknown where the name cannot be known', async () => {
    const known = await evaluate(['globals()["SESSION_COOKIE_NAME"] = "lava"']);
    assert.equal(known.json('SESSION_COOKIE_NAME'), 'lava');
    const named = await evaluate(['import os', 'SESSION_COOKIE_SECURE = True', 'name = os.environ["OVERRIDE"]', 'globals()[name] = 1', 'SECRET_KEY = "after"']);
    const reason = { unresolved: 'may be set by globals()[name] = …, whose name static reading cannot know (needs environment variable OVERRIDE)' };
    for (const name of ['SESSION_COOKIE_SECURE', 'SESSION_ENGINE']) {
      assert.deepEqual(named.json(name), reason, name);
    }
    assert.equal(named.json('SECRET_KEY'), 'after');
    // lava-server's settings/prod.py sets settings from LAVA_SETTINGS_* variables (and YAML files) this way.
    const looped = await evaluate(['import os', 'SESSION_COOKIE_SECURE = True', 'for k in os.environ:', '    if k.startswith("LAVA_SETTINGS_"):', '        globals()[k[len("LAVA_SETTINGS_") :]] = os.environ[k]']);
    assert.deepEqual(looped.json('SESSION_COOKIE_SECURE'), { unresolved: 'changed in a loop that cannot be followed statically (for k in os.environ: cannot iterate over os.environ statically)' });
  });

  it('binds what setattr() or an attribute assignment sets on the settings module itself, sys.modules[__name__] or a name bound to it', async () => {
    const signed = 'django.contrib.sessions.backends.signed_cookies';
    const direct = await evaluate(['import sys', 'SESSION_ENGINE = "django.contrib.sessions.backends.db"', `setattr(sys.modules[__name__], "SESSION_ENGINE", "${signed}")`]);
    assert.equal(direct.json('SESSION_ENGINE'), signed);
    const aliased = await evaluate(['import sys', 'this = sys.modules[__name__]', `setattr(this, "SESSION_ENGINE", "${signed}")`, 'this.SESSION_COOKIE_NAME = "shop"', 'AGE = getattr(this, "SESSION_COOKIE_AGE", 60)']);
    assert.deepEqual([aliased.json('SESSION_ENGINE'), aliased.json('SESSION_COOKIE_NAME'), aliased.json('AGE')], [signed, 'shop', 60]);
    const unnamed = await evaluate(['import os, sys', 'this = sys.modules[__name__]', 'SESSION_COOKIE_SECURE = True', 'setattr(this, os.environ["OVERRIDE"], 1)', 'SECRET_KEY = "after"']);
    assert.deepEqual(unnamed.json('SESSION_COOKIE_SECURE'), { unresolved: 'may be set by setattr(this, os.environ["OVERRIDE"], 1), whose name static reading cannot know (needs environment variable OVERRIDE)' });
    assert.equal(unnamed.json('SECRET_KEY'), 'after');
  });

  it("makes every setting unknown where a call whose value is kept is handed the module, as dynaconf's settings = DjangoDynaconf(__name__) is", async () => {
    const { json } = await evaluate(['SESSION_ENGINE = "django.contrib.sessions.backends.db"', 'import dynaconf', 'settings = dynaconf.DjangoDynaconf(__name__)']);
    for (const name of ['SESSION_ENGINE', 'SECRET_KEY']) {
      assert.deepEqual(json(name), { unresolved: 'may be changed by dynaconf.DjangoDynaconf(__name__), which is handed the settings module and which static reading cannot follow' }, name);
    }
  });

  it('makes every setting unknown where a function of the settings sets its module attributes, or calls one that does', async () => {
    const { json } = await evaluate([
      'import sys',
      'SESSION_ENGINE = "django.contrib.sessions.backends.db"',
      'def put_setting(key, value):',
      '    setattr(sys.modules[__name__], key, value)',
      'def configure(dct):',
      '    for k, v in dct.items():',
      '        put_setting(k, v)',
      `configure({"SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies"})`,
    ]);
    assert.deepEqual(json('SESSION_ENGINE'), {
      unresolved: 'may be set by configure({"SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies"}), whose configure() runs code, reaches its caller\'s globals or sets globals by name, which static reading cannot follow',
    });
  });

  it('makes what a function of the settings declares global or names unknown where it is called', async () => {
    const { json } = await evaluate(['MIDDLEWARE = ["a"]', 'A = 1', 'def configure():', '    global SESSION_ENGINE', '    SESSION_ENGINE = "x"', '    MIDDLEWARE.append("b")', 'configure()', 'B = A']);
    for (const name of ['SESSION_ENGINE', 'MIDDLEWARE']) {
      assert.deepEqual(json(name), { unresolved: 'changed by configure(), which static reading cannot follow' }, name);
    }
    assert.equal(json('B'), 1);
  });

  it('deletes names and keys', async () => {
    const { json } = await evaluate([CACHES, 'SESSION_ENGINE = "x"', 'del SESSION_ENGINE', 'del CACHES["default"]["KEY_PREFIX"]']);
    assert.deepEqual([json('SESSION_ENGINE'), json('CACHES')], [undefined, { default: { BACKEND: 'b' }, other: { BACKEND: 'o' } }]);
  });

  it('makes every setting unknown after a star import from outside the project', async () => {
    const { json } = await evaluate(['from oscar.defaults import *', 'SECRET_KEY = "k"']);
    assert.deepEqual(json('SESSION_ENGINE'), { unresolved: 'may be set by from oscar.defaults import *, which is in neither the project nor a virtualenv of it: static reading cannot see what it defines (a virtualenv with the package installed, in manage.py\'s folder or the one above, lets it)' });
    assert.equal(json('SECRET_KEY'), 'k');
  });
});
