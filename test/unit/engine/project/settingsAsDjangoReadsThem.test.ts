import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { discoverProjects, storeLocation } from '../../../../engine/src';
import { tempProject } from './tempProject';
import { projectWithSettings } from './settingsProject';

const SQLITE = 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n';

/** Settings idioms of real projects (babybuddy, taiga) read as Django reads them, with their problems where Django has them. */
describe('settings as Django reads them', () => {
  it('an unset variable `or None` needs that variable, as without the `or None`', async () => {
    const project = await projectWithSettings(`import os\nSECRET_KEY = os.environ.get("SECRET_KEY") or None\n${SQLITE}`);
    assert.equal(project.stores[0]?.secretKeys.missing, 'needs environment variable SECRET_KEY');
    const set = await projectWithSettings(`import os\nSECRET_KEY = os.environ.get("SECRET_KEY") or None\n${SQLITE}`, {}, { SECRET_KEY: 'k' });
    assert.deepEqual(set.stores[0]?.secretKeys.values, ['k']);
  });

  it('an empty or None SECRET_KEY is no key: Django refuses to run with it', async () => {
    const empty = await projectWithSettings(`import os\nSECRET_KEY = os.getenv("APP_SECRET_KEY")\n${SQLITE}`, {}, { APP_SECRET_KEY: '' });
    assert.deepEqual(empty.stores[0]?.secretKeys.values, []);
    assert.equal(empty.stores[0]?.secretKeys.missing, "SECRET_KEY is empty (environment variable APP_SECRET_KEY is set to ''), and Django refuses to run with an empty SECRET_KEY");
    const none = await projectWithSettings(`SECRET_KEY = None\n${SQLITE}`);
    assert.equal(none.stores[0]?.secretKeys.missing, 'SECRET_KEY is None, and Django refuses to run with an empty SECRET_KEY');
  });

  it("binds a decorated class or function's name without running it, so a call of it says it cannot be evaluated, not that it is missing (Mathesar's @dataclass PostgresConfig)", async () => {
    const project = await projectWithSettings(
      'SECRET_KEY = "k"\nfrom dataclasses import dataclass\n\n@dataclass(frozen=True)\nclass PostgresConfig:\n    name: str\n    def to_django_dict(self):\n        return {"ENGINE": "django.db.backends.sqlite3", "NAME": self.name}\n\nDATABASES = {"default": PostgresConfig(name="m").to_django_dict()}\n',
    );
    assert.deepEqual(
      project.problems.map((p) => [p.message, p.location?.line]),
      [["DATABASES['default']: cannot evaluate a call to PostgresConfig statically", 10]],
    );
  });

  it("takes a helper that writes to stderr and exits as raising SystemExit, as a raise in it is taken (Review Board's dependency_error)", async () => {
    const project = await projectWithSettings(
      `import sys\nSECRET_KEY = "k"\n${SQLITE}def dependency_error(msg):\n    sys.stderr.write(msg + "\\n")\n    sys.exit(1)\n\ntry:\n    from settings_local import *\nexcept ImportError as exc:\n    dependency_error("Unable to import settings_local.py: %s" % exc)\n`,
    );
    assert.deepEqual(
      project.problems.filter((p) => p.raises).map((p) => [p.message, p.location?.line]),
      [['the settings raise SystemExit here: dependency_error() raises SystemExit (settings.py:6), so Django cannot start with them as they read in this environment', 8]],
    );
  });

  it("says a SECRET_KEY bound to an object() placeholder is replaced at run time (Sentry's DEAD)", async () => {
    const project = await projectWithSettings(`DEAD = object()\nSECRET_KEY = DEAD\n${SQLITE}`);
    assert.equal(project.stores[0]?.secretKeys.missing, 'an object() placeholder, which the project replaces at run time');
  });

  it("names the variable whose None default stands where it is not set (umap's env('SECRET_KEY', default=None))", async () => {
    for (const read of ['env("SECRET_KEY", default=None)', 'env.str("SECRET_KEY", None)', 'os.environ.get("SECRET_KEY", None)']) {
      const project = await projectWithSettings(`import os, environ\nenv = environ.Env()\nSECRET_KEY = ${read}\n${SQLITE}`);
      assert.equal(project.stores[0]?.secretKeys.missing, 'needs environment variable SECRET_KEY (without it SECRET_KEY is None, and Django refuses to run with an empty SECRET_KEY)', read);
    }
  });

  it('notes only the first exception the settings raise, where Python stops importing them', async () => {
    const helper = 'def strtobool(val):\n    if val.lower() in ("1", "true"):\n        return 1\n    raise ValueError(val)\n';
    const project = await projectWithSettings(
      `import os\n${helper}SECRET_KEY = "k"\n${SQLITE}DEBUG = strtobool(os.environ.get("DEBUG") or "true")\nTEMPLATE_DEBUG = strtobool(os.environ.get("DEBUG") or "true")\n`,
      {},
      { DEBUG: 'maybe' },
    );
    const raises = project.problems.filter((problem) => problem.message.startsWith('the settings raise'));
    assert.deepEqual(raises.map((problem) => [problem.message, problem.location?.line]), [
      ['the settings raise ValueError here: strtobool() raises ValueError (settings.py:5), so Django cannot start with them as they read in this environment', 8],
    ]);
  });

  it('`with suppress(...)` swallows what it names, ending the block there, and nothing else (PostHog)', async () => {
    const helper = 'def need(name):\n    if name not in os.environ:\n        raise ImproperlyConfigured(name)\n    return os.environ[name]\n';
    const settings = (suppressed: string) =>
      `import os\nfrom contextlib import suppress\nfrom django.core.exceptions import ImproperlyConfigured\n${helper}SECRET_KEY = "k"\n${SQLITE}SESSION_COOKIE_AGE = 60\nwith suppress(${suppressed}):\n    SESSION_COOKIE_AGE = int(need("AGE"))\n    SESSION_COOKIE_NAME = "never"\n`;
    const swallowed = await projectWithSettings(settings('KeyError, Exception'));
    assert.deepEqual([swallowed.problems, swallowed.stores[0]?.cookieAgeSeconds, swallowed.settings.some((s) => s.name === 'SESSION_COOKIE_NAME')], [[], 60, false]);
    const escapes = await projectWithSettings(settings('KeyError'));
    assert.deepEqual(escapes.problems.map((problem) => problem.message), [
      'the settings raise ImproperlyConfigured here: need() raises ImproperlyConfigured (settings.py:6), so Django cannot start with them as they read in this environment',
      'SESSION_COOKIE_AGE: need() raises ImproperlyConfigured (settings.py:6)',
    ]);
  });

  it('sys.exit() in the settings stops them, as a raise of SystemExit (PostHog)', async () => {
    const settings = `import os, sys\nSECRET_KEY = os.getenv("SECRET_KEY", "default")\n${SQLITE}if SECRET_KEY == "default" and not os.getenv("DEBUG"):\n    sys.exit("Default SECRET_KEY in production")\n`;
    const stops = await projectWithSettings(settings);
    assert.deepEqual(stops.problems.map((problem) => [problem.message, problem.location?.line]), [['the settings raise SystemExit here, so Django cannot start with them as they read in this environment', 5]]);
    assert.deepEqual((await projectWithSettings(settings, {}, { DEBUG: '1' })).problems, []);
  });

  it('`unknown or true` is true and `unknown and false` false, whatever the unknown is (PostHog)', async () => {
    const settings = `import os, sys\nSECRET_KEY = "k"\n${SQLITE}TEST = "pydevd" in sys.modules\nDEBUG = os.getenv("DEBUG") == "1"\nif TEST or DEBUG:\n    SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\nif TEST and DEBUG:\n    SESSION_COOKIE_AGE = 5\n`;
    const debug = await projectWithSettings(settings, {}, { DEBUG: '1' });
    assert.equal(debug.stores[0]?.engine, 'signed_cookies');
    // Without DEBUG, `TEST or DEBUG` is TEST, which cannot be told; `TEST and DEBUG` is false.
    const production = await projectWithSettings(settings);
    const value = (name: string) => production.settings.find((setting) => setting.name === name)?.value;
    assert.deepEqual([value('SESSION_ENGINE')?.kind, value('SESSION_COOKIE_AGE')], ['unknown', undefined]);
  });

  it("django-environ's env('X') raises ImproperlyConfigured in a try when X is unset, so its except clause runs (EthicalAds)", async () => {
    const settings = `import environ\nfrom django.core.exceptions import ImproperlyConfigured\nenv = environ.Env()\ntry:\n    env.read_env(env("ENV_FILE"))\nexcept ImproperlyConfigured:\n    pass\nSECRET_KEY = env("SECRET_KEY", default="k")\n${SQLITE}`;
    const unset = await projectWithSettings(settings);
    assert.deepEqual([unset.problems, unset.stores[0]?.secretKeys.values], [[], ['k']]);
    const named = await projectWithSettings(settings, { 'app/prod.env': 'SECRET_KEY=from-file\n' }, { ENV_FILE: 'app/prod.env' });
    assert.deepEqual(named.stores[0]?.secretKeys.values, ['from-file']);
  });

  it("imports the project's own installed code: a src/ layout (django-oscar), and the package manage.py is in (Label Studio)", async () => {
    const srcLayout = await projectWithSettings(`from mylib.defaults import *\nSECRET_KEY = "k"\n${SQLITE}`, {
      'setup.py': 'from setuptools import setup\nsetup(package_dir={"": "src"})\n',
      'src/mylib/__init__.py': '',
      'src/mylib/defaults.py': 'SESSION_COOKIE_AGE = 20\n',
    });
    assert.deepEqual([srcLayout.problems, srcLayout.stores[0]?.cookieAgeSeconds], [[], 20]);
    const root = tempProject({
      'pyproject.toml': '[project]\nname = "label-studio"\n',
      'label_studio/__init__.py': '',
      'label_studio/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")\n',
      'label_studio/core/__init__.py': '',
      'label_studio/core/params.py': 'def get_env(name, default=None):\n    return default\n',
      'label_studio/core/settings.py': `from label_studio.core.params import get_env\nSECRET_KEY = "k"\n${SQLITE}SESSION_COOKIE_AGE = get_env("AGE", 30)\n`,
    });
    const [packaged] = await discoverProjects(path.join(root, 'label_studio'), { env: {} });
    assert.deepEqual([packaged?.problems, packaged?.stores[0]?.cookieAgeSeconds], [[], 30]);
  });

  it("a helper that exec()s files into its caller's globals may set any setting (Kiwi TCMS), and sorted() is Python's", async () => {
    const project = await projectWithSettings(`import os\nfrom app.helpers import import_local_settings\nSECRET_KEY = "k"\n${SQLITE}import_local_settings("overrides")\n`, {
      'app/helpers.py': 'import glob, inspect, os\ndef import_local_settings(scan_dir):\n    scope = inspect.stack()[1][0].f_globals\n    for fname in sorted(glob.glob(os.path.join(scan_dir, "*.py"))):\n        exec(open(fname, "rb").read(), scope)\n',
    });
    assert.deepEqual(project.stores, []);
    assert.match(project.problems.map((problem) => problem.message).join('\n'), /SESSION_ENGINE: may be set by import_local_settings\("overrides"\), whose import_local_settings\(\) runs code, reaches its caller's globals or sets globals by name/);
    // authentik's _update_settings() copies a module's names into globals() by name.
    const byName = await projectWithSettings(
      `import importlib\nSECRET_KEY = "k"\n${SQLITE}def _update_settings(path):\n    module = importlib.import_module(path)\n    for attr in dir(module):\n        globals()[attr] = getattr(module, attr)\n_update_settings("app.user_settings")\n`,
    );
    assert.deepEqual(byName.stores, []);
    assert.match(byName.problems.map((problem) => problem.message).join('\n'), /SESSION_ENGINE: may be set by _update_settings\("app.user_settings"\)/);
    const sorted = await projectWithSettings(`SECRET_KEY = "k"\n${SQLITE}NAMES = sorted(["b", "a"])\nSESSION_COOKIE_NAME = NAMES[0]\n`);
    assert.equal(sorted.stores[0]?.cookieName, 'a');
  });

  it('calls a lambda the settings bind, as a function returning its expression (django-oscar)', async () => {
    const project = await projectWithSettings(
      'import os\nlocation = lambda x, base="data": os.path.join("/srv", base, x)\nSECRET_KEY = "k"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": location("db.sqlite")}}\nSESSION_COOKIE_AGE = (lambda: 60 * 5)()\n',
    );
    assert.deepEqual([project.problems, project.stores[0]?.database, project.stores[0]?.cookieAgeSeconds], [[], { vendor: 'sqlite', path: '/srv/data/db.sqlite' }, 300]);
  });

  it('evaluates str.find(), startswith(), endswith() and replace() as Python does (Kiwi TCMS)', async () => {
    const project = await projectWithSettings(
      `SECRET_KEY = "k"\n${SQLITE}ENGINE = "django.db.backends.mysql"\nif ENGINE.find("mysql") > -1 and ENGINE.startswith(("x", "django.")) and not ENGINE.endswith("sqlite3"):\n    SESSION_COOKIE_NAME = "é-sid".replace("-", "_")\nSESSION_COOKIE_AGE = "żółw".find("w")\nSESSION_COOKIE_SAMESITE = "lAX".capitalize()\n`,
    );
    assert.deepEqual([project.problems, project.stores[0]?.cookieName, project.stores[0]?.cookieAgeSeconds], [[], 'é_sid', 3]);
    assert.deepEqual(project.settings.find((setting) => setting.name === 'SESSION_COOKIE_SAMESITE')?.value, { kind: 'str', value: 'Lax' });
  });

  it("a call handed the module's name may set any setting (Read the Docs' class-based settings); logging's may not", async () => {
    const project = await projectWithSettings(
      `import logging\nfrom app.base import Settings\nlogging.getLogger(__name__).setLevel("INFO")\nclass Prod(Settings):\n    SECRET_KEY = "k"\nProd.load_settings(__name__)\n`,
      { 'app/base.py': 'import sys\nclass Settings:\n    @classmethod\n    def load_settings(cls, name):\n        for key in dir(cls):\n            setattr(sys.modules[name], key, getattr(cls, key))\n' },
    );
    assert.deepEqual(project.stores, []);
    assert.match(project.problems.map((problem) => problem.message).join('\n'), /SESSION_ENGINE: may be changed by Prod\.load_settings\(__name__\), which static reading cannot follow/);
    const logged = await projectWithSettings(`import logging\nSECRET_KEY = "k"\n${SQLITE}logging.getLogger(__name__).setLevel("INFO")\n`);
    assert.deepEqual([logged.problems, logged.stores[0]?.engine], [[], 'db']);
  });

  it('says where a function called from outside the project comes from (Label Studio)', async () => {
    const project = await projectWithSettings('from nowhere.params import get_env\nSECRET_KEY = "k"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": get_env("DB", "x.db")}}\n');
    assert.deepEqual(project.problems.map((problem) => problem.message), ["DATABASES['default']['NAME']: cannot evaluate a call to get_env (nowhere.params.get_env, imported from outside the project) statically"]);
  });

  it('dj_database_url.config() without its variable gives {}, as dj-database-url does (wagtail bakerydemo)', async () => {
    const settings = `import dj_database_url\nSECRET_KEY = "k"\n${SQLITE}DATABASES["default"].update(dj_database_url.config(conn_max_age=500))\n`;
    for (const env of [{}, { DATABASE_URL: '' }]) {
      const kept = await projectWithSettings(settings, {}, env);
      assert.deepEqual([kept.problems, kept.stores[0]?.database?.vendor], [[], 'sqlite'], JSON.stringify(env));
    }
    const merged = await projectWithSettings(settings, {}, { DATABASE_URL: 'postgres://app@db/shop' });
    assert.equal(storeLocation(merged.stores[0]!), 'postgresql://app@db/shop');
    const empty = await projectWithSettings('import dj_database_url\nSECRET_KEY = "k"\nDATABASES = {"default": dj_database_url.config()}\n');
    assert.deepEqual(empty.problems.map((problem) => problem.message), ["DATABASES['default'] has no ENGINE, so Django cannot connect to it (dj_database_url.config() gives {} when DATABASE_URL is not set)"]);
    // A dict written without one says no more (Tabbycat's local.py).
    const literal = await projectWithSettings('SECRET_KEY = "k"\nDATABASES = {"default": {"NAME": "tabbycat"}}\n');
    assert.deepEqual(literal.problems.map((problem) => problem.message), ["DATABASES['default'] has no ENGINE, so Django cannot connect to it"]);
  });

  it("int() of text that is no number raises ValueError where the settings run it (Tandoor's DEBUG)", async () => {
    const settings = `import os\nSECRET_KEY = "k"\n${SQLITE}DEBUG = bool(int(os.getenv("DEBUG", "0")))\n`;
    const raising = await projectWithSettings(settings, {}, { DEBUG: 'yes' });
    assert.deepEqual(raising.problems.map((problem) => [problem.message, problem.location?.line]), [['the settings raise ValueError here: int("yes") raises ValueError, so Django cannot start with them as they read in this environment', 4]]);
    assert.deepEqual((await projectWithSettings(settings, {}, { DEBUG: '1' })).problems, []);
  });

  it("Path.home() is HOME, and `with suppress(ImportError)` around an import of missing local settings is no problem (pretalx)", async () => {
    const project = await projectWithSettings(
      `from contextlib import suppress\nfrom pathlib import Path\nSECRET_KEY = "k"\n${SQLITE}SESSION_FILE_PATH = str(Path.home() / "sessions")\nwith suppress(ImportError):\n    from .override_settings import *\n`,
      {},
      { HOME: '/home/ada' },
    );
    assert.deepEqual([project.problems, project.settings.find((setting) => setting.name === 'SESSION_FILE_PATH')?.value], [[], { kind: 'str', value: '/home/ada/sessions' }]);
  });

  it('notes no missing SessionMiddleware where another package gives requests a session (django-user-sessions)', async () => {
    const project = await projectWithSettings(`SECRET_KEY = "k"\n${SQLITE}INSTALLED_APPS = ["django.contrib.sessions"]\nMIDDLEWARE = ["user_sessions.middleware.SessionMiddleware"]\n`);
    assert.deepEqual(project.problems, []);
  });

  it('evaluates comprehensions and str.join, and names a key made at random as such (InvenTree, bakerydemo)', async () => {
    const project = await projectWithSettings(
      `import random, string\nconfig = {"engine": "django.db.backends.sqlite3", "name": "db.sqlite3", "skip": None}\nDATABASES = {"default": {key.upper(): value for key, value in config.items() if value}}\nSESSION_COOKIE_NAME = "_".join(part.strip() for part in [" shop ", "sid"])\nSECRET_KEY = "".join([random.SystemRandom().choice(string.printable) for i in range(50)])\n`,
    );
    const store = project.stores[0]!;
    assert.deepEqual([store.database?.vendor, store.cookieName], ['sqlite', 'shop_sid']);
    assert.match(store.secretKeys.missing ?? '', /^a random value, made anew each time the settings load/);
  });

  it("follows a helper that notes its lookups in its own module's dict (InvenTree's get_setting), not one writing into a branch's settings", async () => {
    const helper = 'import os\nLOOKUPS = {}\ndef get_setting(name, default=None):\n    LOOKUPS[name] = "env" if os.getenv(name) is not None else "default"\n    return os.getenv(name, default)\n';
    const project = await projectWithSettings(`import sys\nfrom app.config import get_setting\nSECRET_KEY = get_setting("APP_SECRET_KEY")\n${SQLITE}SESSION_COOKIE_AGE = int(get_setting("AGE", "60"))\n`, { 'app/config.py': helper }, { APP_SECRET_KEY: 'from-env' });
    assert.deepEqual([project.problems, project.stores[0]?.secretKeys.values, project.stores[0]?.cookieAgeSeconds], [[], ['from-env'], 60]);
    const branch = await projectWithSettings(`import sys\nSECRET_KEY = "k"\n${SQLITE}MIDDLEWARE = ["a"]\ndef poke():\n    MIDDLEWARE[0] = "z"\n    return 1\nif "pydevd" in sys.modules:\n    POKED = poke()\n`);
    // Called on one way through a condition, its write must not reach the settings the other way sees.
    const value = (name: string) => branch.settings.find((setting) => setting.name === name)?.value;
    assert.deepEqual([value('POKED')?.kind, value('MIDDLEWARE')], ['unknown', { kind: 'list', items: [{ kind: 'str', value: 'a' }] }]);
  });

  it("reads configparser's read_dict(), dict.get() and `is None` of a comparison, option by option (pretalx's config layers)", async () => {
    const project = await projectWithSettings(
      `import configparser, os, sys\nCONFIG = {"site": {"debug": {"default": "runserver" in sys.argv}, "secret": {"default": "abc", "env": os.getenv("APP_SECRET")}}, "redis": {"location": {"default": None}}}\nconfig = configparser.RawConfigParser()\nfor layer in ["default", "env"]:\n    config.read_dict({s: {k: v.get(layer) for k, v in c.items() if v.get(layer) is not None} for s, c in CONFIG.items()})\nSECRET_KEY = config.get("site", "secret")\n${SQLITE}if config.has_option("redis", "location"):\n    SESSION_ENGINE = "django.contrib.sessions.backends.cache"\nSESSION_COOKIE_SECURE = config.get("site", "debug")\n`,
      {},
      { APP_SECRET: 'from-env' },
    );
    const value = (name: string) => project.settings.find((setting) => setting.name === name)?.value;
    assert.deepEqual([project.stores[0]?.engine, project.stores[0]?.secretKeys.values], ['db', ['from-env']]);
    // Settings are read as `manage.py runserver` runs them, so pretalx's debug default is on.
    assert.deepEqual(value('SESSION_COOKIE_SECURE'), { kind: 'str', value: 'True' });
  });

  it("reads a secret kept in a file of the project with Path.read_text(), and watches it (pretalx's data/.secret)", async () => {
    const settings = `from pathlib import Path\n${SQLITE}SECRET_FILE = Path(__file__).parent / ".secret"\nif SECRET_FILE.exists():\n    SECRET_KEY = SECRET_FILE.read_text()\nelse:\n    SECRET_KEY = "fallback"\n`;
    const kept = await projectWithSettings(settings, { 'app/.secret': 'from-file' });
    assert.deepEqual(kept.stores[0]?.secretKeys.values, ['from-file']);
    assert.ok(kept.envFiles.some((file) => file.endsWith(path.join('app', '.secret'))));
    assert.deepEqual((await projectWithSettings(settings)).stores[0]?.secretKeys.values, ['fallback']);
    // The older form binds the file with `with … as f`, which is not read: said, not "'f' is not defined".
    const opened = await projectWithSettings(`${SQLITE}with open("app/.secret") as f:\n    SECRET_KEY = f.read().strip()\n`, { 'app/.secret': 'from-file' });
    assert.equal(opened.stores[0]?.secretKeys.missing, 'what open("app/.secret") gives to its with statement is not read statically');
  });

  it('an OPTIONS that is no dict is said where DATABASES is set, and the store is not opened', async () => {
    const project = await projectWithSettings(
      'import os\nSECRET_KEY = "k"\nconfig = {"ENGINE": "django.db.backends.postgresql", "NAME": "app"}\nconfig["OPTIONS"] = os.getenv("DB_OPTIONS")\nDATABASES = {"default": config}\n',
      { 'app/dev.py': 'from .settings import *\n' },
      { DB_OPTIONS: "{'sslmode': 'require'}", DJANGO_SETTINGS_MODULE: 'app.dev' },
    );
    const store = project.stores[0]!;
    assert.equal(store.database, undefined);
    assert.equal(storeLocation(store), 'unknown');
    assert.deepEqual(
      project.problems.map((problem) => [problem.message, problem.location?.file.endsWith('app/settings.py'), problem.location?.line]),
      [["DATABASES['default']['OPTIONS'] should be a dict, not str: Django cannot connect with it, so the store is not opened", true, 5]],
    );
  });

  it("a PostgreSQL NAME of None is the 'postgres' database, which Django connects to", async () => {
    const project = await projectWithSettings('import os\nSECRET_KEY = "k"\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": os.getenv("POSTGRES_DB"), "HOST": "db"}}\n');
    assert.equal(storeLocation(project.stores[0]!), 'postgresql://db/postgres');
    assert.deepEqual(
      project.problems.map((problem) => problem.message),
      ["DATABASES['default']['NAME'] is None (needs environment variable POSTGRES_DB), so Django connects to PostgreSQL's default database 'postgres'"],
    );
    // SQLite has no such default: Django cannot open a database without a name.
    const sqlite = await projectWithSettings('import os\nSECRET_KEY = "k"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.getenv("DB_NAME")}}\n');
    assert.equal(storeLocation(sqlite.stores[0]!), 'unknown');
    // Nor with an empty one, which a `DBNAME=` line in .env gives (it is no directory to put it in).
    const empty = await projectWithSettings('import os\nSECRET_KEY = "k"\nDATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["DBNAME"]}}\n', {}, { DBNAME: '' });
    assert.deepEqual([storeLocation(empty.stores[0]!), empty.problems.map((problem) => problem.message)], ['unknown', ["DATABASES['default']['NAME'] is empty, and Django refuses to open SQLite without one (\"Please supply the NAME value\")"]]);
  });

  it('a HOST, PORT or USER that cannot be read leaves the store unopened, not on the local server (djangoproject.com)', async () => {
    for (const [part, vendor] of [['HOST', 'postgresql'], ['PORT', 'postgresql'], ['USER', 'mysql']]) {
      const project = await projectWithSettings(`import os\nSECRET_KEY = "k"\nDATABASES = {"default": {"ENGINE": "django.db.backends.${vendor}", "NAME": "app", "${part}": os.environ["DB_${part}"]}}\n`);
      assert.equal(storeLocation(project.stores[0]!), 'unknown', part);
      assert.deepEqual(project.problems.map((problem) => problem.message), [`DATABASES['default']['${part}']: needs environment variable DB_${part}`]);
    }
  });
});
