// `npm run test:integration`: builds, seeds the demo store, and runs the integration suite in a
// real VS Code, on the demo folder, then in a two-folder workspace, then in a reusable app's
// folder. The desktop build from @vscode/test-electron where it can be had, otherwise
// code-server (see ../../../shared/notes/real-vscode.md). DJS_VSCODE_RUNNER=electron|code-server overrides the choice.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../scripts/codeServer.mjs';
import { writeMultiRootWorkspace } from './multiRootWorkspace.mjs';
import { writeReusableAppWorkspace } from './reusableAppWorkspace.mjs';

const PROBE_TIMEOUT_MS = 3_000;

async function canRunElectron() {
  // Electron needs a display; headless Linux CI gets one from xvfb-run, which sets DISPLAY.
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return false;
  if (fs.existsSync(path.join(repoRoot, '.vscode-test'))) return true;
  try {
    const res = await fetch('https://update.code.visualstudio.com/api/releases/stable', {
      method: 'HEAD',
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    return res.ok;
  } catch {
    return false;
  }
}

function node(script, ...args) {
  const r = spawnSync(process.execPath, [script, ...args], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const runner = process.env.DJS_VSCODE_RUNNER || ((await canRunElectron()) ? 'electron' : 'code-server');
if (runner !== 'electron' && runner !== 'code-server') {
  console.error(`DJS_VSCODE_RUNNER must be electron or code-server, not ${runner}`);
  process.exit(2);
}
console.log(`integration: running in ${runner === 'electron' ? 'VS Code desktop (@vscode/test-electron)' : 'code-server'}`);

// A stale bundle would test old code, and the demo's store is git-ignored, so make both here.
node('esbuild.mjs');
node('scripts/seedDemo.mjs', '--fresh');

const run =
  runner === 'electron'
    ? (await import('./runElectron.mjs')).runElectron
    : (await import('./runCodeServer.mjs')).runCodeServer;
const tests = (entry) => path.join(repoRoot, 'out', 'integration', `${entry}.js`);
const demo = await run({ extensionDevelopmentPath: repoRoot, extensionTestsPath: tests('index'), workspace: path.join(repoRoot, 'demo') });
// What differs between workspace folders needs a workspace of two, in a window of its own.
const workspace = writeMultiRootWorkspace();
let multiRoot;
try {
  multiRoot = await run({ extensionDevelopmentPath: repoRoot, extensionTestsPath: tests('multiRoot'), workspace });
} finally {
  fs.rmSync(path.dirname(workspace), { recursive: true, force: true });
}
// Whether the extension starts by itself needs a folder that only its activation events can start it in.
const reusableAppFolder = writeReusableAppWorkspace();
try {
  const reusableApp = await run({ extensionDevelopmentPath: repoRoot, extensionTestsPath: tests('reusableApp'), workspace: reusableAppFolder });
  process.exitCode = demo || multiRoot || reusableApp;
} finally {
  fs.rmSync(reusableAppFolder, { recursive: true, force: true });
}
