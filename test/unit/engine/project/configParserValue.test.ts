import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { evaluatedSettings } from './evaluatedSettings';

/** pretix's and zulip's way: a parser reads config files where they exist, and settings come from it. */
const SETTINGS = [
  'import configparser',
  'import os',
  'config = configparser.RawConfigParser()',
  'READ = config.read(["/nonexistent/app.cfg", os.path.expanduser("~/.app.cfg"), "app.cfg"], encoding="utf-8")',
  'PRODUCTION = config.has_option("machine", "deploy_type")',
  'HAS_REDIS = config.has_section("redis")',
  'if HAS_REDIS:',
  '    SESSION_ENGINE = "django.contrib.sessions.backends.cache"',
  'SESSION_COOKIE_AGE = config.getint("sessions", "age", fallback=1209600)',
  'SECURE = config.getboolean("sessions", "secure", fallback=False)',
  'DATA_DIR = config.get("app", "datadir", fallback=os.environ.get("DATA_DIR", "data"))',
  'NAME = config.get("app", "name")',
  'interpolated = configparser.ConfigParser()',
  'interpolated.read_string("[paths]\\nroot = /srv\\ndata = %(root)s/data\\n")',
  'INTERPOLATED = interpolated.get("paths", "data")',
  'RAW = config.get("app", "pattern", fallback="none")',
];

describe('configparser parsers in settings', () => {
  async function evaluate(files: Record<string, string>, lines = SETTINGS, env: Record<string, string> = { HOME: '/nonexistent-home' }) {
    const { result, json, dir } = await evaluatedSettings({ 'settings.py': lines.join('\n'), ...files }, 'settings.py', env);
    return Object.assign(json, { envFiles: result.envFiles, dir });
  }

  it('reads only the files that exist, and gives fallbacks where they have no such option', async () => {
    const get = await evaluate({});
    assert.deepEqual(['READ', 'PRODUCTION', 'HAS_REDIS', 'SESSION_ENGINE', 'SESSION_COOKIE_AGE', 'SECURE', 'DATA_DIR', 'INTERPOLATED', 'RAW'].map(get), [[], false, false, undefined, 1209600, false, 'data', '/srv/data', 'none']);
    assert.deepEqual(get('NAME'), { unresolved: "configparser raises NoSectionError: no section 'app'" });
    // Creating one of the files changes the settings, so each is watched.
    assert.ok(['/nonexistent/app.cfg', '/nonexistent-home/.app.cfg', path.join(get.dir, 'app.cfg')].every((file) => get.envFiles.includes(file)), get.envFiles.join(', '));
  });

  it("takes what the files it reads say, RawConfigParser's values as written", async () => {
    const get = await evaluate({ 'app.cfg': '[machine]\ndeploy_type = production\n[redis]\nlocation = redis://cache:6379/0\n[sessions]\nage = 600\nsecure = on\n[app]\nname = shop\ndatadir = /var/shop\npattern = %(name)s\n' });
    assert.deepEqual(['READ', 'PRODUCTION', 'HAS_REDIS', 'SESSION_ENGINE', 'SESSION_COOKIE_AGE', 'SECURE', 'DATA_DIR', 'NAME', 'RAW'].map(get), [
      ['app.cfg'],
      true,
      true,
      'django.contrib.sessions.backends.cache',
      600,
      true,
      '/var/shop',
      'shop',
      '%(name)s',
    ]);
  });

  it('leaves unknown what a parser gives after a read it cannot follow, or a value it would refuse', async () => {
    const unknownPath = await evaluate({}, ['import configparser', 'import os', 'config = configparser.RawConfigParser()', 'config.read(os.environ["APP_CONFIG"])', 'PRODUCTION = config.has_option("machine", "deploy_type")']);
    assert.deepEqual(unknownPath('PRODUCTION'), { unresolved: 'what the parser holds cannot be told: it read a file whose path cannot be told statically (needs environment variable APP_CONFIG)' });
    const notNumber = await evaluate({ 'app.cfg': '[sessions]\nage = soon\nsecure = maybe\n' });
    assert.deepEqual([notNumber('SESSION_COOKIE_AGE'), notNumber('SECURE')], [
      { unresolved: "configparser raises ValueError: invalid literal for int(): 'soon'" },
      { unresolved: 'configparser raises ValueError: Not a boolean: maybe' },
    ]);
    const branch = await evaluate({ 'app.cfg': '[machine]\ndeploy_type = production\n' }, [
      'import configparser',
      'import os',
      'config = configparser.RawConfigParser()',
      'if os.environ["LIVE"] == "1":',
      '    config.read("app.cfg")',
      'PRODUCTION = config.has_option("machine", "deploy_type")',
    ]);
    assert.match((branch('PRODUCTION') as { unresolved: string }).unresolved, /depends on a condition that cannot be evaluated statically/);
  });
});
