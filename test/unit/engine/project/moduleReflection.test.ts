import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { evaluatedSettings } from './evaluatedSettings';

describe('settings read from a configuration module with importlib, getattr and hasattr (NetBox)', () => {
  async function evaluate(files: Record<string, string>, env: Record<string, string> = {}) {
    return evaluatedSettings(files, 'site/settings.py', env);
  }

  const CONFIGURATION = [
    'SECRET_KEY = "from-configuration"',
    'DATABASE = {"ENGINE": "django.db.backends.postgresql", "NAME": "netbox", "HOST": "localhost"}',
    'SESSION_FILE_PATH = None',
    'LOGIN_TIMEOUT = 600',
    'BANNER_TOP = "Staging"',
    '',
  ].join('\n');
  const IMPORT = ['import importlib', 'import os', 'configuration = importlib.import_module(os.getenv("NETBOX_CONFIGURATION", "site.configuration"))'];

  it("copies a module's upper-case names in a loop over dir(module), as Seahub copies its deployment's settings", async () => {
    const settings = [
      'SESSION_ENGINE = "django.contrib.sessions.backends.db"',
      'SESSION_COOKIE_AGE = 60',
      'import site.configuration as deployment',
      'for name in dir(deployment):',
      '    if name.isupper():',
      '        globals()[name] = getattr(deployment, name)',
      'NAMES = [n for n in dir(deployment) if not n.startswith("__")]',
    ].join('\n');
    const configuration = 'SESSION_ENGINE = "django.contrib.sessions.backends.cache"\nlowered = "kept out"\nSECRET_KEY = "deployment-key"\n';
    const { json } = await evaluate({ 'site/__init__.py': '', 'site/settings.py': settings, 'site/configuration.py': configuration });
    assert.deepEqual([json('SESSION_ENGINE'), json('SESSION_COOKIE_AGE'), json('SECRET_KEY'), json('lowered')], ['django.contrib.sessions.backends.cache', 60, 'deployment-key', undefined]);
    assert.deepEqual(json('NAMES'), ['SECRET_KEY', 'SESSION_ENGINE', 'lowered']);
  });

  it('imports the module importlib.import_module names, and reads it with getattr and hasattr', async () => {
    const settings = [
      ...IMPORT,
      'SECRET_KEY = getattr(configuration, "SECRET_KEY")',
      'DATABASES = {"default": getattr(configuration, "DATABASE")}',
      'SESSION_COOKIE_AGE = getattr(configuration, "LOGIN_TIMEOUT", None) or 1209600',
      'SESSION_COOKIE_NAME = getattr(configuration, "SESSION_COOKIE_NAME", "sessionid")',
      'SESSION_FILE_PATH = getattr(configuration, "SESSION_FILE_PATH", None)',
      'if SESSION_FILE_PATH is not None:',
      '    SESSION_ENGINE = "django.contrib.sessions.backends.file"',
      'HAS_BANNER = hasattr(configuration, "BANNER_TOP")',
      'HAS_MAINTENANCE = hasattr(configuration, "MAINTENANCE_MODE")',
      'MISSING = getattr(configuration, "MAINTENANCE_MODE")',
    ].join('\n');
    const { json } = await evaluate({ 'site/__init__.py': '', 'site/settings.py': settings, 'site/configuration.py': CONFIGURATION });
    assert.equal(json('SECRET_KEY'), 'from-configuration');
    assert.deepEqual(json('DATABASES'), { default: { ENGINE: 'django.db.backends.postgresql', NAME: 'netbox', HOST: 'localhost' } });
    assert.deepEqual([json('SESSION_COOKIE_AGE'), json('SESSION_COOKIE_NAME'), json('SESSION_FILE_PATH'), json('SESSION_ENGINE')], [600, 'sessionid', null, undefined]);
    assert.deepEqual([json('HAS_BANNER'), json('HAS_MAINTENANCE')], [true, false]);
    assert.deepEqual(json('MISSING'), { unresolved: `${path.join('site', 'configuration.py')} has no MAINTENANCE_MODE: getattr() raises AttributeError` });
  });

  it('imports the module an environment variable names, a relative name against its package, and says when it cannot tell', async () => {
    const files = { 'site/__init__.py': '', 'site/configuration.py': CONFIGURATION, 'site/testing.py': 'SECRET_KEY = "from-testing"\n' };
    const byEnv = await evaluate({ ...files, 'site/settings.py': [...IMPORT, 'SECRET_KEY = configuration.SECRET_KEY'].join('\n') }, { NETBOX_CONFIGURATION: 'site.testing' });
    assert.equal(byEnv.json('SECRET_KEY'), 'from-testing');
    const relative = await evaluate({ ...files, 'site/settings.py': 'import importlib\nSECRET_KEY = importlib.import_module(".testing", package="site").SECRET_KEY\n' });
    assert.equal(relative.json('SECRET_KEY'), 'from-testing');
    const outside = await evaluate({ ...files, 'site/settings.py': 'from importlib import import_module\nSECRET_KEY = getattr(import_module("netbox_secrets"), "SECRET_KEY")\n' });
    assert.deepEqual(outside.json('SECRET_KEY'), { unresolved: "module 'netbox_secrets' is not in the project, so static reading cannot see what it defines" });
    const unknownName = await evaluate({ ...files, 'site/settings.py': [...IMPORT.slice(0, 2), 'configuration = importlib.import_module(os.environ["CONF"])', 'SECRET_KEY = getattr(configuration, "SECRET_KEY")'].join('\n') });
    assert.deepEqual(unknownName.json('SECRET_KEY'), { unresolved: 'needs environment variable CONF' });
  });

  it("imports the module a settings package names from its own __name__ or __package__ and an environment variable, and guesses no namespace package's name", async () => {
    const modules = {
      'proj/__init__.py': '',
      'proj/settings/dev.py': 'SESSION_ENGINE = "django.contrib.sessions.backends.db"\n',
      'proj/settings/prod.py': 'SESSION_ENGINE = "django.contrib.sessions.backends.cache"\n',
    };
    const copy = ['for _name in dir(_module):', '    if _name.isupper():', '        globals()[_name] = getattr(_module, _name)'];
    const byName = { ...modules, 'proj/settings/__init__.py': ['import importlib', 'import os', '_module = importlib.import_module(f"{__name__}.{os.environ.get(\'DJANGO_ENV\', \'dev\')}")', ...copy].join('\n') };
    assert.equal((await evaluatedSettings(byName, 'proj/settings/__init__.py')).json('SESSION_ENGINE'), 'django.contrib.sessions.backends.db');
    assert.equal((await evaluatedSettings(byName, 'proj/settings/__init__.py', { DJANGO_ENV: 'prod' })).json('SESSION_ENGINE'), 'django.contrib.sessions.backends.cache');
    // A module that is no package is in the package __package__ names.
    const byPackage = { ...modules, 'proj/settings/__init__.py': '', 'proj/settings/select.py': ['import importlib', '_module = importlib.import_module(".prod", __package__)', ...copy, 'NAMES = [__name__, __package__]'].join('\n') };
    const selected = await evaluatedSettings(byPackage, 'proj/settings/select.py');
    assert.deepEqual([selected.json('SESSION_ENGINE'), selected.json('NAMES')], ['django.contrib.sessions.backends.cache', ['proj.settings.select', 'proj.settings']]);
    // Without proj/__init__.py, proj is a namespace package: its name is not guessed.
    const namespaced = Object.fromEntries(Object.entries(byName).filter(([file]) => file !== 'proj/__init__.py'));
    assert.deepEqual((await evaluatedSettings(namespaced, 'proj/settings/__init__.py')).json('SESSION_ENGINE'), {
      unresolved: `changed in a loop that cannot be followed statically (for _name in dir(_module): __name__ of ${path.join('proj', 'settings', '__init__.py')} is not known statically: the module is in no regular package (with __init__.py) on sys.path)`,
    });
  });

  it('does not take a name as absent from a module that ran code static reading cannot follow', async () => {
    const configuration = 'exec(open("extra.py").read())\n';
    const settings = [...IMPORT, 'SESSION_COOKIE_AGE = getattr(configuration, "LOGIN_TIMEOUT", 1209600)', 'HAS_TIMEOUT = hasattr(configuration, "LOGIN_TIMEOUT")'].join('\n');
    const { json } = await evaluate({ 'site/__init__.py': '', 'site/settings.py': settings, 'site/configuration.py': configuration });
    const [age, has] = [json('SESSION_COOKIE_AGE'), json('HAS_TIMEOUT')] as { unresolved: string }[];
    assert.match(age!.unresolved, /^may be changed by exec\(/);
    assert.deepEqual(has, age);
  });

  it("follows NetBox's copy of its configuration into globals(): the module's values, where they differ unknown", async () => {
    const settings = [
      ...IMPORT,
      'from .parameters import PARAMS',
      'SECRET_KEY = getattr(configuration, "SECRET_KEY")',
      'SESSION_FILE_PATH = getattr(configuration, "SESSION_FILE_PATH", None)',
      'LOGIN_TIMEOUT = 60',
      'for param in PARAMS:',
      '    if hasattr(configuration, param.name):',
      '        globals()[param.name] = getattr(configuration, param.name)',
      'for name in dir(configuration):',
      '    if name.isupper():',
      '        globals()[name] = getattr(configuration, name)',
    ].join('\n');
    const parameters = 'class Param:\n    def __init__(self, name):\n        self.name = name\n\n\nPARAMS = (Param("BANNER_TOP"), Param("LOGIN_TIMEOUT"))\n';
    const { json } = await evaluate({ 'site/__init__.py': '', 'site/settings.py': settings, 'site/configuration.py': CONFIGURATION, 'site/parameters.py': parameters });
    // The copies can only set the configuration's names, to its values: those already equal stay known.
    assert.deepEqual([json('SECRET_KEY'), json('SESSION_FILE_PATH'), json('SESSION_ENGINE'), json('SESSION_COOKIE_AGE')], ['from-configuration', null, undefined, undefined]);
    // Set before the copies to another value than the configuration's; the loop over dir() copies the configuration's last.
    assert.equal(json('LOGIN_TIMEOUT'), 600);
    assert.equal(json('BANNER_TOP'), 'Staging');
  });

  it('still forgets every setting where a copy into globals() is not from a module of the project', async () => {
    const settings = ['import os', 'import extras', 'SESSION_COOKIE_AGE = 60', 'for name in os.environ["NAMES"].split():', '    globals()[name] = getattr(extras, name)'].join('\n');
    const { json } = await evaluate({ 'site/__init__.py': '', 'site/settings.py': settings });
    assert.match((json('SESSION_COOKIE_AGE') as { unresolved: string }).unresolved, /^changed in a loop that cannot be followed statically/);
    assert.match((json('SESSION_ENGINE') as { unresolved: string }).unresolved, /^changed in a loop that cannot be followed statically/);
  });
});
