import * as assert from 'node:assert/strict';
import { evaluatedSettings } from './evaluatedSettings';

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
  async function evaluate(env: Record<string, string>) {
    return (await evaluatedSettings({ 'settings.py': LINES.join('\n') }, 'settings.py', env)).json;
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
