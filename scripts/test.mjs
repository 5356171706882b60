// `npm test`: every check, in order, stopping at the first failure, with each step's wall time.
import { spawn } from 'node:child_process';
import { repoRoot } from './codeServer.mjs';

// Under DJS_REQUIRE_SERVICES=1 (CI) a skipped test fails its run, so a skip no helper turns
// into a failure (skipOrFail) still cannot leave CI green without its checks.
const forbidPending = process.env.DJS_REQUIRE_SERVICES === '1' ? ['--', '--forbid-pending'] : [];

const steps = [
  ['system packages', 'node', ['scripts/ensureSystem.mjs']],
  ['lint', 'npm', ['run', 'lint']],
  ['typecheck', 'npm', ['run', 'typecheck']],
  ['build', 'npm', ['run', 'build']],
  ['unit', 'npm', ['run', 'test:unit', ...forbidPending]],
  ['interop', 'npm', ['run', 'test:interop', ...forbidPending]],
  // Its own step so a first install's minutes show apart from the tests' time.
  ['code-server install', 'node', ['scripts/codeServer.mjs', 'install']],
  ['integration', 'npm', ['run', 'test:integration']],
  ['e2e', 'npm', ['run', 'test:e2e']],
];

const times = [];
const counts = { passed: 0, failed: 0, skipped: 0 };

/** Adds the test counts a runner printed: mocha's "N passing/failing/pending", our launchers' "N passed, N failed". */
function tally(line) {
  const mocha = /^\s+(\d+) (passing|failing|pending)\b/.exec(line);
  if (mocha) {
    counts[{ passing: 'passed', failing: 'failed', pending: 'skipped' }[mocha[2]]] += Number(mocha[1]);
  }
  const launcher = /^integration \(.*\): (\d+) passed, (\d+) failed$/.exec(line);
  if (launcher) {
    counts.passed += Number(launcher[1]);
    counts.failed += Number(launcher[2]);
  }
  if (/^e2e: passed/.test(line)) {
    counts.passed += 1;
  }
}

/** Runs one step with its output shown as it comes and scanned for test counts. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let pending = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(tally);
    });
    child.on('error', (error) => resolve({ status: null, error }));
    child.on('close', (status, signal) => {
      tally(pending);
      resolve({ status, signal });
    });
  });
}
const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function summary() {
  for (const [name, ms] of times) console.log(`  ${name.padEnd(22)} ${seconds(ms).padStart(9)}`);
  console.log(`  ${'total'.padEnd(22)} ${seconds(Date.now() - started).padStart(9)}`);
  console.log(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
}

for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const t = Date.now();
  const r = await run(cmd, args);
  times.push([name, Date.now() - t]);
  if (r.status !== 0) {
    console.log(`\nnpm test: FAILED at ${name} (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`);
    summary();
    process.exit(1);
  }
}
console.log('\nnpm test: all steps passed');
summary();
