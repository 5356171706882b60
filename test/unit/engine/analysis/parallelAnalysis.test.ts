import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { indexDirectory, SessionKeyIndex } from '../../../../engine/src/analysis';
import type { ParallelOptions } from '../../../../engine/src/analysis/parallelAnalysis';
import { generateLargeProject, type LargeProjectManifest } from './largeProject';

/** Bundles the worker entry as esbuild.mjs does, beside the wasm files it loads. */
async function bundleWorker(dir: string): Promise<string> {
  for (const wasm of ['web-tree-sitter/tree-sitter.wasm', 'tree-sitter-python/tree-sitter-python.wasm']) {
    fs.copyFileSync(require.resolve(wasm), path.join(dir, path.basename(wasm)));
  }
  const script = path.join(dir, 'analysisWorker.js');
  await esbuild.build({
    entryPoints: [path.join(__dirname, '../../../../engine/src/analysis/analysisWorker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    outfile: script,
    logLevel: 'silent',
  });
  return script;
}

async function indexed(root: string, options: ParallelOptions): Promise<SessionKeyIndex> {
  const index = await SessionKeyIndex.create();
  await indexDirectory(index, root, options);
  return index;
}

/** Everything the index holds, in its own order, as comparable data. */
function contents(index: SessionKeyIndex): unknown {
  return { analyses: [...index.analyses()], usages: index.usages(), unresolved: index.unresolved() };
}

describe('indexDirectory on worker threads', function () {
  this.timeout(120_000);
  let manifest: LargeProjectManifest;
  let bundleDir: string;
  let script: string;
  let alone: SessionKeyIndex;

  before(async () => {
    manifest = generateLargeProject(fs.mkdtempSync(path.join(os.tmpdir(), 'ds-parallel-')), 600);
    bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-worker-'));
    script = await bundleWorker(bundleDir);
    alone = await indexed(manifest.root, { workers: 0 });
  });

  after(() => {
    fs.rmSync(manifest.root, { recursive: true, force: true });
    fs.rmSync(bundleDir, { recursive: true, force: true });
  });

  it('indexes exactly what one thread does, in the same order', async () => {
    const shared = await indexed(manifest.root, { workerScript: script, workers: 2 });
    assert.equal(shared.usages().length, manifest.usages);
    assert.deepEqual(contents(shared), contents(alone));
  });

  it('finishes on the main thread when a worker fails', async () => {
    const broken = path.join(bundleDir, 'broken.js');
    fs.writeFileSync(broken, "throw new Error('worker failed to start');\n");
    const index = await indexed(manifest.root, { workerScript: broken, workers: 1 });
    assert.deepEqual(contents(index), contents(alone));
  });
});
