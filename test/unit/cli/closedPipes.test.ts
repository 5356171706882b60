import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempProject } from '../engine/project/tempProject';

const REPO = path.resolve(__dirname, '../../..');

/** Runs the CLI as a process, with stdout or stderr a pipe whose reader is gone before it writes (`| head` long done). */
function runWithClosed(closed: 'stdout' | 'stderr', argv: string[]): Promise<{ code: number | null; open: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'cli/src/main.ts'), ...argv], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  child[closed].destroy();
  let open = '';
  child[closed === 'stdout' ? 'stderr' : 'stdout'].on('data', (chunk: Buffer) => (open += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, open })));
}

describe('CLI output to a pipe its reader closed', function () {
  this.timeout(60_000);
  let root: string;
  before(() => {
    // No settings: lint notes that on stderr before it prints the findings.
    root = tempProject({ 'views.py': 'def v(request):\n    return request.session["k"]\n' });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('a closed stderr loses the notes only: the findings are all printed and the exit code is the command\'s', async () => {
    const r = await runWithClosed('stderr', ['lint', root]);
    assert.equal(r.code, 0);
    assert.match(r.open, /views\.py:2:28: warning DS101 Session key 'k' is read but never written/);
    assert.match(r.open, /^1 finding, 0 errors\n$/m);
  });

  it('a closed stdout ends the command quietly, with exit 0', async () => {
    const r = await runWithClosed('stdout', ['lint', root]);
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.open, /EPIPE|Error/);
  });
});
