import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { isPythonJson } from '../../../client/src/pythonJson';

/** Which of `texts` Python's json.loads reads, asked of the real python3. */
function readByPython(texts: string[]): boolean[] {
  const script = 'import json,sys\nout=[]\nfor t in json.load(sys.stdin):\n    try:\n        json.loads(t); out.append(True)\n    except ValueError:\n        out.append(False)\nprint(json.dumps(out))';
  const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as boolean[];
}

describe('isPythonJson', () => {
  it("reads what Python's json.loads reads, NaN and Infinity too, and refuses what it refuses", () => {
    const texts = [
      'NaN', 'Infinity', '-Infinity', '[1, Infinity, -Infinity]', '{"ratio": NaN}', ' NaN ',
      '-NaN', '+Infinity', 'nan', 'inf', 'NaNa', 'Infinity-', '[NaN NaN]', 'InfinityInfinity',
      '"NaN"', '"a \\" NaN"', '"x', '"\\ud800"', '{"a": 1,}', "'a'", '', ' ', '[1 2]', '01', '1.', '.5', '-',
      '1e400', '12345678901234567890123', '-0.0', 'true', 'True', 'None', 'null', '{"a": [1, {"b": null}]}',
    ];
    assert.deepEqual(texts.map(isPythonJson), readByPython(texts));
  });
});
