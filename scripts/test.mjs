// `npm test`: every check, in order, stopping at the first failure, with each step's wall time.
import { spawnSync } from 'node:child_process';
import { repoRoot } from './codeServer.mjs';

const steps = [
  ['system packages', 'node', ['scripts/ensureSystem.mjs']],
  ['lint', 'npm', ['run', 'lint']],
  ['typecheck', 'npm', ['run', 'typecheck']],
  ['build', 'npm', ['run', 'build']],
  ['unit', 'npm', ['run', 'test:unit']],
  ['interop', 'npm', ['run', 'test:interop']],
  // Its own step so a first install's minutes show apart from the tests' time.
  ['code-server install', 'node', ['scripts/codeServer.mjs', 'install']],
  ['integration', 'npm', ['run', 'test:integration']],
  ['e2e', 'npm', ['run', 'test:e2e']],
];

const times = [];
const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function summary() {
  for (const [name, ms] of times) console.log(`  ${name.padEnd(22)} ${seconds(ms).padStart(9)}`);
  console.log(`  ${'total'.padEnd(22)} ${seconds(Date.now() - started).padStart(9)}`);
}

for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit' });
  times.push([name, Date.now() - t]);
  if (r.status !== 0) {
    console.log(`\nnpm test: FAILED at ${name} (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`);
    summary();
    process.exit(1);
  }
}
console.log('\nnpm test: all steps passed');
summary();
