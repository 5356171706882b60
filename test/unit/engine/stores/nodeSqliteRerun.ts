import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { skipOrFail } from '../../../interop/localServices';

const repo = path.resolve(__dirname, '../../../..');

/**
 * For a Node without node:sqlite: one test that runs the node:sqlite tests of `file` (those whose
 * titles say node:sqlite) in the pinned Node 22 runtime, so they are never silently left out; with
 * the unit tests' timeout, not mocha's 2 s, which a loaded machine can exceed.
 */
export function passesInNode22(file: string): void {
  it('pass in the pinned Node 22 runtime (this one has no node:sqlite)', function () {
    this.timeout(180_000);
    const ensure = spawnSync(process.execPath, [path.join(repo, 'scripts/ensureNode22.mjs')], { encoding: 'utf8' });
    if (ensure.status !== 0) {
      skipOrFail(this, `no Node 22 runtime for the node:sqlite tests (${ensure.stderr.trim()}); run node scripts/ensureNode22.mjs`);
    }
    const node22 = ensure.stdout.trim().split('\n').pop()!;
    const run = spawnSync(node22, [path.join(repo, 'node_modules/mocha/bin/mocha.js'), '--import=tsx', '--timeout', '20000', '--grep', 'node:sqlite', file], { cwd: repo, encoding: 'utf8' });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /passing/);
    assert.doesNotMatch(run.stdout, /pending|failing/);
  });
}
