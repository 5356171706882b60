import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverProjects } from '../../engine/src';
import { SALEOR_GET_BOOL } from '../unit/engine/project/settingsHelpers';
import { tempProject } from '../unit/engine/project/tempProject';
import { PYTHON, requireDjango } from './realDjango';
import { skipOrFail } from './localServices';

/** What Django's settings hold for the session store (see python/settings_django.py). */
interface DjangoSettings {
  module: string;
  engine: string;
  cookie_age: number;
  file_path: string | null;
  key_prefix: string;
  db_engine: string;
  db_name: string;
}

const MANAGE = (line: string) => `#!/usr/bin/env python\nimport os\nimport sys\n\n\ndef main():\n    ${line}\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n\n\nif __name__ == '__main__':\n    main()\n`;
const SETDEFAULT = MANAGE("os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')");
const APPS = 'INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"]\nSECRET_KEY = "k-123456789012345"\n';
const SQLITE = 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n';
const ABSENT = (module: string) => `'${module}' is taken as absent, so the except clause runs: no such module is in the project or its virtualenv (it could still come from PYTHONPATH)`;

/**
 * Layouts whose control flow static reading used to skip without a word (an env file loaded
 * only if it exists, a try around a missing module, split settings, loops and augmented
 * assignments over CACHES, a forced DJANGO_SETTINGS_MODULE), each read both by discovery and by
 * real Django, which must agree.
 */
