import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { main } from '../../../cli/src/main';
import { loadSeparateBundles, separateBundleEntries } from '../../../scripts/separateBundles.mjs';

const REPO = path.resolve(__dirname, '../../..');

/** Bundles the CLI and the bundles it loads on demand, as esbuild.mjs does, beside the wasm files they load. */
async function bundleCli(dir: string): Promise<string> {
  for (const wasm of ['sql.js/dist/sql-wasm.wasm', 'web-tree-sitter/tree-sitter.wasm', 'tree-sitter-python/tree-sitter-python.wasm']) {
    fs.copyFileSync(require.resolve(wasm), path.join(dir, path.basename(wasm)));
  }
  const options = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    logLevel: 'silent',
    absWorkingDir: REPO,
  } as const;
  await esbuild.build({ ...options, entryPoints: separateBundleEntries(REPO), outdir: dir });
  const cli = path.join(dir, 'cli.js');
  await esbuild.build({ ...options, entryPoints: [path.join(REPO, 'cli/src/main.ts')], outfile: cli, plugins: [loadSeparateBundles(REPO)] });
  return cli;
}

/** Runs `main` in this process, capturing what it writes, for comparison with the bundle. */
async function inProcess(argv: string[], env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  const written = { stdout: '', stderr: '' };
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  process.stdout.write = ((text: string) => ((written.stdout += text), true)) as typeof process.stdout.write;
  process.stderr.write = ((text: string) => ((written.stderr += text), true)) as typeof process.stderr.write;
  try {
    return { status: await main(argv, env), ...written };
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
  }
}

describe('CLI bundle split', function () {
  this.timeout(60_000);
  const env = { DJANGO_SECRET_KEY: 'bundle-test-key' };
  let dir: string;
  let cli: string;
  let sessionData: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-cli-bundle-'));
    cli = await bundleCli(dir);
    sessionData = (await inProcess(['encode', '{"cart": [1, 2]}'], env)).stdout.trim();
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves the session commands and their drivers out of cli.js', () => {
    assert.ok(fs.existsSync(path.join(dir, 'sessionCommands.js')));
    const source = fs.readFileSync(cli, 'utf8');
    assert.ok(source.includes('./sessionCommands.js'));
    assert.ok(!source.includes('node_modules/mysql2/') && !source.includes('node_modules/ioredis/'));
  });

  // Each bundle has its own copies of the error classes, so these show that the session
  // commands' failures are told apart where they are thrown.
  for (const [label, argv] of [
    ['a session command', () => ['decode', sessionData]],
    ['a usage error of a session command', () => ['decode']],
    ['a store error (bad URL)', () => ['--store', 'nosuch://x', 'count']],
    ['an unknown command', () => ['nosuch']],
    ['--version', () => ['--version']],
  ] as const) {
    it(`gives the same output and exit code as in process for ${label}`, async () => {
      const run = spawnSync(process.execPath, [cli, ...argv()], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
      const expected = await inProcess(argv(), env);
      assert.notEqual(expected.stdout + expected.stderr, '');
      assert.deepEqual({ status: run.status, stdout: run.stdout, stderr: run.stderr }, expected);
    });
  }
});
