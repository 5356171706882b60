import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { CheckValueRequest } from '../../../server/src/protocol';
import { tempProject } from '../engine/project/tempProject';
import { startLanguageServer, type LanguageServer } from './languageServer';

/** Which of `texts` Python's json.loads reads, asked of the real python3. */
function readByPython(texts: string[]): boolean[] {
  const script = 'import json,sys\nout=[]\nfor t in json.load(sys.stdin):\n    try:\n        json.loads(t); out.append(True)\n    except ValueError:\n        out.append(False)\nprint(json.dumps(out))';
  const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as boolean[];
}

describe("CheckValueRequest, Edit Value's check of what is typed", () => {
  let root: string;
  let server: LanguageServer;

  before(async () => {
    root = tempProject({});
    server = await startLanguageServer([root]);
  });

  after(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("takes what Python's json.loads reads, NaN and Infinity too, and refuses what it refuses", async () => {
    const texts = [
      'NaN', 'Infinity', '-Infinity', '[1, Infinity, -Infinity]', '{"ratio": NaN}', ' NaN ',
      '-NaN', '+Infinity', 'nan', 'inf', 'NaNa', 'Infinity-', '[NaN NaN]', 'InfinityInfinity',
      '"NaN"', '"a \\" NaN"', '"x', '"\\ud800"', '{"a": 1,}', "'a'", '', ' ', '[1 2]', '01', '1.', '.5', '-',
      '1e400', '12345678901234567890123', '-0.0', 'true', 'True', 'None', 'null', '{"a": [1, {"b": null}]}',
    ];
    const valid = await Promise.all(texts.map(async (json) => (await server.client.sendRequest(CheckValueRequest, { json })).valid));
    assert.deepEqual(valid, readByPython(texts));
  });
});