const CASES: {
  name: string;
  files: Record<string, string>;
  env?: Record<string, string>;
  /** A directory of the project that Django's run (only) gets as PYTHONPATH, as an activated virtualenv gives its site-packages. */
  pythonPath?: string;
  /** The problems discovery notes, by message and line. */
  problems?: { message: string; line: number }[];
}[] = [
  {
    name: 'an env file loaded only if it exists',
    files: {
      'proj/settings.py': `from pathlib import Path\nimport environ\n${APPS}${SQLITE}BASE_DIR = Path(__file__).resolve().parent.parent\nenv = environ.Env()\nENV_FILE = BASE_DIR / "deploy" / "app.env"\nif ENV_FILE.exists():\n    environ.Env.read_env(str(ENV_FILE))\nSESSION_ENGINE = env("SESSION_ENGINE", default="django.contrib.sessions.backends.db")\n`,
      'deploy/app.env': 'SESSION_ENGINE=django.contrib.sessions.backends.signed_cookies\n',
    },
  },
  {
    // Lines on which Debian's django-environ 0.4.4 and the current 0.12 agree: a # is kept, quotes go only around the whole value, `KEY = value` is no line.
    name: "the project .env loaded by django-environ's read_env(), read by its line rules rather than python-dotenv's",
    files: {
      'proj/settings.py': `from pathlib import Path\nimport environ\n${APPS}${SQLITE}BASE_DIR = Path(__file__).resolve().parent.parent\nenviron.Env.read_env(str(BASE_DIR / ".env"))\nenv = environ.Env()\nCACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": env.str("PROJ_KEY_PREFIX")}}\nSESSION_ENGINE = env.str("PROJ_ENGINE", default="django.contrib.sessions.backends.cache")\n`,
      '.env': "PROJ_KEY_PREFIX='sess' #kept\nPROJ_ENGINE = django.contrib.sessions.backends.signed_cookies\n",
    },
  },
  {
    name: "django-environ's env() of an unset variable, raising ImproperlyConfigured in a try (EthicalAds)",
    files: {
      'proj/settings.py': `import environ\nfrom django.core.exceptions import ImproperlyConfigured\n${APPS}${SQLITE}env = environ.Env()\nSESSION_COOKIE_AGE = 60\ntry:\n    env.read_env(env("ENV_FILE"))\n    SESSION_COOKIE_AGE = 120\nexcept ImproperlyConfigured:\n    SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\n`,
    },
  },
  {
    name: 'a try whose import of the project is missing',
    files: { 'proj/settings.py': `import os\n${APPS}${SQLITE}try:\n    from .local_settings import *\nexcept ImportError:\n    SESSION_ENGINE = "django.contrib.sessions.backends.file"\n    SESSION_FILE_PATH = os.path.join(os.path.dirname(__file__), "sessions")\n` },
  },
  {
    name: "cookiecutter-django's .env, not read unless asked",
    files: {
      'proj/settings.py': `from pathlib import Path\nimport environ\n${APPS}ROOT_DIR = Path(__file__).resolve(strict=True).parent.parent\nenv = environ.Env()\nif env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):\n    env.read_env(str(ROOT_DIR / ".env"))\nDATABASES = {"default": env.db("DATABASE_URL", default="sqlite:///default.sqlite3")}\n`,
      '.env': 'DATABASE_URL=sqlite:///other.sqlite3\n',
    },
  },
  {
    name: 'a loop and an augmented assignment over CACHES',
    files: {
      'proj/settings.py': `${APPS}${SQLITE}CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": "shop"}}\nfor alias in CACHES:\n    CACHES[alias]["KEY_PREFIX"] += "_v2"\nfor alias, config in CACHES.items():\n    config["VERSION"] = 2\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"\nSESSION_COOKIE_AGE = 60 * 60\n`,
    },
  },
  {
    name: "django-split-settings' include() and optional()",
    env: { DJANGO_ENV: 'development' },
    files: {
      'proj/settings/__init__.py': 'from os import environ\nfrom split_settings.tools import include, optional\nENV = environ.get("DJANGO_ENV") or "development"\ninclude("components/*.py", "environments/{0}.py".format(ENV), optional("environments/local.py"))\n',
      'proj/settings/components/common.py': `${APPS}${SQLITE}`,
      'proj/settings/components/sessions.py': 'SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\nSESSION_COOKIE_AGE = 600\n',
      'proj/settings/environments/development.py': 'SESSION_COOKIE_AGE += 60\n',
    },
  },
  {
    name: 'a settings module manage.py assigns over the environment',
    env: { DJANGO_SETTINGS_MODULE: 'other.settings' },
    files: { 'manage.py': MANAGE("os.environ['DJANGO_SETTINGS_MODULE'] = 'proj.settings'"), 'proj/settings.py': `${APPS}${SQLITE}SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\n` },
  },
  {
    name: 'a branch on a variable that is not None',
    env: { REDIS_PREFIX: 'cache' },
    files: { 'proj/settings.py': `import os\n${APPS}${SQLITE}PREFIX = os.environ.get("REDIS_PREFIX")\nif PREFIX is not None:\n    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": PREFIX}}\n    SESSION_ENGINE = "django.contrib.sessions.backends.cache"\n` },
  },  {
    name: "a directory added to sys.path for local settings that import the settings back (horizon's layout)",
    files: {
      'proj/settings.py': `import os\nimport sys\n${APPS}${SQLITE}ROOT_PATH = os.path.dirname(os.path.abspath(__file__))\nif ROOT_PATH not in sys.path:\n    sys.path.append(ROOT_PATH)\nSESSION_COOKIE_AGE = 600\ntry:\n    from local.local_settings import *\nexcept ImportError:\n    pass\n`,
      'proj/local/__init__.py': '',
      'proj/local/local_settings.py': 'from proj.settings import SESSION_COOKIE_AGE as AGE\nSESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\nSESSION_COOKIE_AGE = AGE * 2\n',
    },
  },
  {
    name: "a function that sets globals it declares, called at module level (Tandoor's setup_database())",
    files: {
      'proj/settings.py': `import os\n${APPS}SESSION_ENGINE = os.getenv("SESSION_ENGINE") or None\ndef setup(engine=None):\n    global SESSION_ENGINE\n    SESSION_ENGINE = engine or SESSION_ENGINE or "django.contrib.sessions.backends.signed_cookies"\n    return {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "setup.sqlite3"}}\nDATABASES = setup()\n`,
    },
  },
  {
    name: "configparser layers built with read_dict() over a dict of defaults and variables (pretalx)",
    env: { APP_ENGINE: 'django.contrib.sessions.backends.signed_cookies' },
    files: {
      'proj/settings.py': `import configparser, os, sys\n${APPS}${SQLITE}CONFIG = {"sessions": {"engine": {"default": "django.contrib.sessions.backends.db", "env": os.getenv("APP_ENGINE")}, "age": {"default": 600, "env": os.getenv("APP_AGE")}, "debug": {"default": "runserver" in sys.argv}}}\nconfig = configparser.RawConfigParser()\nfor layer in ["default", "env"]:\n    config.read_dict({s: {k: v.get(layer) for k, v in c.items() if v.get(layer) is not None} for s, c in CONFIG.items()})\nSESSION_ENGINE = config.get("sessions", "engine")\nSESSION_COOKIE_AGE = config.getint("sessions", "age")\n`,
    },
  },
  {
    name: 'a try around local settings beside manage.py that are absent',
    files: { 'proj/settings.py': `${APPS}${SQLITE}SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\ntry:\n    from settings_local import *\nexcept ImportError:\n    pass\n` },
    problems: [{ message: ABSENT('settings_local'), line: 6 }],
  },
  {
    name: "a try around a dotted star import of a package nowhere to be seen (django-oscar's sandbox)",
    files: { 'proj/settings.py': `${APPS}${SQLITE}SESSION_COOKIE_AGE = 600\ntry:\n    from deploypkg.json import *\nexcept ModuleNotFoundError:\n    SESSION_COOKIE_AGE += 60\n` },
    problems: [{ message: ABSENT('deploypkg.json'), line: 6 }],
  },
  {
    name: 'a try catching ImportError and ModuleNotFoundError around absent local settings',
    files: { 'proj/settings.py': `${APPS}${SQLITE}SESSION_COOKIE_AGE = 600\ntry:\n    from local_settings import *\nexcept (ImportError, ModuleNotFoundError):\n    SESSION_COOKIE_AGE += 60\n` },
    problems: [{ message: ABSENT('local_settings'), line: 6 }],
  },
  {
    name: 'a try around relative local settings that are absent',
    files: { 'proj/settings.py': `${APPS}${SQLITE}SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\ntry:\n    from .local_settings import *\nexcept ImportError:\n    pass\n` },
  },
  {
    name: "settings star-imported from a package installed in the project's virtualenv (mailman-web's layout)",
    pythonPath: '.venv/lib/python3.11/site-packages',
    files: {
      'proj/settings.py': 'from shopcommon.settings.base import *  # noqa\nSESSION_COOKIE_AGE = 900\n',
      '.venv/pyvenv.cfg': 'home = /usr/bin\ninclude-system-site-packages = false\n',
      '.venv/lib/python3.11/site-packages/shopcommon/__init__.py': '',
      '.venv/lib/python3.11/site-packages/shopcommon/settings/__init__.py': '',
      '.venv/lib/python3.11/site-packages/shopcommon/settings/base.py': `${APPS}${SQLITE}from .sessions import *  # noqa\n`,
      '.venv/lib/python3.11/site-packages/shopcommon/settings/sessions.py': 'SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\nSESSION_COOKIE_AGE = 60\n',
    },
  },
  {
    name: 'branches on variables read without a default that are not set, which are None',
    files: {
      'proj/settings.py': `import os\n${APPS}${SQLITE}if os.environ.get("PROJ_DEPLOYED"):\n    SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\nif not os.getenv("PROJ_LOCAL_ONLY"):\n    SESSION_COOKIE_AGE = 321\nDEPLOY_PATH = os.getenv("PROJ_DEPLOY_PATH")\nif DEPLOY_PATH and os.path.exists(DEPLOY_PATH):\n    SESSION_ENGINE = "django.contrib.sessions.backends.cache"\n`,
    },
  },
  {
    name: "a configparser reading the config files that exist, and none that do not (pretix's and zulip's layouts)",
    files: {
      'proj/settings.py': [
        'import configparser',
        'import os',
        `${APPS}${SQLITE}config = configparser.RawConfigParser()`,
        'config.read(["/nonexistent/proj.cfg", "proj.cfg"], encoding="utf-8")',
        'PRODUCTION = config.has_option("machine", "deploy_type")',
        'if config.has_section("sessions") and PRODUCTION:',
        '    SESSION_ENGINE = "django.contrib.sessions.backends.file"',
        '    SESSION_FILE_PATH = config.get("sessions", "dir", fallback="/tmp")',
        'SESSION_COOKIE_AGE = config.getint("sessions", "age", fallback=1209600)',
        '',
      ].join('\n'),
      'proj.cfg': '[machine]\ndeploy_type = production\n[sessions]\nage = 900\ndir = sessions\n',
    },
  },
  {
    name: "settings helpers of the project called for their values (saleor's and paperless-ngx's get_bool_from_env)",
    files: {
      'proj/envhelpers.py': [
        ...SALEOR_GET_BOOL,
        '',
        '',
        'def get_int_from_env(key: str, default: int = 0) -> int:',
        '    # The variable as an int.',
        '    return int(os.getenv(key, default))',
        '',
      ].join('\n'),
      'proj/settings.py': `from .envhelpers import get_bool_from_env, get_int_from_env\n${APPS}${SQLITE}SESSION_COOKIE_AGE = get_int_from_env("PROJ_SESSION_AGE", 600)\nif get_bool_from_env("PROJ_SIGNED_COOKIES", True):\n    SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\n`,
    },
  },
  {
    name: "the first configuration file that exists, loaded in a loop that breaks (paperless-ngx's layout)",
    files: {
      'proj/settings.py': [
        'import os',
        'from pathlib import Path',
        'import environ',
        `${APPS}${SQLITE}BASE_DIR = Path(__file__).resolve().parent.parent`,
        'for path in [os.getenv("PROJ_CONFIGURATION_PATH"), BASE_DIR / "missing.env", BASE_DIR / "deploy.env", BASE_DIR / "other.env"]:',
        '    if path and Path(path).exists():',
        '        environ.Env.read_env(str(path))',
        '        break',
        'env = environ.Env()',
        'SESSION_COOKIE_AGE = env.int("AGE", default=60)',
        'SESSION_ENGINE = env("ENGINE", default="django.contrib.sessions.backends.db")',
        '',
      ].join('\n'),
      'deploy.env': 'AGE=90\nENGINE=django.contrib.sessions.backends.signed_cookies\n',
      'other.env': 'AGE=30\nENGINE=django.contrib.sessions.backends.cache\n',
    },
  },
  {
    name: "settings read from a configuration module with importlib and getattr, and copied into globals() (NetBox's layout)",
    files: {
      'proj/settings.py': [
        'import importlib',
        'import os',
        'from .parameters import PARAMS',
        'INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"]',
        'configuration = importlib.import_module(os.getenv("PROJ_CONFIGURATION", "proj.configuration"))',
        'SECRET_KEY = getattr(configuration, "SECRET_KEY")',
        'DATABASES = {"default": getattr(configuration, "DATABASE")}',
        'LOGIN_TIMEOUT = getattr(configuration, "LOGIN_TIMEOUT", None)',
        'if LOGIN_TIMEOUT is not None:',
        '    SESSION_COOKIE_AGE = LOGIN_TIMEOUT',
        'SESSION_FILE_PATH = getattr(configuration, "SESSION_FILE_PATH", None)',
        'if SESSION_FILE_PATH is not None:',
        '    SESSION_ENGINE = "django.contrib.sessions.backends.file"',
        'for param in PARAMS:',
        '    if hasattr(configuration, param.name):',
        '        globals()[param.name] = getattr(configuration, param.name)',
        '',
      ].join('\n'),
      'proj/parameters.py': 'class Param:\n    def __init__(self, name):\n        self.name = name\n\n\nPARAMS = (Param("BANNER_TOP"), Param("MAINTENANCE_MODE"))\n',
      'proj/configuration.py': `import os\nSECRET_KEY = "k-123456789012345"\n${SQLITE.replace('DATABASES = {"default": ', 'DATABASE = ').replace('}}', '}')}LOGIN_TIMEOUT = 900\nSESSION_FILE_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sessions")\nBANNER_TOP = "Staging"\n`,
    },
  },
  {
    name: 'a switch on "test" in sys.argv, read as `manage.py runserver` runs the settings',
    files: { 'proj/settings.py': `import sys\n${APPS}${SQLITE}TESTING = "test" in sys.argv\nif TESTING:\n    SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\nif "runserver" in sys.argv:\n    SESSION_COOKIE_AGE = 600\n` },
  },
  {
    name: 'a star import of a module whose __all__ leaves its session settings out',
    files: {
      'proj/settings.py': 'from .base import *\n',
      'proj/base.py': `${APPS}${SQLITE}SESSION_ENGINE = "django.contrib.sessions.backends.file"\nSESSION_COOKIE_AGE = 600\n__all__ = ["INSTALLED_APPS", "SECRET_KEY"]\n__all__ += ["DATABASES"]\n`,
    },
  },
  {
    name: 'local settings in a try that import a package the virtualenv lacks, so the except clause runs',
    files: {
      'proj/settings.py': `${APPS}${SQLITE}try:\n    from .local_settings import *\nexcept ImportError:\n    pass\n`,
      'proj/local_settings.py': 'import debug_toolbar\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"\nCACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}\n',
      '.venv/pyvenv.cfg': 'home = /usr/bin\ninclude-system-site-packages = false\n',
      '.venv/lib/python3.11/site-packages/.keep': '',
    },
    problems: [{ message: "'debug_toolbar', which proj/local_settings.py imports at line 1, is taken as absent, so the except clause runs: it is in neither the project nor its virtualenv (it could still come from PYTHONPATH)", line: 5 }],
  },
  {
    name: "a .env python-dotenv's load_dotenv() expands, whose ${NAME} comes before the name is assigned again",
    files: {
      'proj/settings.py': `import os\nfrom pathlib import Path\nfrom dotenv import load_dotenv\n${APPS}${SQLITE}load_dotenv(Path(__file__).resolve().parent.parent / ".env")\nSESSION_ENGINE = "django.contrib.sessions.backends.cache"\nCACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": os.environ["PROJ_PREFIX"]}}\n`,
      '.env': 'PROJ_SITE=one\nPROJ_PREFIX=${PROJ_SITE}-sessions\nPROJ_SITE=two\n',
    },
  },
  {
    name: "a session cache made with dict.copy() and Python 3.9's | merge",
    files: {
      'proj/settings.py': `${APPS}${SQLITE}SESSION_ENGINE = "django.contrib.sessions.backends.cache"\nSESSION_CACHE_ALIAS = "sessions"\n_BASE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}\nCACHES = {"default": _BASE | {"KEY_PREFIX": "main"}}\nCACHES["sessions"] = CACHES["default"].copy()\nCACHES["sessions"]["KEY_PREFIX"] = "sess"\n`,
    },
  },
  {
    name: "a settings package importing its environment's module by its own __name__",
    files: {
      'proj/settings/__init__.py': `import importlib\nimport os\n${APPS}${SQLITE}_module = importlib.import_module(f"{__name__}.{os.environ.get('PROJ_ENV', 'dev')}")\nfor _name in dir(_module):\n    if _name.isupper():\n        globals()[_name] = getattr(_module, _name)\n`,
      'proj/settings/dev.py': 'SESSION_ENGINE = "django.contrib.sessions.backends.db"\n',
      'proj/settings/prod.py': 'SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"\nSESSION_COOKIE_AGE = 600\n',
    },
    env: { PROJ_ENV: 'prod' },
  },
  {
    name: "a copy of os.environ the settings read (Wagtail bakerydemo's env = os.environ.copy()) and then change",
    files: {
      'proj/settings.py': `import os\n${APPS}${SQLITE}env = os.environ.copy()\nif "PROJ_CACHE_PREFIX" in env:\n    SESSION_ENGINE = "django.contrib.sessions.backends.cache"\n    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": env["PROJ_CACHE_PREFIX"]}}\nenv["PROJ_CACHE_PREFIX"] = "changed"\nif os.environ.get("PROJ_CACHE_PREFIX") == "changed":\n    SESSION_COOKIE_AGE = 60\n`,
    },
    env: { PROJ_CACHE_PREFIX: 'copied' },
  },
  {
    name: "settings set through globals()[NAME] (lava-server's layout)",
    files: { 'proj/settings.py': `${APPS}${SQLITE}globals()["SESSION_ENGINE"] = "django.contrib.sessions.backends.signed_cookies"\nfor k, v in {"SESSION_COOKIE_AGE": 90}.items():\n    globals()[k] = v\n` },
  },
];

