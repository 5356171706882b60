import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPythonParser } from '../../../../engine/src/analysis';
import { settingValueToJson } from '../../../../engine/src/project';
import { evaluateSettingsFile } from '../../../../engine/src/project/settingsEvaluation';

describe('environment defaults', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-environ-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function evaluate(lines: string[], env: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const file = path.join(dir, 'settings.py');
    fs.writeFileSync(file, ['import os', 'import environ', 'env = environ.Env(SCHEMED=(int, 7))', ...lines].join('\n'));
    const result = evaluateSettingsFile(await loadPythonParser(), file, dir, new Map(Object.entries(env)));
    return Object.fromEntries([...result.values].filter(([name]) => /^[A-Z]/.test(name)).map(([name, binding]) => [name, settingValueToJson(binding.value)]));
  }

  const source = [
    'A = env.int("AGE", 1234)',
    'B = env.bool("SEC", True)',
    'C = env.str("CNAME", "cn")',
    'D = env.float("RATIO", 0.5)',
    'E = env.list("HOSTS", str, ["a"])',
    'F = env("PLAIN", int, 3)',
    'G = env("PLAIN_KW", default="kw")',
    'H = env.int("AS_GIVEN", "12")',
    'I = env("SCHEMED")',
    'J = env.db("DATABASE_URL", "sqlite:///d.sqlite3")',
    'K = os.getenv("NOT_SET")',
    'L = os.environ.get("NOT_SET", None)',
    'M = os.environ.get("FLAG", "False").lower() == "true"',
    'N = os.getenv("NOT_SET") == "1"',
    'os.environ.setdefault("DEFAULTED", "d")',
    'O = env("DEFAULTED")',
  ];

  it('takes django-environ defaults by position as each method declares them, returns them as given, and sees os.environ.setdefault', async () => {
    assert.deepEqual(await evaluate(source), {
      A: 1234,
      B: true,
      C: 'cn',
      D: 0.5,
      E: ['a'],
      F: 3,
      G: 'kw',
      H: '12',
      I: 7,
      J: { ENGINE: 'django.db.backends.sqlite3', NAME: 'd.sqlite3' },
      K: { unresolved: 'needs environment variable NOT_SET' },
      L: null,
      M: false,
      N: false,
      O: 'd',
    });
  });

  it('casts a set variable as the method, the cast argument or the scheme says, and os.environ.setdefault never overrides it', async () => {
    const env = { AGE: '60', SEC: 'off', CNAME: 'name', RATIO: '2', HOSTS: 'x,y', PLAIN: '9', PLAIN_KW: 'v', AS_GIVEN: '5', SCHEMED: '8', FLAG: 'TRUE', NOT_SET: '1', DEFAULTED: 'process' };
    const values = await evaluate(source, env);
    assert.deepEqual(
      ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'K', 'M', 'N', 'O'].map((name) => values[name]),
      [60, false, 'name', 2, ['x', 'y'], 9, 'v', 5, 8, '1', true, true, 'process'],
    );
  });
});
