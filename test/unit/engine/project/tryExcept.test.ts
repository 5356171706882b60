import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPythonParser } from '../../../../engine/src/analysis';
import { settingValueToJson } from '../../../../engine/src/project';
import { evaluateSettingsFile } from '../../../../engine/src/project/settingsEvaluation';
import { tempProject } from './tempProject';

describe('try / except in settings', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  /** Evaluates proj/settings.py among `files`; `json(name)` is a setting's value as JSON. */
  async function evaluate(files: Record<string, string>, env: Record<string, string> = {}) {
    const dir = tempProject({ 'proj/__init__.py': '', ...files }, 'ds-try-');
    dirs.push(dir);
    const file = path.join(dir, 'proj/settings.py');
    const result = evaluateSettingsFile(await loadPythonParser(), file, dir, new Map(Object.entries(env)));
    const json = (name: string): unknown => {
      const binding = result.values.get(name);
      return binding && settingValueToJson(binding.value);
    };
    return { result, json, file };
  }

  const localFallback = [
    'A = "before"',
    'try:',
    '    from .local_settings import *',
    'except ImportError:',
    '    SESSION_ENGINE = "django.contrib.sessions.backends.file"',
    'else:',
    '    B = "else"',
    'finally:',
    '    C = "finally"',
  ].join('\n');

  it('runs the except clause when the imported module of the project is missing, else the body and else clause', async () => {
    const missing = await evaluate({ 'proj/settings.py': localFallback });
    assert.deepEqual([missing.json('A'), missing.json('SESSION_ENGINE'), missing.json('B'), missing.json('C')], ['before', 'django.contrib.sessions.backends.file', undefined, 'finally']);
    assert.deepEqual(missing.result.problems, []);
    const present = await evaluate({ 'proj/settings.py': localFallback, 'proj/local_settings.py': 'SESSION_ENGINE = "django.contrib.sessions.backends.cache"\n' });
    assert.deepEqual([present.json('SESSION_ENGINE'), present.json('B'), present.json('C')], ['django.contrib.sessions.backends.cache', 'else', 'finally']);
  });

  it('counts a missing submodule of a package of the project as missing, and a bare except or Exception as catching it', async () => {
    for (const clause of ['except:', 'except Exception:', 'except (KeyError, ModuleNotFoundError) as error:']) {
      const { json } = await evaluate({ 'proj/settings.py': ['try:', '    from proj.local import *', clause, '    X = "fallback"'].join('\n') });
      assert.equal(json('X'), 'fallback', clause);
    }
  });

  it('leaves unknown what depends on whether a package outside the project is installed', async () => {
    const { result, file } = await evaluate({
      'proj/settings.py': [
        'SESSION_ENGINE = "django.contrib.sessions.backends.db"',
        'try:',
        '    import sentry_redis_extras  # noqa',
        '    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache"}}',
        '    SESSION_ENGINE = "django.contrib.sessions.backends.cache"',
        'except ImportError:',
        '    SESSION_ENGINE = "django.contrib.sessions.backends.db"',
        'SECRET_KEY = "k"',
      ].join('\n'),
    });
    const reason = 'depends on whether sentry_redis_extras can be imported: it is in neither the project nor a virtualenv of it, so static reading cannot tell whether it is installed';
    assert.deepEqual(result.values.get('SESSION_ENGINE'), { value: { kind: 'unknown', reason, location: { file, line: 3, column: 4 } }, location: { file, line: 5, column: 4 } });
    assert.deepEqual(settingValueToJson(result.values.get('CACHES')!.value), { unresolved: reason });
    assert.deepEqual(settingValueToJson(result.values.get('SECRET_KEY')!.value), 'k');
    // What both ways leave alike stays known.
    const alike = await evaluate({ 'proj/settings.py': ['try:', '    import redis', '    X = 1', 'except ImportError:', '    X = 1'].join('\n') });
    assert.equal(alike.json('X'), 1);
  });

  it("takes Python's own modules as importable, but not those some supported Pythons lack (tomllib before 3.11)", async () => {
    const guarded = (module: string) => ['SESSION_ENGINE = "django.contrib.sessions.backends.db"', 'try:', `    import ${module}`, '    X = "body"', 'except ImportError:', '    X = "except"'].join('\n');
    for (const module of ['json', 'os.path', 'importlib']) {
      assert.equal((await evaluate({ 'proj/settings.py': guarded(module) })).json('X'), 'body', module);
    }
    assert.deepEqual((await evaluate({ 'proj/settings.py': guarded('tomllib') })).json('X'), {
      unresolved: 'depends on whether tomllib can be imported: it is in neither the project nor a virtualenv of it, so static reading cannot tell whether it is installed',
    });
  });

  it('runs an except clause for other errors where the body leaves something unknown, such as an unset variable', async () => {
    const source = ['import os', 'try:', '    SECRET_KEY = os.environ["SECRET_KEY"]', 'except KeyError:', '    DEBUG = True'].join('\n');
    const unset = await evaluate({ 'proj/settings.py': source });
    assert.deepEqual(unset.json('DEBUG'), { unresolved: 'depends on whether SECRET_KEY = os.environ["SECRET_KEY"] raises: needs environment variable SECRET_KEY' });
    const set = await evaluate({ 'proj/settings.py': source }, { SECRET_KEY: 'from-env' });
    assert.deepEqual([set.json('SECRET_KEY'), set.json('DEBUG')], ['from-env', undefined]);
    // Mayan's key file: the with statement is named without its comment and colon.
    const keyFile = ['try:', '    with open("media/system/SECRET_KEY") as file_object:  # NOQA: F821', '        SECRET_KEY = file_object.read()', 'except IOError:', '    SECRET_KEY = "default"'].join('\n');
    assert.deepEqual((await evaluate({ 'proj/settings.py': keyFile })).json('SECRET_KEY'), {
      unresolved: 'depends on whether with open("media/system/SECRET_KEY") as file_object raises: what open("media/system/SECRET_KEY") gives to its with statement is not read statically',
    });
  });

  it('reports a missing module of the project that no except clause catches', async () => {
    const { result, file, json } = await evaluate({ 'proj/settings.py': ['try:', '    from .local_settings import *', 'except KeyError:', '    X = 1', 'Y = 2'].join('\n') });
    assert.deepEqual(result.problems, [{ message: "cannot find module '.local_settings' imported by the settings, and no except clause catches ImportError", location: { file, line: 2, column: 4 } }]);
    assert.deepEqual([json('X'), json('Y')], [undefined, 2]);
  });
});
