import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * The pinned Node 22 binary (scripts/ensureNode22.mjs installs it on first use): node:sqlite
 * needs it, and VS Code ≥ 1.101 runs the language server on Node 22.
 */
export function pinnedNode22(): string {
  const ensure = spawnSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'ensureNode22.mjs')], { encoding: 'utf8' });
  if (ensure.status !== 0) throw new Error(`no Node 22 runtime: ${ensure.stderr}`);
  return ensure.stdout.trim().split('\n').pop()!;
}

/** Whether this process runs on Node 22, so a second run on the pinned one would repeat it. */
export function runsOnNode22(): boolean {
  return process.versions.node.split('.')[0] === '22';
}
