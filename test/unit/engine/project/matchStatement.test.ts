import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPythonParser } from '../../../../engine/src/analysis';
import { settingValueToJson } from '../../../../engine/src/project';
import { evaluateSettingsFile } from '../../../../engine/src/project/settingsEvaluation';
import { tempProject } from './tempProject';

const LINES = [
  'import os',
  'engine = os.getenv("ENGINE", "sqlite")',
  'match engine:',
  '    case "postgresql" | "mariadb":',
  '        KIND = "server"',
  '    case "sqlite" if os.getenv("WAL", "1") == "1":',
  '        KIND = "file with WAL"',
  '    case None:',
  '        KIND = "none"',
  '    case _:',
  '        KIND = "other"',
  'match os.environ["MODE"]:',
  '    case "a":',
  '        MODE = 1',
  '    case _:',
  '        MODE = 2',
  'match engine:',
  '    case str(name):',
  '        CAPTURED = name',
];

describe('match statements in settings', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  async function evaluate(env: Record<string, string>) {
    const dir = tempProject({ 'settings.py': LINES.join('\n') }, 'ds-match-');
    dirs.push(dir);
    const result = evaluateSettingsFile(await loadPythonParser(), path.join(dir, 'settings.py'), dir, new Map(Object.entries(env)));
    return (name: string): unknown => {
      const binding = result.values.get(name);
      return binding && settingValueToJson(binding.value);
    };
  }

  it('runs the first literal case that matches, with its guard, as the if/elif chain it amounts to', async () => {
    assert.equal((await evaluate({}))('KIND'), 'file with WAL');
    assert.equal((await evaluate({ ENGINE: 'mariadb' }))('KIND'), 'server');
    assert.equal((await evaluate({ ENGINE: 'sqlite', WAL: '0' }))('KIND'), 'other');
    assert.equal((await evaluate({ MODE: 'a' }))('MODE'), 1);
  });

  it('leaves unknown what depends on a subject or a pattern it cannot tell, saying why', async () => {
    const get = await evaluate({});
    assert.deepEqual(get('MODE'), { unresolved: 'depends on a condition that cannot be evaluated statically (os.environ["MODE"] matches "a": needs environment variable MODE, line 12)' });
    assert.deepEqual(get('CAPTURED'), { unresolved: 'depends on a condition that cannot be evaluated statically (engine matches str(name): cannot match the pattern str(name) statically)' });
  });
});
