import * as assert from 'node:assert/strict';
import { evaluatedSettings } from './evaluatedSettings';
import { SALEOR_GET_BOOL } from './settingsHelpers';

describe('calls of functions the settings define or import', () => {
  async function evaluate(lines: string[], env: Record<string, string> = {}, files: Record<string, string> = {}) {
    const { result, json } = await evaluatedSettings({ 'site/__init__.py': '', 'site/settings.py': lines.join('\n'), ...files }, 'site/settings.py', env);
    return Object.assign(json, { problems: result.problems.map((problem) => [problem.message, problem.location?.line]) });
  }

  it("runs saleor's get_bool_from_env: the default where the variable is not set, unknown where it must be parsed", async () => {
    const lines = [...SALEOR_GET_BOOL, 'DEBUG = get_bool_from_env("DEBUG", True)', 'if get_bool_from_env("USE_CACHE", False):', '    SESSION_ENGINE = "django.contrib.sessions.backends.cache"'];
    const unset = await evaluate(lines);
    assert.deepEqual([unset('DEBUG'), unset('SESSION_ENGINE')], [true, undefined]);
    const set = await evaluate(lines, { DEBUG: 'False' });
    assert.deepEqual(set('DEBUG'), false);
    const bad = await evaluate(lines, { DEBUG: 'yes' });
    // The helper turns literal_eval's ValueError into its own, which stops the settings.
    assert.deepEqual(bad('DEBUG'), { unresolved: 'get_bool_from_env() raises ValueError (settings.py:11)' });
    assert.match(String(bad.problems[0]?.[0]), /^the settings raise ValueError here/);
    const listed = await evaluate(lines, { DEBUG: '[1]' });
    assert.deepEqual(listed('DEBUG'), { unresolved: `cannot tell statically what Python's ast.literal_eval makes of "[1]"` });
  });

  it('compares an unset variable read without a default as None, and names a random SECRET_KEY', async () => {
    const get = await evaluate([
      'import os',
      'from django.core.management.utils import get_random_secret_key',
      'DB = os.environ.get("DB")',
      'NOT_MYSQL = DB != "mysql"',
      'UNSET = DB is None',
      'PORT = int(os.environ.get("PORT"))',
      'SECRET_KEY = os.environ.get("SECRET_KEY")',
      'if not SECRET_KEY:',
      '    SECRET_KEY = get_random_secret_key()',
    ]);
    assert.deepEqual([get('NOT_MYSQL'), get('UNSET'), get('PORT')], [true, true, { unresolved: 'needs environment variable PORT' }]);
    assert.deepEqual(get('SECRET_KEY'), { unresolved: 'a random key (get_random_secret_key()), made anew each time the settings load: a key made so signs sessions no other process, nor the next start, can verify' });
    // Mathesar keeps the key it makes on the first run in a module it imports on the next.
    const kept = await evaluate([
      'import os',
      'from django.core.management.utils import get_random_secret_key',
      'SECRET_KEY = os.environ.get("SECRET_KEY")',
      'if SECRET_KEY is None:',
      '    SECRET_KEY = get_random_secret_key()',
      '    with open("secret_key.py", "w") as f:',
      '        f.write(f"secret_key = {SECRET_KEY!r}")',
    ]);
    // Reading a file beside it keeps nothing.
    const read = await evaluate(['from django.core.management.utils import get_random_secret_key', 'SECRET_KEY = get_random_secret_key()', 'with open("allowed_hosts.txt") as f:', '    HOSTS = f.read()']);
    assert.match(String((read('SECRET_KEY') as { unresolved: string }).unresolved), /made anew each time the settings load/);
    assert.deepEqual(kept('SECRET_KEY'), { unresolved: 'a random key (get_random_secret_key()), made where none is kept yet and then written to a file: the key that file holds after the first run cannot be read statically' });
  });

  it("runs paperless-ngx's helpers imported from another module, with str methods, defaults and keywords", async () => {
    const parsers = [
      'import os',
      '',
      '',
      'def get_bool_from_env(key: str, default: str = "NO") -> bool:',
      '    """Whether the variable looks like True."""',
      '    return bool(os.getenv(key, default).lower() in ("yes", "y", "1", "t", "true"))',
      '',
      '',
      'def first_set(*names, **options):',
      '    return (names[-1], options)',
    ].join('\n');
    const get = await evaluate(
      ['from .parsers import get_bool_from_env, first_set', 'REMEMBER = get_bool_from_env("REMEMBER", "True")', 'SESSION_EXPIRE_AT_BROWSER_CLOSE = not get_bool_from_env(key="REMEMBER", default="True")', 'SECURE = get_bool_from_env("SECURE")', 'NAMES = first_set(*["A", "B"], strict=True)'],
      { SECURE: 'yes' },
      { 'site/parsers.py': parsers },
    );
    assert.deepEqual([get('REMEMBER'), get('SESSION_EXPIRE_AT_BROWSER_CLOSE'), get('SECURE')], [true, false, true]);
    // *args and **kwargs take what the named parameters leave, as a call's * and ** pass a known list or dict (Pontoon's path(*args)).
    assert.deepEqual(get('NAMES'), ['B', { strict: true }]);
  });

  it('follows what a function does to its own locals, and not one that changes what is not its own', async () => {
    const get = await evaluate([
      'import logging',
      'import os',
      'logger = logging.getLogger(__name__)',
      'MIDDLEWARE = ["a"]',
      'def options(engine):',
      '    config = {"ENGINE": engine}',
      '    if (port := os.getenv("PORT", "5432")) is not None:',
      '        config["PORT"] = int(port)',
      '    extra = []',
      '    extra.append("x")',
      '    logger.info("options for %s", engine)',
      '    return {**config, "EXTRA": extra} if False else dict(config, EXTRA=extra)',
      'def widen():',
      '    MIDDLEWARE.append("b")',
      '    return 1',
      'def poke():',
      '    MIDDLEWARE[0] = "z"',
      '    return 1',
      'OPTIONS = options("sqlite")',
      'WIDENED = widen()',
      'POKED = poke()',
    ]);
    assert.deepEqual(get('OPTIONS'), { ENGINE: 'sqlite', PORT: 5432, EXTRA: ['x'] });
    // An assignment into its module's list is followed where the call is made at that module's top level, as Python makes it.
    assert.deepEqual([get('WIDENED'), get('POKED')], [{ unresolved: 'cannot evaluate the call to widen() statically: it calls MIDDLEWARE.append(…) for its effect' }, 1]);
    assert.deepEqual(get('MIDDLEWARE'), ['z']);
  });

  it('stops a call at a change that is not its own only where the call reaches it', async () => {
    const env = { DJS_TEST_KEY: 'from-env' };
    const get = await evaluate(
      [
        'import os',
        'from pathlib import Path',
        'def ensure_dir(path):',
        '    path.mkdir(parents=True, exist_ok=True)',
        'def get_secret_key(name):',
        '    if key := os.getenv(name, ""):',
        '        return key',
        '    key_file = Path("/nonexistent/secret_key.txt")',
        '    ensure_dir(key_file.parent)',
        '    return key_file.read_text()',
        'SECRET_KEY = get_secret_key("DJS_TEST_KEY")',
        'OTHER_KEY = get_secret_key("DJS_TEST_UNSET")',
      ],
      env,
    );
    assert.equal(get('SECRET_KEY'), 'from-env');
    assert.deepEqual(get('OTHER_KEY'), { unresolved: 'cannot evaluate the call to get_secret_key() statically: it calls ensure_dir(…) for its effect' });
  });

  it('follows returns in loops and finally clauses, and says why a call cannot be followed', async () => {
    const get = await evaluate([
      'import os',
      'def first(items):',
      '    for item in items:',
      '        if item:',
      '            return item',
      '    return None',
      'def guarded():',
      '    try:',
      '        return "body"',
      '    finally:',
      '        CLEANED = True',
      'def spin():',
      '    while os.environ["GO"]:',
      '        return 1',
      'def strict(name):',
      '    raise ValueError(name)',
      'def configure():',
      '    global SESSION_ENGINE',
      '    SESSION_ENGINE = "x"',
      '    return 1',
      'def load():',
      '    os.environ["MODE"] = "prod"',
      '    return 1',
      'def forever(n):',
      '    return forever(n)',
      'FIRST = first(["", None, "b", "c"])',
      'GUARDED = guarded()',
      'SPIN = spin()',
      'STRICT = strict("X")',
      'CONFIGURED = configure()',
      'LOADED = load()',
      'FOREVER = forever(1)',
      'MISSING = first()',
      'try:',
      '    CHOICE = strict("Y")',
      'except (KeyError, ValueError):',
      '    CHOICE = "fallback"',
      'try:',
      '    OTHER = strict("Z")',
      '    NEVER = 1',
      'except KeyError:',
      '    OTHER = "not this"',
    ]);
    assert.deepEqual([get('FIRST'), get('GUARDED')], ['b', 'body']);
    const reasons = ['SPIN', 'STRICT', 'LOADED', 'FOREVER', 'MISSING'].map((name) => (get(name) as { unresolved: string }).unresolved);
    assert.deepEqual(reasons, [
      'cannot evaluate the call to spin() statically: where it returns cannot be told (it may return inside a loop that cannot be followed statically)',
      'strict() raises ValueError (settings.py:16)',
      'cannot evaluate the call to load() statically: it changes the environment the settings read',
      'cannot evaluate the call to forever() statically: calls nest more than 8 deep',
      'cannot evaluate the call to first() statically: no argument for its parameter items',
    ]);
    // A function called at module level sets the names it declares global, as Python does (Tandoor's setup_database()).
    assert.deepEqual([get('CONFIGURED'), get('SESSION_ENGINE')], [1, 'x']);
    // A call that raises for certain goes to the except clause naming its exception; uncaught, the settings cannot load,
    // and the import stops there: the uncaught raise at line 38 is never reached.
    assert.deepEqual([get('CHOICE'), get('NEVER')], ['fallback', undefined]);
    assert.deepEqual(get.problems, [
      ['the settings raise ValueError here: strict() raises ValueError (settings.py:16), so Django cannot start with them as they read in this environment', 29],
    ]);
  });
});
