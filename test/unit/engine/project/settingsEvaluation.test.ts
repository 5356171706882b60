import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPythonParser } from '../../../../engine/src/analysis';
import { settingValueToJson } from '../../../../engine/src/project';
import { evaluateSettingsFile } from '../../../../engine/src/project/settingsEvaluation';

describe('evaluateSettingsFile', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-settings-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function evaluate(source: string, env: Record<string, string> = {}) {
    const file = path.join(dir, 'settings.py');
    fs.writeFileSync(file, source);
    const result = evaluateSettingsFile(await loadPythonParser(), file, dir, new Map(Object.entries(env)));
    const json = (name: string): unknown => {
      const binding = result.values.get(name);
      return binding && settingValueToJson(binding.value);
    };
    return { result, json, file };
  }

  it('evaluates paths, strings, numbers and containers as Python would', async () => {
    const { json } = await evaluate(
      [
        'import os',
        'from pathlib import Path',
        'BASE_DIR = Path(__file__).resolve().parent',
        'A = BASE_DIR / "a" / "b"',
        'B = str(BASE_DIR / "x")',
        'C = os.path.join(os.path.dirname(os.path.abspath(__file__)), "c")',
        'D = E = 60 * 60 * 24 * 7 * 2',
        'F = f"{D}s"',
        'G = ("a", "b") + ("c",)',
        'H = {"x": 1, **{"y": 2}}',
        'H |= {"z": 3}',
        'I = [1]',
        'I.append(2)',
        'I.insert(0, 0)',
        'J = "yes" if D > 0 else "no"',
        'K = not False',
        'L, M = "l", "m"',
        'N = int("42")',
        'O = "x" * 3 + 2 * "ab" + "-" * 0',
        'P = [isinstance(True, int), isinstance("x", (bool, int)), isinstance([], list), len("ab") + len(G) + len(H)]',
        'Q = [any([0, "", 1]), all([1, "x"]), all([]), I.index(1), I.count(5)]',
        'R = ["redis://r:6379/0".split("/", 3), "a/b/c".rsplit("/", 1), "a=b=c".partition("="), "abc".rpartition("=")]',
        'import copy',
        'S = copy.deepcopy(H)',
        'S["x"] = 9',
        'T = copy.copy(I)',
        'T.append(3)',
        'if (u := os.environ.get("DJS_UNSET_WALRUS")):',
        '    U = u',
        'else:',
        '    U = "default"',
      ].join('\n'),
    );
    assert.equal(json('A'), path.join(dir, 'a/b'));
    assert.equal(json('B'), path.join(dir, 'x'));
    assert.equal(json('C'), path.join(dir, 'c'));
    assert.equal(json('D'), 1209600);
    assert.equal(json('E'), 1209600);
    assert.equal(json('F'), '1209600s');
    assert.deepEqual(json('G'), ['a', 'b', 'c']);
    assert.deepEqual(json('H'), { x: 1, y: 2, z: 3 });
    assert.deepEqual(json('I'), [0, 1, 2]);
    assert.equal(json('J'), 'yes');
    assert.equal(json('K'), true);
    assert.deepEqual([json('L'), json('M')], ['l', 'm']);
    assert.equal(json('N'), 42);
    assert.equal(json('O'), 'xxxabab');
    assert.deepEqual(json('P'), [true, false, true, 8]);
    assert.deepEqual(json('Q'), [true, true, true, 1, 0]);
    assert.deepEqual(json('R'), [['redis:', '', 'r:6379', '0'], ['a/b', 'c'], ['a', '=', 'b=c'], ['', '', 'abc']]);
    assert.deepEqual([json('H'), json('S'), json('I'), json('T')], [{ x: 1, y: 2, z: 3 }, { x: 9, y: 2, z: 3 }, [0, 1, 2], [0, 1, 2, 3]]);
    // A variable read without a default is None where it is not set, through a walrus too (Seahub).
    assert.equal(json('U'), 'default');
  });

  it('reads the environment through os.environ, os.getenv, django-environ and python-decouple', async () => {
    const source = [
      'import os',
      'import environ',
      'from decouple import config, Csv',
      'env = environ.Env(FLAG=(bool, True))',
      'A = os.environ["NEEDED"]',
      'B = os.getenv("OPTIONAL", "fallback")',
      'C = os.environ.get("OPTIONAL")',
      'D = env("FLAG")',
      'E = env.list("HOSTS", default=[])',
      'F = env.db("DATABASE_URL", default="sqlite:///x.sqlite3")',
      'G = config("DEBUG", default=False, cast=bool)',
      'H = config("ALLOWED", cast=Csv())',
      'I = env.int("WORKERS")',
    ].join('\n');
    const missing = await evaluate(source);
    assert.deepEqual(missing.json('A'), { unresolved: 'needs environment variable NEEDED' });
    assert.equal(missing.result.values.get('A')?.value.kind === 'unknown' && missing.result.values.get('A')?.value.kind, 'unknown');
    assert.equal(missing.json('B'), 'fallback');
    assert.deepEqual(missing.json('C'), { unresolved: 'needs environment variable OPTIONAL' });
    assert.equal(missing.json('D'), true);
    assert.deepEqual(missing.json('E'), []);
    assert.deepEqual(missing.json('F'), { ENGINE: 'django.db.backends.sqlite3', NAME: 'x.sqlite3' });
    assert.equal(missing.json('G'), false);
    assert.deepEqual(missing.json('I'), { unresolved: 'needs environment variable WORKERS' });
    const set = await evaluate(source, { NEEDED: 'n', OPTIONAL: 'o', FLAG: 'off', HOSTS: 'a.com,b.com', DEBUG: 'yes', ALLOWED: 'x, y', WORKERS: '4' });
    assert.deepEqual(
      ['A', 'B', 'C', 'D', 'E', 'G', 'H', 'I'].map(set.json),
      ['n', 'o', 'o', false, ['a.com', 'b.com'], true, ['x', 'y'], 4],
    );
  });

  it('makes what an undecidable branch assigns unknown, pointing at the condition', async () => {
    const { result, file } = await evaluate(['import sys', 'A = 1', 'if "pydevd" in sys.modules:', '    A = 2', 'else:', '    B = 3', 'C = 4'].join('\n'));
    const a = result.values.get('A')?.value;
    assert.equal(a?.kind, 'unknown');
    assert.deepEqual(a?.kind === 'unknown' ? a.location : undefined, { file, line: 3, column: 3 });
    assert.equal(result.values.get('B')?.value.kind, 'unknown');
    assert.deepEqual(result.values.get('C')?.value, { kind: 'int', value: 4 });
  });

  it('evaluates is and is not against None, True and False', async () => {
    const { json } = await evaluate(
      ['import os', 'URL = os.environ.get("REDIS_URL")', 'A = URL is not None', 'B = URL is None', 'C = True is True', 'D = 1 is True', 'E = None is not None', 'F = "x" is "x"', 'G = os.environ.get("UNSET") is None'].join('\n'),
      { REDIS_URL: 'redis://cache:6379/2' },
    );
    assert.deepEqual(['A', 'B', 'C', 'D', 'E'].map(json), [true, false, true, false, false]);
    // The identity of equal strings is CPython's business; an unset variable read without a default is None here.
    assert.deepEqual(json('F'), { unresolved: 'cannot evaluate "x" is "x" statically' });
    assert.equal(json('G'), true);
  });

  it('says why a condition cannot be evaluated: not X, X if C else Y and if C give the cause, and where it is', async () => {
    const { result, file } = await evaluate(['import sys', 'TESTING = "pydevd" in sys.modules', 'A = not TESTING', 'B = "/app/" if TESTING else "/"', 'if not TESTING:', '    C = 1'].join('\n'));
    const cause = 'cannot evaluate "pydevd" in sys.modules statically';
    // `not` gives a bool, so A is no None whatever it is.
    assert.deepEqual(result.values.get('A')?.value, { kind: 'unknown', reason: cause, location: { file, line: 2, column: 10 }, notNone: true });
    assert.deepEqual(result.values.get('B')?.value, { kind: 'unknown', reason: `depends on a condition that cannot be evaluated statically (TESTING: ${cause}, line 2)`, location: { file, line: 4, column: 4 } });
    assert.deepEqual(result.values.get('C'), {
      value: { kind: 'unknown', reason: `depends on a condition that cannot be evaluated statically (not TESTING: ${cause}, line 2)`, location: { file, line: 5, column: 3 } },
      location: { file, line: 6, column: 4 },
    });
  });

  it('keeps what both branches of an undecidable if set alike, and what neither changes', async () => {
    const { json } = await evaluate(['import sys', 'A = 1', 'if "pydevd" in sys.modules:', '    B = "same"', 'else:', '    B = "same"', '    A = 1'].join('\n'));
    assert.deepEqual([json('A'), json('B')], [1, 'same']);
  });

  it('formats strings with str.format', async () => {
    const { json } = await evaluate(['import os', 'A = "envs/{0}/{0}-{1}.py".format("x", 2)', 'B = "{name}-{{{n}}}".format(name="a", n=2)', 'C = "{}{}".format("a", 15)', 'D = "{0}".format(os.environ["UNSET"])', 'E = "{}{0}".format("a")'].join('\n'));
    assert.deepEqual(['A', 'B', 'C', 'D'].map(json), ['envs/x/x-2.py', 'a-{2}', 'a15', { unresolved: 'needs environment variable UNSET' }]);
    // Python refuses to mix automatic and manual numbering.
    assert.deepEqual(json('E'), { unresolved: 'str.format() mixes {} and {0} fields (Python raises ValueError)' });
  });

  it('follows os.environ assignments, which replace the environment', async () => {
    const { json } = await evaluate(['import os', 'os.environ["FROM_CODE"] = "code"', 'A = os.getenv("FROM_CODE", "default")', 'os.environ["LATER"] = os.environ["UNSET"]', 'B = os.getenv("LATER", "default")'].join('\n'), { FROM_CODE: 'process' });
    assert.equal(json('A'), 'code');
    assert.deepEqual(json('B'), { unresolved: 'environment variable LATER is set to a value static reading cannot know (needs environment variable UNSET)' });
  });

  it('reports a missing star import outside try and keeps going', async () => {
    const { result, file } = await evaluate(['from .missing import *', 'try:', '    from .local import *', 'except ImportError:', '    pass', 'A = 1'].join('\n'));
    assert.deepEqual(result.problems, [{ message: "cannot find module '.missing' imported by the settings", location: { file, line: 1, column: 0 } }]);
    assert.deepEqual(result.values.get('A')?.value, { kind: 'int', value: 1 });
  });

  it('records where each value is written, for quick fixes', async () => {
    const { result, file } = await evaluate('SESSION_COOKIE_AGE = "3600"\n');
    assert.deepEqual(result.values.get('SESSION_COOKIE_AGE'), {
      value: { kind: 'str', value: '3600' },
      location: { file, line: 1, column: 0 },
      valueSpan: { file, start: { line: 0, character: 21 }, end: { line: 0, character: 27 }, literal: true },
    });
    // A value computed from the environment is no literal a quick fix may replace.
    const computed = await evaluate('import os\nSESSION_COOKIE_SECURE = os.environ.get("SECURE", "") == "1"\n');
    assert.equal(computed.result.values.get('SESSION_COOKIE_SECURE')?.valueSpan?.literal, undefined);
  });
});

describe('evaluateSettingsFile on broken input', () => {
  it('never throws on half-written settings, and reports what it skipped', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-broken-'));
    try {
      const file = path.join(dir, 'settings.py');
      const sources = ['SECRET_KEY = ', "DATABASES = {'default': {", 'A = (1,\nB = 2', 'if :\n  pass', 'X = foo(', 'def f(:\n  pass\nC = 3', '\u0000\u0001', 'A = [x for x in range(3)]\nB = lambda: 1\nC = A[0]'];
      const python = await loadPythonParser();
      for (const source of sources) {
        fs.writeFileSync(file, source);
        const result = evaluateSettingsFile(python, file, dir, new Map());
        assert.ok(result.values instanceof Map, source);
      }
      fs.writeFileSync(file, "DATABASES = {'default': {\nSESSION_COOKIE_AGE = 5\n");
      const result = evaluateSettingsFile(python, file, dir, new Map());
      assert.deepEqual(result.problems, [{ message: 'syntax error in the settings; this part is skipped', location: { file, line: 1, column: 0 } }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
