import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { skipOrFail } from './localServices';
import { requireDjango } from './realDjango';

const repo = path.resolve(__dirname, '../..');

/**
 * For a Node without node:sqlite: a test that runs the node:sqlite tests of `file` again in the
 * pinned Node 22 runtime, so they are never silently left out. `passing` is what their run must report.
 */
export function passesInNode22(file: string, what: string, passing: RegExp): void {
  it('passes in the pinned Node 22 runtime', function () {
    this.timeout(300_000);
    requireDjango(this);
    const ensure = spawnSync(process.execPath, [path.join(repo, 'scripts/ensureNode22.mjs')], { encoding: 'utf8' });
    if (ensure.status !== 0) {
      skipOrFail(this, `no Node 22 runtime for the node:sqlite ${what} tests (${ensure.stderr.trim()}); run node scripts/ensureNode22.mjs`);
    }
    const node22 = ensure.stdout.trim().split('\n').pop()!;
    const run = spawnSync(node22, [path.join(repo, 'node_modules/mocha/bin/mocha.js'), '--import=tsx', '--timeout', '120000', '--grep', 'node:sqlite', file], { cwd: repo, encoding: 'utf8' });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, passing);
    assert.doesNotMatch(run.stdout, /pending|failing/);
  });
}
