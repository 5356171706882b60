// Builds one bundle each for the extension client, the language server and the CLI (whose
// session commands load from a second one), plus the integration-test entry that runs inside
// VS Code. Wasm runtimes are copied beside the bundles that load them, because esbuild cannot
// inline them.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { loadSeparateBundles, separateBundleEntries } from './scripts/separateBundles.mjs';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// ESM-only dependencies (web-tree-sitter's Emscripten loader) read import.meta.url, which a
// CommonJS bundle lacks; each bundle defines it from its own file name.
const importMetaUrl = "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;";

const common = {
  bundle: true,
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: importMetaUrl },
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
};

const bundles = [
  { entryPoints: { client: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  { entryPoints: { server: 'server/src/main.ts' }, outdir: 'dist' },
  { entryPoints: { cli: 'cli/src/main.ts' }, outdir: 'dist', banner: { js: `#!/usr/bin/env node\n${importMetaUrl}` }, plugins: [loadSeparateBundles()] },
  // What cli.js loads for its session commands (see scripts/separateBundles.mjs).
  { entryPoints: separateBundleEntries(), outdir: 'dist' },
  // The server and the CLI start it from beside themselves to parse on a second thread.
  { entryPoints: { analysisWorker: 'engine/src/analysis/analysisWorker.ts' }, outdir: 'dist' },
  {
    entryPoints: {
      'integration/index': 'test/integration/index.ts',
      'integration/multiRoot': 'test/integration/multiRoot.ts',
      'integration/reusableApp': 'test/integration/reusableApp.ts',
    },
    outdir: 'out',
    external: ['vscode', 'mocha'],
  },
];

/** Package-relative wasm files that the server and CLI bundles load at run time. */
const wasmAssets = [
  'sql.js/dist/sql-wasm.wasm',
  'web-tree-sitter/tree-sitter.wasm',
  'tree-sitter-python/tree-sitter-python.wasm',
];

function copyWasm() {
  fs.mkdirSync('dist', { recursive: true });
  for (const asset of wasmAssets) {
    fs.copyFileSync(require.resolve(asset), path.join('dist', path.basename(asset)));
  }
}

const contexts = await Promise.all(bundles.map((b) => esbuild.context({ ...common, ...b })));
copyWasm();
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  fs.chmodSync('dist/cli.js', 0o755);
}