describe('interop: settings whose control flow decides the store read as Django reads them', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  before(function () {
    requireDjango(this);
    if (spawnSync(PYTHON, ['-c', 'import environ, split_settings'], { stdio: 'ignore' }).status !== 0) {
      skipOrFail(this, `django-environ or django-split-settings is missing (${PYTHON} cannot import them): install Debian's python3-django-environ and python3-django-split-settings`);
    }
  });
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  for (const { name, files, env = {}, pythonPath, problems = [] } of CASES) {
    it(name, async () => {
      const dir = tempProject({ 'manage.py': SETDEFAULT, 'proj/__init__.py': '', ...files }, 'djs-flow-');
      dirs.push(dir);
      const djangoEnv = { PATH: process.env.PATH ?? '', ...env, ...(pythonPath ? { PYTHONPATH: path.join(dir, pythonPath) } : {}) };
      const run = spawnSync(PYTHON, [path.join(__dirname, 'python/settings_django.py'), dir], { encoding: 'utf8', env: djangoEnv });
      assert.equal(run.status, 0, run.stderr);
      const django = JSON.parse(run.stdout) as DjangoSettings;
      const [project] = await discoverProjects(dir, { env });
      const store = project?.stores[0];
      assert.deepEqual(
        project?.problems.map((problem) => ({ message: problem.message, line: problem.location?.line })),
        problems,
      );
      assert.equal(project?.settingsModule, django.module);
      assert.equal(store?.enginePath, django.engine);
      assert.equal(store?.cookieAgeSeconds, django.cookie_age);
      if (store?.engine === 'file') {
        assert.equal(store.fileDir, path.resolve(dir, django.file_path!));
      }
      if (store?.engine === 'cache') {
        assert.equal(store.cache?.keyPrefix, django.key_prefix);
      }
      if (store?.engine === 'db') {
        assert.equal(django.db_engine, 'django.db.backends.sqlite3');
        assert.deepEqual(store.database, { vendor: 'sqlite', path: path.resolve(dir, django.db_name) });
      }
    });
  }
});
